/**
 * Spherical harmonics of one edge vector and their Jacobian with respect to it (e3nn's basis, the same
 * recurrence as compiler/o3: P^{l+1}_k(u) = (2l+3)/sqrt(l+1) Σ_ij C(l,1,l+1)_ijk P^l_i(u) u_j, P^0 = 1).
 *
 * Differentiating the recurrence gives dP/du exactly:
 *   dP^{l+1}_k/du_a = (2l+3)/sqrt(l+1) Σ_ij C_ijk (dP^l_i/du_a u_j + P^l_i δ_ja).
 * With normalize, u = v/|v| and du/dv = (I - u uᵀ)/|v|, so dY/dv = (dY/du - (dY/du · u) uᵀ)/|v|. A zero vector
 * has Y = (1, 0, 0, …) (e3nn: zeros for l >= 1) and, by convention, a zero Jacobian.
 * Normalisation scales degree l by 1 (component), 1/sqrt(2l+1) (norm) or 1/sqrt(4π) (integral).
 */
import { wigner3jSparse } from "../o3/wigner3j.js";

export type ShNormalization = "component" | "norm" | "integral";

/** Y (dim (lmax+1)²) and dY/dv (dim x 3, row-major) of one vector v. */
export function shWithJacobian(lmax: number, v: ArrayLike<number>, normalize: boolean, normalization: ShNormalization): { y: Float64Array; jac: Float64Array } {
  const dim = (lmax + 1) * (lmax + 1);
  const y = new Float64Array(dim), jac = new Float64Array(dim * 3);
  const r = Math.hypot(v[0]!, v[1]!, v[2]!);
  const u = normalize ? (r > 0 ? [v[0]! / r, v[1]! / r, v[2]! / r] : [0, 0, 0]) : [v[0]!, v[1]!, v[2]!];
  y[0] = 1;
  for (let l = 0; l < lmax; l++) {
    const c = wigner3jSparse(l, 1, l + 1);
    const f = (2 * l + 3) / Math.sqrt(l + 1);
    const src = l * l, dst = (l + 1) * (l + 1);
    for (let t = 0; t < c.value.length; t++) {
      const [i, j, k, cv] = [c.i[t]!, c.j[t]!, c.k[t]!, f * c.value[t]!];
      y[dst + k] += cv * y[src + i]! * u[j]!;
      for (let a = 0; a < 3; a++) jac[(dst + k) * 3 + a] += cv * (jac[(src + i) * 3 + a]! * u[j]! + (a === j ? y[src + i]! : 0));
    }
  }
  if (normalize) {
    for (let q = 0; q < dim; q++) {
      if (!(r > 0)) {
        jac.fill(0, q * 3, q * 3 + 3);
        continue;
      }
      const g = [jac[q * 3]!, jac[q * 3 + 1]!, jac[q * 3 + 2]!];
      const dot = g[0]! * u[0]! + g[1]! * u[1]! + g[2]! * u[2]!;
      for (let a = 0; a < 3; a++) jac[q * 3 + a] = (g[a]! - dot * u[a]!) / r;
    }
  }
  for (let l = 0; l <= lmax; l++) {
    const s = normalization === "component" ? 1 : normalization === "norm" ? 1 / Math.sqrt(2 * l + 1) : 1 / Math.sqrt(4 * Math.PI);
    for (let q = l * l; q < (l + 1) * (l + 1); q++) {
      y[q] *= s;
      for (let a = 0; a < 3; a++) jac[q * 3 + a] *= s;
    }
  }
  return { y, jac };
}
