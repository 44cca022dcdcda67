/**
 * Every layer op's planner. Keyed by the IR's op, so an op added to the IR without a planner here does not
 * type-check.
 */
import type { LayerOf, LayerOp } from "../../ir/types.js";
import { convPlanner } from "./conv.js";
import { linearPlanner } from "./linear.js";
import type { LayerPlanner } from "./planner.js";
import { addPlanner, concatPlanner, gatePlanner, normPlanner } from "./pointwise.js";
import { poolPlanner } from "./pool.js";
import { relaxedConvPlanner, relaxedNodePlanner } from "./relaxed.js";

export const LAYER_PLANNERS: { [K in LayerOp]: LayerPlanner<LayerOf<K>> } = {
  linear: linearPlanner,
  self_connection: linearPlanner,
  conv: convPlanner,
  relaxed_node: relaxedNodePlanner,
  relaxed_conv: relaxedConvPlanner,
  gate: gatePlanner,
  norm: normPlanner,
  add: addPlanner,
  concat: concatPlanner,
  pool: poolPlanner,
};

/** The planner of a layer's op. */
export function plannerOf(op: LayerOp): LayerPlanner {
  return LAYER_PLANNERS[op] as LayerPlanner;
}
