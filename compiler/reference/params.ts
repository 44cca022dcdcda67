/** The flat parameter vector: views of one named parameter, and accumulation of its gradient. */
import type { ModelIR } from "../ir/types.js";
import { paramInfo } from "../ir/params.js";

export { paramInfo };

export function checkParams(ir: ModelIR, params: Float64Array): void {
  if (params.length !== ir.paramCount) throw new Error(`params has ${params.length} numbers, the IR needs ${ir.paramCount}`);
}

/** A view (no copy) of parameter `name`. */
export function paramView(ir: ModelIR, params: Float64Array, name: string): Float64Array {
  const p = paramInfo(ir, name);
  return params.subarray(p.offset, p.offset + p.size);
}

/** grad[name] += g. */
export function addParamGrad(ir: ModelIR, grad: Float64Array, name: string, g: ArrayLike<number>): void {
  const p = paramInfo(ir, name);
  if (g.length !== p.size) throw new Error(`gradient of '${name}' has ${g.length} numbers, the parameter ${p.size}`);
  for (let i = 0; i < p.size; i++) grad[p.offset + i] += g[i]!;
}
