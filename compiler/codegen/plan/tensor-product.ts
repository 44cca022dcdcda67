/** Tensor-product steps, forward and backward, shared by the linear, conv and relaxed planners. */
import type { Extent } from "../../../runtime/model/plan.js";
import type { TensorProductIR } from "../../ir/types.js";
import { tensorProductBackwardWGSL, tensorProductBindings, tensorProductForwardWGSL, type TensorProductKernelOptions } from "../wgsl/tensor-product.js";
import { dimOf, type PlanContext } from "./context.js";

/** Adds a tensor-product forward step into the given output buffer. */
export function tpForward(ctx: PlanContext, label: string, tp: TensorProductIR, opts: TensorProductKernelOptions, bind: { x1: string; x2: string; weight: string; out: string }, rows: Extent): void {
  const kernel = { code: tensorProductForwardWGSL(tp, opts), bindings: tensorProductBindings("forward", opts) };
  ctx.b.step("forward", label, kernel, rows, { ...bind, tp_table: ctx.tableOf(tp), ...(opts.x1 === "gather" ? { idx1: "edge_src" } : {}) });
}

/** Tensor-product backward into per-row scratch gradients (`<prefix>.gx1`, `.gx2`, `.gw`); returns their names. */
export function tpBackward(ctx: PlanContext, label: string, tp: TensorProductIR, opts: TensorProductKernelOptions, bind: { x1: string; x2: string; weight: string; grad_out: string }, rows: Extent, prefix: string) {
  const gx1 = ctx.scratch(`${prefix}.gx1`, rows, dimOf(tp.irrepsIn1));
  const gx2 = ctx.scratch(`${prefix}.gx2`, rows, dimOf(tp.irrepsIn2));
  const gw = ctx.scratch(`${prefix}.gw`, rows, tp.weightNumel);
  const kernel = { code: tensorProductBackwardWGSL(tp, opts), bindings: tensorProductBindings("backward", opts) };
  ctx.b.step("backward", label, kernel, rows, { ...bind, tp_table: ctx.tableOf(tp), grad_x1: gx1, grad_x2: gx2, grad_weight: gw, ...(opts.x1 === "gather" ? { idx1: "edge_src" } : {}) });
  return { gx1, gx2, gw };
}
