/** The shape of one op's float64 reference: its layer's forward and backward. */
import type { LayerIR } from "../ir/types.js";
import type { InputGrads, LayerContext } from "./context.js";

export interface LayerReference<L extends LayerIR = LayerIR> {
  forward(ctx: LayerContext, layer: L): Float64Array;
  /** Gradients of the layer's inputs for output gradient gOut; parameter gradients accumulate into gradParams. */
  backward(ctx: LayerContext, layer: L, gOut: Float64Array, gradParams: Float64Array): InputGrads;
}
