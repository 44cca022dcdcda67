/**
 * Training steps: the loss (its value and the output's gradient, first in the backward pass), the
 * optimiser's update with group lasso's proximal steps after it, and θ's pure-scalar initialisation.
 */
import type { Extent } from "../../../runtime/model/plan.js";
import { relaxedLayerOfTheta } from "../../nn/theta-layout.js";
import { lossKernels } from "../wgsl/loss.js";
import { adamKernel, sgdKernel } from "../wgsl/optimizer.js";
import { dimOf, type PlanContext } from "./context.js";
import { blockSum } from "./reduce.js";

export function planLoss(ctx: PlanContext): void {
  const { ir, b } = ctx;
  const loss = ir.train.loss;
  if (!loss) return;
  const out = ir.outputs.find((o) => o.name === loss.output)!;
  const src = out.source, target = loss.target, rows = ctx.rowsOf(src);
  const k = lossKernels(loss.kind, dimOf(out.irreps), rows);
  ctx.scratch("s.loss.partial", rows, 1);
  b.buffer({ name: "loss", rows: { count: 1 }, cols: 1, type: "f32", role: "scratch" });
  b.step("backward", "loss.partial", k.partial, rows, { y: `v.${src}`, y_target: `v.${target}`, partial: "s.loss.partial" });
  if (ctx.shape && typeof rows === "string") blockSum(ctx, "loss.total", "s.loss.partial", 1, { per: rows, block: 1 }, "loss", 0, false, k.factor);
  else b.step("backward", "loss.total", k.total, { count: 1 }, { partial: "s.loss.partial", loss: "loss" });
  const gy = ctx.grad(src);
  if (gy) b.step("backward", "loss.backward", k.backward, rows, { y: `v.${src}`, y_target: `v.${target}`, grad_y: gy });
}

/** The optimiser's step over every parameter, then the proximal steps the relaxed layers queued. */
export function planOptimizer(ctx: PlanContext): void {
  const { ir, b } = ctx;
  const count: Extent = { count: Math.max(1, ir.paramCount) };
  b.buffer({ name: "hyper", rows: { count: 8 }, cols: 1, type: "f32", role: "state" });
  if (ir.train.optimizer.kind === "sgd") {
    b.buffer({ name: "opt_momentum", rows: count, cols: 1, type: "f32", role: "state" });
    b.step("update", "sgd", sgdKernel(), count, { hyper: "hyper", grad_params: "grad_params", param: "params", momentum: "opt_momentum" });
  } else {
    b.buffer({ name: "opt_m", rows: count, cols: 1, type: "f32", role: "state" });
    b.buffer({ name: "opt_v", rows: count, cols: 1, type: "f32", role: "state" });
    b.step("update", "adam", adamKernel(), count, { hyper: "hyper", grad_params: "grad_params", param: "params", adam_m: "opt_m", adam_v: "opt_v" });
  }
  for (const { label, kernel } of ctx.proximal) b.step("update", label, kernel, kernel.rows as Extent, { hyper: "hyper", model_params: "params" });
}

/** θ's pure-scalar initialisation: the flat indices of each relaxed layer's 0e coefficients. */
export function thetaScalarIndices(ctx: PlanContext): number[] {
  const { ir } = ctx;
  const indices: number[] = [];
  for (const p of ir.params) {
    if (p.init !== "theta_scalar") continue;
    const layer = relaxedLayerOfTheta(ir, p.name);
    if (layer.thetaLayout.scalar.length !== p.size) throw new Error(`plan: '${p.name}' has ${p.size} coefficients, its θ layout ${layer.thetaLayout.scalar.length}`);
    layer.thetaLayout.scalar.forEach((v, i) => {
      if (v !== 0) indices.push(p.offset + i);
    });
  }
  return indices;
}
