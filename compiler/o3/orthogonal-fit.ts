/**
 * The orthogonal matrix that best maps one point set onto another (least squares, the sign of its
 * determinant fixed): the structure searches refine every candidate symmetry operation with it, so a
 * tolerance on positions is honoured by the matrix fitted to all atoms rather than to the two that seeded it.
 */
import { det3, transpose3, type Matrix3 } from "./rotation.js";

export function inverse3(m: ArrayLike<number>): Matrix3 {
  const [a, b, c, d, e, f, g, h, i] = Array.from({ length: 9 }, (_, k) => m[k]!) as [number, number, number, number, number, number, number, number, number];
  const A = e * i - f * h, B = -(d * i - f * g), C = d * h - e * g;
  const det = a * A + b * B + c * C;
  if (!(Math.abs(det) > 0)) throw new Error("inverse3: singular matrix");
  return Float64Array.of(A / det, -(b * i - c * h) / det, (b * f - c * e) / det, B / det, (a * i - c * g) / det, -(a * f - c * d) / det, C / det, -(a * h - b * g) / det, (a * e - b * d) / det);
}

/**
 * The orthogonal polar factor of M by Newton's iteration X ← (X + X⁻ᵀ)/2 (quadratically convergent for
 * non-singular M; the result has the sign of det M).
 */
export function polarOrthogonal(m: ArrayLike<number>): Matrix3 {
  let x = Float64Array.from(m);
  for (let it = 0; it < 100; it++) {
    const next = Float64Array.from(x);
    const inv = transpose3(inverse3(x));
    let change = 0;
    for (let k = 0; k < 9; k++) {
      next[k] = (x[k]! + inv[k]!) / 2;
      change = Math.max(change, Math.abs(next[k]! - x[k]!));
    }
    x = next;
    if (change < 1e-15) break;
  }
  return x;
}

/**
 * The orthogonal R with det R = det(guess) minimising Σ |R p_i - q_i|² (p, q: n x 3 row-major, same n).
 * `guess` (orthogonal) settles the directions the points do not fix (all points on a plane or a line):
 * it enters with a weight 1e-9 of the points' spread, so it never moves a direction the points do fix.
 */
export function fitOrthogonal(p: ArrayLike<number>, q: ArrayLike<number>, guess: Matrix3): Matrix3 {
  const h = new Float64Array(9);
  let spread = 0;
  const n = p.length / 3;
  for (let i = 0; i < n; i++)
    for (let r = 0; r < 3; r++) {
      spread += p[3 * i + r]! * p[3 * i + r]!;
      for (let c = 0; c < 3; c++) h[3 * r + c] += q[3 * i + r]! * p[3 * i + c]!;
    }
  const eps = 1e-9 * Math.max(spread, 1e-300);
  for (let k = 0; k < 9; k++) h[k] += eps * guess[k]!;
  // Make the determinant's sign that of the guess: the polar factor of H has det(H)'s sign, and H ≈ R S with
  // S positive semi-definite, so only a degenerate S (points on a line) can flip it; the guess term settles it.
  const r = polarOrthogonal(h);
  if (det3(r) * det3(guess) > 0) return r;
  return guess;
}

