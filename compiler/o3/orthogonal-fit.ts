/**
 * The orthogonal matrix that best maps one point set onto another (least squares, the sign of its
 * determinant fixed): the molecule search refines every candidate symmetry operation with it, so a
 * tolerance on positions is honoured by the matrix fitted to all atoms rather than to the two that seeded
 * it. Also the polar factor of a nearly orthogonal matrix (for lattice operations).
 */
import { det3, quaternionToMatrix, transpose3, type Matrix3 } from "./rotation.js";

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

/** Eigenvector of the largest eigenvalue of a symmetric 4x4 matrix (row-major), by cyclic Jacobi rotations. */
function topEigenvector4(a0: ArrayLike<number>): Float64Array {
  const a = Float64Array.from(a0);
  const v = Float64Array.of(1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1);
  for (let sweep = 0; sweep < 50; sweep++) {
    let off = 0;
    for (let p = 0; p < 4; p++) for (let q = p + 1; q < 4; q++) off += a[4 * p + q]! ** 2;
    if (off < 1e-300) break;
    for (let p = 0; p < 4; p++)
      for (let q = p + 1; q < 4; q++) {
        const apq = a[4 * p + q]!;
        if (apq === 0) continue;
        const theta = (a[4 * q + q]! - a[4 * p + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1), s = t * c;
        for (let k = 0; k < 4; k++) {
          const akp = a[4 * k + p]!, akq = a[4 * k + q]!;
          a[4 * k + p] = c * akp - s * akq;
          a[4 * k + q] = s * akp + c * akq;
        }
        for (let k = 0; k < 4; k++) {
          const apk = a[4 * p + k]!, aqk = a[4 * q + k]!;
          a[4 * p + k] = c * apk - s * aqk;
          a[4 * q + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < 4; k++) {
          const vkp = v[4 * k + p]!, vkq = v[4 * k + q]!;
          v[4 * k + p] = c * vkp - s * vkq;
          v[4 * k + q] = s * vkp + c * vkq;
        }
      }
  }
  let best = 0;
  for (let k = 1; k < 4; k++) if (a[5 * k]! > a[5 * best]!) best = k;
  return Float64Array.of(v[best]!, v[4 + best]!, v[8 + best]!, v[12 + best]!);
}

/**
 * The orthogonal R with det R = det(guess) minimising Σ |R p_i - q_i|² (p, q: n x 3 row-major, same n), by
 * Horn's quaternion method (the top eigenvector of a 4x4 symmetric matrix), which stays accurate to
 * rounding for planar point sets; an improper R is -(the rotation taking -p to q). The points must not all
 * lie on one line through the origin (then R is not unique).
 */
export function fitOrthogonal(p: ArrayLike<number>, q: ArrayLike<number>, guess: ArrayLike<number>): Matrix3 {
  const sign = det3(guess) < 0 ? -1 : 1;
  const S = new Float64Array(9); // S[3a + b] = Σ (sign p)_a q_b
  const n = p.length / 3;
  for (let i = 0; i < n; i++)
    for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) S[3 * a + b] += sign * p[3 * i + a]! * q[3 * i + b]!;
  const [xx, xy, xz, yx, yy, yz, zx, zy, zz] = Array.from(S) as [number, number, number, number, number, number, number, number, number];
  const N = [
    xx + yy + zz, yz - zy, zx - xz, xy - yx,
    yz - zy, xx - yy - zz, xy + yx, zx + xz,
    zx - xz, xy + yx, -xx + yy - zz, yz + zy,
    xy - yx, zx + xz, yz + zy, -xx - yy + zz,
  ];
  const r = quaternionToMatrix(topEigenvector4(N));
  return sign < 0 ? r.map((x) => -x) : r;
}
