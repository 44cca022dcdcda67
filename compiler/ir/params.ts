/** A parameter's entry in the IR, for every stage that reads the flat parameter vector. */
import type { ModelIR, ParamIR } from "./types.js";

export function paramInfo(ir: ModelIR, name: string): ParamIR {
  const p = ir.params.find((q) => q.name === name);
  if (!p) throw new Error(`the IR has no parameter '${name}'`);
  return p;
}
