import type { ModelIR } from "./types.js";

/** Whether a model reads edges at all: a node-wise model (relaxed_node, linear, …) can run on graphs without any. */
export function modelUsesEdges(ir: ModelIR): boolean {
  return ir.edgeAttrs.length > 0 || ir.inputs.some((f) => f.domain === "edge") || ir.layers.some((l) => l.op === "conv" || l.op === "relaxed_conv");
}
