/**
 * One layer forward and backward, by op: every op's reference, keyed by op so that an op without one does
 * not type-check (the semantics of each op live in its own module).
 */
import type { LayerIR, LayerOf, LayerOp } from "../ir/types.js";
import { addLayer } from "./add.js";
import { concatLayer } from "./concat.js";
import type { InputGrads, LayerContext } from "./context.js";
import { convLayer } from "./convolution.js";
import { gateLayer } from "./gate.js";
import type { LayerReference } from "./layer-reference.js";
import { normLayer } from "./norm.js";
import { poolLayer } from "./pool.js";
import { productLayer } from "./products.js";

export const LAYER_REFERENCES: { [K in LayerOp]: LayerReference<LayerOf<K>> } = {
  relaxed_conv: convLayer,
  conv: convLayer,
  relaxed_node: productLayer,
  linear: productLayer,
  self_connection: productLayer,
  gate: gateLayer,
  norm: normLayer,
  pool: poolLayer,
  add: addLayer,
  concat: concatLayer,
};

const referenceOf = (op: LayerOp) => LAYER_REFERENCES[op] as LayerReference;

export function layerForward(ctx: LayerContext, layer: LayerIR): Float64Array {
  return referenceOf(layer.op).forward(ctx, layer);
}

/** Gradients of the layer's inputs for output gradient gOut; parameter gradients accumulate into gradParams. */
export function layerBackward(ctx: LayerContext, layer: LayerIR, gOut: Float64Array, gradParams: Float64Array): InputGrads {
  return referenceOf(layer.op).backward(ctx, layer, gOut, gradParams);
}
