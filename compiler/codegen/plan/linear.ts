/**
 * Linear layers and self-connections: the tensor product with the constant 1x0e (broadcast), or with the
 * self-connection's attribute. A plain linear layer (linear.ts) runs as block-by-block matrix kernels that
 * read a value stored as column groups group by group; any other runs as a general tensor product.
 */
import type { Extent } from "../../../runtime/model/plan.js";
import type { LayerOf, TensorProductIR } from "../../ir/types.js";
import { isPlainLinear, linearBackwardInputSteps, linearForwardSteps, linearWeightGradSteps } from "../wgsl/linear.js";
import type { TensorProductKernelOptions } from "../wgsl/tensor-product.js";
import type { PlanContext } from "./context.js";
import type { LayerPlanner } from "./planner.js";
import { addInto, blockSum, columnSum } from "./reduce.js";
import { tpBackward, tpForward } from "./tensor-product.js";

type LinearLayer = LayerOf<"linear" | "self_connection">;

function operands(ctx: PlanContext, layer: LinearLayer): { attr: string; opts: TensorProductKernelOptions } {
  const attr = layer.op === "self_connection" && layer.attr ? `v.${layer.attr}` : "one";
  return { attr, opts: { x2: attr === "one" ? "broadcast" : "row", weightOffset: ctx.offsetOf(layer.params[0]!) } };
}

/**
 * A plain linear layer's weight gradient. GPU shape: per block of nodes into a partial buffer (one row
 * per block, the layer's weights as columns), then a tree of block sums into grad_params.
 */
function weightGrad(ctx: PlanContext, L: string, tp: TensorProductIR, weightOffset: number, x: string, gOut: string, rows: Extent): void {
  const shape = ctx.shape;
  if (typeof rows !== "string") throw new Error(`plan: linear layer '${L}' ranges over a fixed count of rows`);
  const blocked = shape ? rows : undefined;
  const partial = blocked && ctx.scratch(`s.${L}.grad_weight_partial`, { per: blocked, block: shape!.nodeBlock, times: 1 }, tp.weightNumel);
  linearWeightGradSteps(tp, weightOffset, rows, ctx.splits.get(x), blocked && { block: shape!.nodeBlock }).forEach((st, i) => {
    const dispatch: Extent = blocked ? { per: blocked, block: shape!.nodeBlock, times: st.rows! } : { count: st.rows! };
    ctx.b.step("backward", `${L}.grad_weight.${i}`, st.kernel, dispatch, { x: ctx.part("v", x, st.group), grad_out: gOut, lin_table: ctx.linTable(`${L}.grad_weight.${i}`, st.table), grad_params: partial || "grad_params" });
  });
  if (blocked) blockSum(ctx, `${L}.grad_weight`, partial!, tp.weightNumel, { per: blocked, block: shape!.nodeBlock }, "grad_params", weightOffset, false);
}

export const linearPlanner: LayerPlanner<LinearLayer> = {
  forward(ctx, layer) {
    const L = layer.name, out = `v.${L}`, rows = ctx.rowsOf(L), x = layer.inputs[0]!;
    const { attr, opts } = operands(ctx, layer);
    if (attr === "one" && isPlainLinear(layer.tp)) {
      linearForwardSteps(layer.tp, opts.weightOffset!, ctx.splits.get(x)).forEach((st, i) =>
        ctx.b.step("forward", `${L}.forward.${i}`, st.kernel, rows, { input: ctx.part("v", x, st.group), model_params: "params", lin_table: ctx.linTable(`${L}.forward.${i}`, st.table), output: out }),
      );
      return;
    }
    tpForward(ctx, `${L}.forward`, layer.tp, opts, { x1: `v.${x}`, x2: attr, weight: "params", out }, rows);
  },

  backward(ctx, layer, gOut) {
    const L = layer.name, rows = ctx.rowsOf(L), x = layer.inputs[0]!;
    const { attr, opts } = operands(ctx, layer);
    if (attr === "one" && isPlainLinear(layer.tp)) {
      weightGrad(ctx, L, layer.tp, opts.weightOffset!, x, gOut, rows);
      const split = ctx.splits.has(x);
      const whole = split ? undefined : ctx.grad(x);
      const gx = split ? ctx.gradParts(x) : whole && [whole];
      if (gx) {
        linearBackwardInputSteps(layer.tp, opts.weightOffset!, ctx.splits.get(x)).forEach((st, i) =>
          ctx.b.step("backward", `${L}.backward.${i}`, st.kernel, rows, { input: gOut, model_params: "params", lin_table: ctx.linTable(`${L}.backward.${i}`, st.table), output: gx[st.group]! }),
        );
      }
      return;
    }
    const g = tpBackward(ctx, `${L}.backward`, layer.tp, opts, { x1: `v.${x}`, x2: attr, weight: "params", grad_out: gOut }, rows, `s.${L}`);
    columnSum(ctx, `${L}.grad_weight`, g.gw, layer.tp.weightNumel, rows, "grad_params", ctx.offsetOf(layer.params[0]!));
    addInto(ctx, x, g.gx1, rows);
    if (layer.op === "self_connection" && layer.attr) addInto(ctx, layer.attr, g.gx2, rows);
  },
};
