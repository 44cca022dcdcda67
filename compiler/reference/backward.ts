/**
 * The float64 backward pass: gradients of Σ_outputs <output, gradOutputs[output]> with respect to every
 * parameter (flat, in `ir.params` layout) and every input (node, edge and graph features, and the positions,
 * whose gradient also collects the edge attributes' through the edge vectors: + at pos[dst], - at pos[src]).
 * Layers run in reverse order; each recomputes what it needs from the forward values.
 */
import type { ModelIR } from "../ir/types.js";
import type { GraphBatch } from "../../runtime/graph/batch.js";
import { rowsOf } from "./domains.js";
import { edgeAttrBackward, edgeVectorGradToPositions, edgeVectors } from "./edge-attrs.js";
import { contextOf, type ForwardResult } from "./forward.js";
import { layerBackward } from "./layers.js";
import { checkParams } from "./params.js";
import { outputSources, shapeOf } from "../ir/values.js";

export interface BackwardResult {
  params: Float64Array;
  inputs: Record<string, Float64Array>;
}

export function executeBackward(
  ir: ModelIR,
  params: Float64Array,
  batch: GraphBatch,
  forward: ForwardResult,
  gradOutputs: Record<string, Float64Array>,
): BackwardResult {
  checkParams(ir, params);
  const grads = new Map<string, Float64Array>();
  const accumulate = (name: string, g: Float64Array) => {
    const have = grads.get(name);
    if (!have) grads.set(name, Float64Array.from(g));
    else {
      if (have.length !== g.length) throw new Error(`gradient of '${name}': ${g.length} numbers, expected ${have.length}`);
      for (let i = 0; i < g.length; i++) have[i] += g[i]!;
    }
  };
  const sources = outputSources(ir);
  for (const name of Object.keys(gradOutputs)) if (!sources.has(name)) throw new Error(`gradOutputs.${name}: the model has no output '${name}'`);
  for (const out of ir.outputs) {
    const g = gradOutputs[out.name];
    if (!g) continue;
    const want = forward.outputs[out.name]?.length;
    if (g.length !== want) throw new Error(`gradOutputs.${out.name} has ${g.length} numbers, expected ${want}`);
    accumulate(sources.get(out.name)!, g);
  }

  const gradParams = new Float64Array(ir.paramCount);
  const ctx = contextOf(ir, params, batch, forward.values);
  for (let k = ir.layers.length - 1; k >= 0; k--) {
    const layer = ir.layers[k]!;
    const g = grads.get(layer.name);
    if (!g) continue;
    for (const { name, grad } of layerBackward(ctx, layer, g, gradParams)) accumulate(name, grad);
  }

  const inputs: Record<string, Float64Array> = {};
  for (const f of ir.inputs) inputs[f.name] = grads.get(f.name) ?? new Float64Array(rowsOf(f.domain, batch) * shapeOf(ir, f.name).dim);
  const pos = ir.graph.positions;
  if (pos !== null && ir.edgeAttrs.some((a) => grads.has(a.name))) {
    const vec = edgeVectors(ir, batch);
    const gvec = new Float64Array(batch.numEdges * 3);
    for (const a of ir.edgeAttrs) {
      const g = grads.get(a.name);
      if (g) edgeAttrBackward(a, vec, g, batch.numEdges, gvec);
    }
    inputs[pos] ??= new Float64Array(batch.numNodes * 3);
    edgeVectorGradToPositions(batch, gvec, inputs[pos]);
  }
  return { params: gradParams, inputs };
}
