/** Every layer op's lowering, keyed by op so that an op without one does not type-check. */
import type { LayerOp } from "../types.js";
import type { LayerLowerer } from "./context.js";
import { lowerConv } from "./conv.js";
import { lowerLinear, lowerSelfConnection } from "./linear.js";
import { lowerAdd, lowerConcat, lowerGate, lowerNorm, lowerPool } from "./pointwise.js";
import { lowerRelaxedConv, lowerRelaxedNode } from "./relaxed.js";

export const LAYER_LOWERERS: { [K in LayerOp]: LayerLowerer<K> } = {
  relaxed_conv: lowerRelaxedConv,
  relaxed_node: lowerRelaxedNode,
  conv: lowerConv,
  linear: lowerLinear,
  self_connection: lowerSelfConnection,
  gate: lowerGate,
  norm: lowerNorm,
  pool: lowerPool,
  add: lowerAdd,
  concat: lowerConcat,
};
