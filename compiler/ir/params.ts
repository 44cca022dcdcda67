/** A parameter's entry in the IR, for every stage that reads the flat parameter vector. */
import type { LayerIR, ModelIR, ParamIR } from "./types.js";

export function paramInfo(ir: ModelIR, name: string): ParamIR {
  const p = ir.params.find((q) => q.name === name);
  if (!p) throw new Error(`the IR has no parameter '${name}'`);
  return p;
}

/** The single tensor-product weight parameter of a layer: the one that is neither θ nor a radial MLP weight. */
export function tpWeightParam(layer: LayerIR): string {
  const skip = new Set<string>([...("theta" in layer ? [layer.theta] : []), ...("radial" in layer ? layer.radial.params : [])]);
  const rest = layer.params.filter((p) => !skip.has(p));
  if (rest.length !== 1) throw new Error(`layer '${layer.name}': expected one tensor-product weight parameter, found [${rest.join(", ")}]`);
  return rest[0]!;
}
