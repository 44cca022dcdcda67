/**
 * The node-wise products (rows of one domain, shared weights W):
 *   linear:          tp(x, 1, W), with 1 the constant 1x0e of value 1 on every row (e3nn's o3.Linear)
 *   self_connection: tp(x, attr, W), or tp(x, 1, W) without attr
 *   relaxed_node:    tp(x, θ, W), θ = B c broadcast to every row
 */
import type { LayerReference } from "./layer-reference.js";
import type { LayerIR } from "../ir/types.js";
import { tpWeightParam } from "../ir/params.js";
import { type InputGrads, type LayerContext } from "./context.js";
import { broadcastRows, ones, rowsOf, sumRows } from "./domains.js";
import { addParamGrad, paramView } from "./params.js";
import { tensorProductOf } from "../ir/tensor-products.js";
import { coefficientGrad, thetaFromCoefficients, thetaLayout } from "../nn/theta-layout.js";

type ProductIR = Extract<LayerIR, { op: "linear" | "self_connection" | "relaxed_node" }>;

function operands(ctx: LayerContext, layer: ProductIR) {
  const rows = rowsOf(layer.domain, ctx.batch);
  const x = ctx.value(layer.inputs[0]!);
  let second: Float64Array, attr: string | null = null;
  if (layer.op === "relaxed_node") {
    const layout = thetaLayout(ctx.ir, layer.theta, layer.thetaIrreps);
    second = broadcastRows(thetaFromCoefficients(layout, paramView(ctx.ir, ctx.params, layer.theta)), rows);
  } else if (layer.op === "self_connection" && layer.attr !== null) {
    attr = layer.attr;
    second = ctx.value(attr);
  } else second = ones(rows);
  const wName = tpWeightParam(layer);
  return { rows, x, second, attr, wName, w: paramView(ctx.ir, ctx.params, wName), tp: tensorProductOf(layer.tp) };
}

export function productForward(ctx: LayerContext, layer: ProductIR): Float64Array {
  const { rows, x, second, w, tp } = operands(ctx, layer);
  return tp.forward(x, second, w, rows);
}

export function productBackward(ctx: LayerContext, layer: ProductIR, gOut: Float64Array, gradParams: Float64Array): InputGrads {
  const { rows, x, second, attr, wName, w, tp } = operands(ctx, layer);
  const g = tp.backward(x, second, w, gOut, rows);
  addParamGrad(ctx.ir, gradParams, wName, g.weight);
  const out: InputGrads = [{ name: layer.inputs[0]!, grad: g.x1 }];
  if (layer.op === "relaxed_node") {
    const layout = thetaLayout(ctx.ir, layer.theta, layer.thetaIrreps);
    addParamGrad(ctx.ir, gradParams, layer.theta, coefficientGrad(layout, sumRows(g.x2, rows, layout.dim)));
  } else if (attr !== null) out.push({ name: attr, grad: g.x2 });
  return out;
}

export const productLayer: LayerReference<ProductIR> = { forward: productForward, backward: productBackward };
