/** The shape of one op family's planner: its layer's forward steps and backward steps together. */
import type { LayerIR } from "../../ir/types.js";
import type { PlanContext } from "./context.js";

export interface LayerPlanner<L extends LayerIR = LayerIR> {
  /** The layer's forward steps, writing `v.<layer>` (or its column groups). */
  forward(ctx: PlanContext, layer: L): void;
  /** The layer's backward steps, given its output's gradient buffer (called only when one flows). */
  backward(ctx: PlanContext, layer: L, gOut: string): void;
  /**
   * The backward of a layer whose output is stored as column groups (splits.ts), given one gradient buffer
   * per group; only ops whose output may be split implement it.
   */
  backwardGroups?(ctx: PlanContext, layer: L, gOut: string[]): void;
}
