/**
 * Wigner D matrices in e3nn's real basis, as `Irrep(l, p).D_from_matrix(M)`.
 *
 * D is the unique matrix with Y^l(R x) = D(R) Y^l(x). Rather than exponentiate generators (torch's
 * float64 matrix_exp loses up to 1e-11 on small angles, see e3nn-conventions.md), we project: with
 * orthonormal harmonics, D_ij = ∫ Y_i(R x) Y_j(x) dΩ, and a Gauss-Legendre x uniform-azimuth rule
 * integrates these degree-2l polynomials exactly, so D is accurate to rounding (~1e-15).
 */
import { anglesToMatrix, applyMatrix3, assertOrthogonal, det3 } from "./rotation.js";
import { shUpTo } from "./spherical-harmonics.js";

interface Quadrature {
  points: Float64Array; // 3 per node
  weights: Float64Array;
  y: Float64Array; // (nodes, 2l+1) orthonormal harmonics of the nodes
}

const rules = new Map<number, Quadrature>();

/** Gauss-Legendre nodes and weights on [-1, 1] by Newton's method on P_n. */
function gaussLegendre(n: number): { x: Float64Array; w: Float64Array } {
  const x = new Float64Array(n), w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let z = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let dp = 0;
    for (let iter = 0; iter < 100; iter++) {
      let p0 = 1, p1 = z;
      for (let k = 2; k <= n; k++) [p0, p1] = [p1, ((2 * k - 1) * z * p1 - (k - 1) * p0) / k];
      dp = (n * (z * p1 - p0)) / (z * z - 1);
      const dz = p1 / dp;
      z -= dz;
      if (Math.abs(dz) < 1e-16) break;
    }
    let p0 = 1, p1 = z;
    for (let k = 2; k <= n; k++) [p0, p1] = [p1, ((2 * k - 1) * z * p1 - (k - 1) * p0) / k];
    dp = (n * (z * p1 - p0)) / (z * z - 1);
    x[i] = z;
    w[i] = 2 / ((1 - z * z) * dp * dp);
  }
  return { x, w };
}

function quadrature(l: number): Quadrature {
  const hit = rules.get(l);
  if (hit) return hit;
  const nTheta = l + 1, nPhi = 2 * l + 1;
  const gl = gaussLegendre(nTheta);
  const count = nTheta * nPhi, d = 2 * l + 1;
  const points = new Float64Array(3 * count), weights = new Float64Array(count), y = new Float64Array(count * d);
  const all = new Float64Array((l + 1) * (l + 1));
  const norm = 1 / Math.sqrt(4 * Math.PI);
  let t = 0;
  for (let a = 0; a < nTheta; a++) {
    const c = gl.x[a]!, s = Math.sqrt(Math.max(0, 1 - c * c));
    for (let b = 0; b < nPhi; b++, t++) {
      const phi = (2 * Math.PI * b) / nPhi;
      points.set([s * Math.cos(phi), c, s * Math.sin(phi)], 3 * t);
      weights[t] = (gl.w[a]! * 2 * Math.PI) / nPhi;
      shUpTo(l, points.subarray(3 * t, 3 * t + 3), all);
      for (let i = 0; i < d; i++) y[t * d + i] = all[l * l + i]! * norm;
    }
  }
  const q = { points, weights, y };
  rules.set(l, q);
  return q;
}

/** D^l(R) for a proper rotation R (row-major 3x3), row-major (2l+1, 2l+1). */
function wignerDProper(l: number, r: ArrayLike<number>): Float64Array {
  const d = 2 * l + 1;
  const q = quadrature(l);
  const out = new Float64Array(d * d);
  const all = new Float64Array((l + 1) * (l + 1));
  const norm = 1 / Math.sqrt(4 * Math.PI);
  for (let t = 0; t < q.weights.length; t++) {
    shUpTo(l, applyMatrix3(r, q.points.subarray(3 * t, 3 * t + 3)), all);
    const w = q.weights[t]! * norm;
    for (let i = 0; i < d; i++) {
      const yi = all[l * l + i]! * w;
      for (let j = 0; j < d; j++) out[i * d + j] += yi * q.y[t * d + j]!;
    }
  }
  return out;
}

/**
 * e3nn's `Irrep(l, p).D_from_matrix(M)` for an orthogonal 3x3 matrix M (row-major), proper or improper:
 * D_{l,p}(-R) = p D_l(R).
 */
export function wignerD(l: number, p: 1 | -1, matrix: ArrayLike<number>): Float64Array {
  if (!Number.isInteger(l) || l < 0) throw new Error(`wignerD: l must be a non-negative integer, got ${l}`);
  if (p !== 1 && p !== -1) throw new Error(`wignerD: parity must be 1 or -1, got ${String(p)}`);
  assertOrthogonal(matrix, "wignerD");
  const improper = det3(matrix) < 0;
  const r = improper ? Array.from(matrix, (v) => -v) : matrix;
  const out = wignerDProper(l, r);
  if (improper && p === -1) for (let i = 0; i < out.length; i++) out[i] = -out[i]!;
  return out;
}

/** e3nn's `wigner_D(l, alpha, beta, gamma)`: D of Ry(alpha) Rx(beta) Ry(gamma). */
export function wignerDFromAngles(l: number, alpha: number, beta: number, gamma: number): Float64Array {
  return wignerD(l, 1, anglesToMatrix(alpha, beta, gamma));
}

/** Block-diagonal D of a whole `Irreps` (mul copies of each irrep's D), row-major (dim, dim). */
export function irrepsD(irreps: Iterable<{ mul: number; l: number; p: 1 | -1 }>, matrix: ArrayLike<number>): Float64Array {
  const blocks = [...irreps];
  const dim = blocks.reduce((s, e) => s + e.mul * (2 * e.l + 1), 0);
  const out = new Float64Array(dim * dim);
  let off = 0;
  for (const e of blocks) {
    const d = 2 * e.l + 1;
    const D = wignerD(e.l, e.p, matrix);
    for (let u = 0; u < e.mul; u++, off += d)
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) out[(off + i) * dim + off + j] = D[i * d + j]!;
  }
  return out;
}
