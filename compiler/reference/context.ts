/** What a layer needs to run: the IR, the parameters, the batch and the values computed so far. */
import type { ModelIR } from "../ir/types.js";
import type { GraphBatch } from "../../runtime/graph/batch.js";

export interface LayerContext {
  ir: ModelIR;
  params: Float64Array;
  batch: GraphBatch;
  /** A value computed (or supplied) earlier, by name. */
  value(name: string): Float64Array;
}

/** Gradients of a layer's inputs (one per `layer.inputs` entry, plus the self-connection attribute). */
export type InputGrads = { name: string; grad: Float64Array }[];

