/**
 * The regularisers of `ir.train.regularize`, applied to every relaxed layer's θ = B c (computed from its
 * coefficients; each layer contributes separately and the terms add up):
 *   l2(λ):          λ · mean over θ's non-scalar entries of θ², where the non-scalar entries are those of every
 *                   block except 0e (0o, 1o, 1e, …; blocks the kept group forces to zero still count in the mean,
 *                   so the mean is over mul · Σ_{(l,p) ≠ 0e} (2l+1) entries).
 *                   Gradient: λ · 2 θ / count on those entries, then dc = Bᵀ dθ.
 *   group_lasso(λ): λ · Σ over non-0e blocks and copies u of ||θ_{block,u}||₂.
 *                   Gradient: λ · θ_{block,u} / ||θ_{block,u}||, and the subgradient 0 where θ_{block,u} = 0.
 * The 0e block (the equivariant part) is never penalised.
 *
 * Training applies group lasso as a proximal step after the optimiser's (`proximalGroupLasso`), not through
 * its subgradient: the subgradient makes a copy that the data does not need oscillate around 0 with an
 * amplitude of lr·λ instead of reaching it, which reads as spurious broken symmetry. The compiled backward
 * pass therefore carries the smooth terms only (`terms: "smooth"`), the reported value all of them.
 */
import type { ModelIR } from "../ir/types.js";
import { relaxedLayerOf } from "./init.js";
import { addParamGrad, checkParams, paramView } from "./params.js";
import { coefficientGrad, thetaFromCoefficients, thetaLayout } from "../nn/theta-layout.js";

export interface RegularizationResult {
  value: number;
  /** Gradient with respect to the flat parameters. */
  grad: Float64Array;
}

export function regularization(ir: ModelIR, params: Float64Array, options: { terms?: "all" | "smooth" } = {}): RegularizationResult {
  checkParams(ir, params);
  const grad = new Float64Array(ir.paramCount);
  let value = 0;
  for (const p of ir.params) {
    if (!p.relaxed) continue;
    const layout = thetaLayout(ir, p.name, relaxedLayerOf(ir, p.name).thetaIrreps);
    const theta = thetaFromCoefficients(layout, paramView(ir, params, p.name));
    const gTheta = new Float64Array(layout.dim);
    const penalised = layout.blocks.filter((b) => !(b.ir.l === 0 && b.ir.p === 1));
    for (const reg of ir.train.regularize) {
      if (reg.kind === "group_lasso" && options.terms === "smooth") continue;
      if (reg.kind === "l2") {
        const count = penalised.reduce((s, b) => s + b.mul * b.ir.dim, 0);
        if (count === 0) continue;
        for (const b of penalised)
          for (let i = b.thetaOffset; i < b.thetaOffset + b.mul * b.ir.dim; i++) {
            value += (reg.weight * theta[i]! * theta[i]!) / count;
            gTheta[i] += (2 * reg.weight * theta[i]!) / count;
          }
      } else {
        for (const b of penalised)
          for (let u = 0; u < b.mul; u++) {
            const off = b.thetaOffset + u * b.ir.dim;
            let sq = 0;
            for (let i = 0; i < b.ir.dim; i++) sq += theta[off + i]! ** 2;
            const norm = Math.sqrt(sq);
            value += reg.weight * norm;
            if (norm > 0) for (let i = 0; i < b.ir.dim; i++) gTheta[off + i] += (reg.weight * theta[off + i]!) / norm;
          }
      }
    }
    addParamGrad(ir, grad, p.name, coefficientGrad(layout, gTheta));
  }
  return { value, grad };
}

/**
 * The proximal step of group lasso with step size `step` (the learning rate): every non-0e copy θ_{block,u}
 * is scaled by max(0, 1 − step·λ/||θ_{block,u}||), so a copy shorter than step·λ becomes exactly 0. Returns new
 * parameters; the coefficients scale with their copy (the basis rows are orthonormal).
 */
export function proximalGroupLasso(ir: ModelIR, params: Float64Array, step: number): Float64Array {
  checkParams(ir, params);
  const lambda = ir.train.regularize.filter((r) => r.kind === "group_lasso").reduce((s, r) => s + r.weight, 0);
  const out = Float64Array.from(params);
  if (lambda === 0) return out;
  for (const p of ir.params) {
    if (!p.relaxed) continue;
    const layout = thetaLayout(ir, p.name, relaxedLayerOf(ir, p.name).thetaIrreps);
    const c = paramView(ir, out, p.name);
    const theta = thetaFromCoefficients(layout, c);
    for (const b of layout.blocks) {
      if (b.ir.l === 0 && b.ir.p === 1) continue;
      for (let u = 0; u < b.mul; u++) {
        let sq = 0;
        for (let i = 0; i < b.ir.dim; i++) sq += theta[b.thetaOffset + u * b.ir.dim + i]! ** 2;
        const norm = Math.sqrt(sq);
        const scale = norm > 0 ? Math.max(0, 1 - (step * lambda) / norm) : 0;
        for (let k = 0; k < b.rank; k++) c[b.coefOffset + u * b.rank + k] *= scale;
      }
    }
  }
  return out;
}
