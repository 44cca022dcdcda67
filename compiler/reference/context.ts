/** What a layer needs to run: the IR, the parameters, the batch and the values computed so far. */
import type { LayerIR, ModelIR } from "../ir/types.js";
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

/** The single tensor-product weight parameter of a layer: the one that is neither θ nor a radial MLP weight. */
export function tpWeightParam(layer: LayerIR): string {
  const skip = new Set<string>([...("theta" in layer ? [layer.theta] : []), ...("radial" in layer ? layer.radial.params : [])]);
  const rest = layer.params.filter((p) => !skip.has(p));
  if (rest.length !== 1) throw new Error(`layer '${layer.name}': expected one tensor-product weight parameter, found [${rest.join(", ")}]`);
  return rest[0]!;
}
