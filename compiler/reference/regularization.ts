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
 */
import type { ModelIR } from "../ir/types.js";
import { relaxedLayerOf } from "./init.js";
import { addParamGrad, checkParams, paramView } from "./params.js";
import { coefficientGrad, thetaFromCoefficients, thetaLayout } from "./theta.js";

export interface RegularizationResult {
  value: number;
  /** Gradient with respect to the flat parameters. */
  grad: Float64Array;
}

export function regularization(ir: ModelIR, params: Float64Array): RegularizationResult {
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
