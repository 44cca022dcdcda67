/** One layer forward and backward, by op (the semantics of each op live in the module it dispatches to). */
import type { LayerIR } from "../ir/types.js";
import { concatBackward, concatForward } from "./concat.js";
import type { InputGrads, LayerContext } from "./context.js";
import { convBackward, convForward } from "./convolution.js";
import { rowsOf } from "./domains.js";
import { gateBackward, gateForward } from "./gate.js";
import { normBackward, normForward } from "./norm.js";
import { addParamGrad, paramView } from "./params.js";
import { poolBackward, poolForward } from "./pool.js";
import { productBackward, productForward } from "./products.js";
import { shapeOf } from "../ir/values.js";

function inputDims(ctx: LayerContext, layer: LayerIR): number[] {
  return layer.inputs.map((n) => shapeOf(ctx.ir, n).dim);
}

export function layerForward(ctx: LayerContext, layer: LayerIR): Float64Array {
  const rows = rowsOf(layer.domain, ctx.batch);
  switch (layer.op) {
    case "relaxed_conv":
    case "conv":
      return convForward(ctx, layer);
    case "relaxed_node":
    case "linear":
    case "self_connection":
      return productForward(ctx, layer);
    case "gate":
      return gateForward(layer, ctx.value(layer.inputs[0]!), rows, inputDims(ctx, layer)[0]!);
    case "norm":
      return normForward(shapeOf(ctx.ir, layer.inputs[0]!).irreps, layer.eps, paramView(ctx.ir, ctx.params, layer.params[0]!), ctx.value(layer.inputs[0]!), rows);
    case "pool":
      return poolForward(ctx.batch, layer.reduce, ctx.value(layer.inputs[0]!), inputDims(ctx, layer)[0]!);
    case "add": {
      const [a, b] = [ctx.value(layer.inputs[0]!), ctx.value(layer.inputs[1]!)];
      return a.map((v, i) => v + b[i]!);
    }
    case "concat":
      return concatForward(layer.inputs.map((n) => ctx.value(n)), inputDims(ctx, layer), rows);
  }
}

/** Gradients of the layer's inputs for output gradient gOut; parameter gradients accumulate into gradParams. */
export function layerBackward(ctx: LayerContext, layer: LayerIR, gOut: Float64Array, gradParams: Float64Array): InputGrads {
  const rows = rowsOf(layer.domain, ctx.batch);
  const x0 = layer.inputs[0]!;
  switch (layer.op) {
    case "relaxed_conv":
    case "conv":
      return convBackward(ctx, layer, gOut, gradParams);
    case "relaxed_node":
    case "linear":
    case "self_connection":
      return productBackward(ctx, layer, gOut, gradParams);
    case "gate":
      return [{ name: x0, grad: gateBackward(layer, ctx.value(x0), rows, gOut) }];
    case "norm": {
      const g = normBackward(shapeOf(ctx.ir, x0).irreps, layer.eps, paramView(ctx.ir, ctx.params, layer.params[0]!), ctx.value(x0), rows, gOut);
      addParamGrad(ctx.ir, gradParams, layer.params[0]!, g.weight);
      return [{ name: x0, grad: g.x }];
    }
    case "pool":
      return [{ name: x0, grad: poolBackward(ctx.batch, layer.reduce, gOut, inputDims(ctx, layer)[0]!) }];
    case "add":
      return layer.inputs.map((name) => ({ name, grad: gOut }));
    case "concat":
      return concatBackward(gOut, inputDims(ctx, layer), rows).map((grad, k) => ({ name: layer.inputs[k]!, grad }));
  }
}
