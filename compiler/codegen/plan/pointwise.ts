/** Row-wise layers: gate, norm, add and concat (each row of the output from the same row of the inputs). */
import type { LayerOf } from "../../ir/types.js";
import { gateKernels } from "../wgsl/pointwise-gate.js";
import { normKernels, normWeightCount } from "../wgsl/pointwise-norm.js";
import { addKernels, concatPieceKernels } from "../wgsl/pointwise.js";
import type { LayerPlanner } from "./planner.js";
import { addInto, columnSum } from "./reduce.js";

export const gatePlanner: LayerPlanner<LayerOf<"gate">> = {
  forward(ctx, layer) {
    const L = layer.name;
    ctx.b.step("forward", `${L}.forward`, gateKernels(layer).forward, ctx.rowsOf(L), { x: `v.${layer.inputs[0]!}`, out: `v.${L}` });
  },
  backward(ctx, layer, gOut) {
    const L = layer.name, x = layer.inputs[0]!;
    const g = ctx.grad(x);
    if (g) ctx.b.step("backward", `${L}.backward`, gateKernels(layer).backward, ctx.rowsOf(L), { x: `v.${x}`, grad_out: gOut, grad_x: g });
  },
};

export const normPlanner: LayerPlanner<LayerOf<"norm">> = {
  forward(ctx, layer) {
    const L = layer.name, x = layer.inputs[0]!;
    const k = normKernels(ctx.irrepsOf(x), layer.eps, ctx.offsetOf(layer.params[0]!));
    ctx.b.step("forward", `${L}.forward`, k.forward, ctx.rowsOf(L), { x: `v.${x}`, weight: "params", out: `v.${L}` });
  },
  backward(ctx, layer, gOut) {
    const L = layer.name, rows = ctx.rowsOf(L), x = layer.inputs[0]!;
    const k = normKernels(ctx.irrepsOf(x), layer.eps, ctx.offsetOf(layer.params[0]!));
    const n = normWeightCount(ctx.irrepsOf(x));
    const gwr = ctx.scratch(`s.${L}.gw`, rows, n);
    const g = ctx.grad(x) ?? ctx.scratch(`s.${L}.gx`, rows, ctx.colsOfValue(x), "gradient");
    ctx.b.step("backward", `${L}.backward`, k.backward, rows, { x: `v.${x}`, weight: "params", grad_out: gOut, grad_x: g, grad_weight_rows: gwr });
    columnSum(ctx, `${L}.grad_weight`, gwr, n, rows, "grad_params", ctx.offsetOf(layer.params[0]!));
  },
};

export const addPlanner: LayerPlanner<LayerOf<"add">> = {
  forward(ctx, layer) {
    const L = layer.name;
    ctx.b.step("forward", `${L}.forward`, addKernels(ctx.colsOfValue(L)).forward, ctx.rowsOf(L), { a: `v.${layer.inputs[0]!}`, b: `v.${layer.inputs[1]!}`, out: `v.${L}` });
  },
  backward(ctx, layer, gOut) {
    const L = layer.name, rows = ctx.rowsOf(L), [a, b] = [layer.inputs[0]!, layer.inputs[1]!];
    if (a === b) {
      // add(a, a): one gradient buffer cannot be bound twice for writing; add the rows twice instead.
      addInto(ctx, a, gOut, rows);
      addInto(ctx, a, gOut, rows);
      return;
    }
    const [ga, gb] = [ctx.grad(a), ctx.grad(b)];
    const k = addKernels(ctx.colsOfValue(L)).backward;
    const sink = (g: string | undefined, n: string) => g ?? ctx.scratch(`s.${L}.sink.${n}`, rows, ctx.colsOfValue(n), "gradient");
    ctx.b.step("backward", `${L}.backward`, k, rows, { grad_out: gOut, grad_a: sink(ga, a), grad_b: sink(gb, b) });
  },
};

export const concatPlanner: LayerPlanner<LayerOf<"concat">> = {
  forward(ctx, layer) {
    const L = layer.name, dims = layer.inputs.map((n) => ctx.colsOfValue(n));
    layer.inputs.forEach((n, k) => ctx.b.step("forward", `${L}.piece${k}`, concatPieceKernels(dims, k).forward, ctx.rowsOf(L), { x: `v.${n}`, out: `v.${L}` }));
  },
  backward(ctx, layer, gOut) {
    const L = layer.name, dims = layer.inputs.map((n) => ctx.colsOfValue(n));
    layer.inputs.forEach((n, k) => {
      const g = ctx.grad(n);
      if (g) ctx.b.step("backward", `${L}.piece${k}.backward`, concatPieceKernels(dims, k).backward, ctx.rowsOf(L), { grad_out: gOut, grad_x: g });
    });
  },
};
