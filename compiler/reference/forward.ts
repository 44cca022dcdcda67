/**
 * The float64 forward pass of a model's IR: inputs from the batch, edge attributes from the edge vectors,
 * then every layer in the IR's order. Every value is kept, by its IR name (outputs alias their source).
 */
import type { ModelIR } from "../ir/types.js";
import type { GraphBatch } from "../../runtime/graph/batch.js";
import { checkBatch } from "./batch-check.js";
import type { LayerContext } from "./context.js";
import { rowsOf } from "./domains.js";
import { edgeAttrForward, edgeVectors } from "./edge-attrs.js";
import { layerForward } from "./layers.js";
import { checkParams } from "./params.js";
import { outputSources, shapeOf } from "../ir/values.js";

export interface ForwardResult {
  values: Map<string, Float64Array>;
  outputs: Record<string, Float64Array>;
}

export function contextOf(ir: ModelIR, params: Float64Array, batch: GraphBatch, values: Map<string, Float64Array>): LayerContext {
  return {
    ir,
    params,
    batch,
    value(name) {
      const v = values.get(name);
      if (!v) throw new Error(`value '${name}' has not been computed`);
      return v;
    },
  };
}

export function inputFeatures(ir: ModelIR, batch: GraphBatch): Map<string, Float64Array> {
  const values = new Map<string, Float64Array>();
  for (const f of ir.inputs) {
    const x = batch.features[f.name];
    const want = rowsOf(f.domain, batch) * shapeOf(ir, f.name).dim;
    if (!x) throw new Error(`batch.features.${f.name}: input '${f.name}' (${f.irreps} per ${f.domain}) is missing`);
    if (x.length !== want) throw new Error(`batch.features.${f.name} has ${x.length} numbers, expected ${want} (${rowsOf(f.domain, batch)} x '${f.irreps}')`);
    values.set(f.name, x);
  }
  return values;
}

export function executeForward(ir: ModelIR, params: Float64Array, batch: GraphBatch): ForwardResult {
  checkParams(ir, params);
  checkBatch(batch);
  const values = inputFeatures(ir, batch);
  if (ir.edgeAttrs.length) {
    const vec = edgeVectors(ir, batch);
    for (const a of ir.edgeAttrs) values.set(a.name, edgeAttrForward(a, vec, batch.numEdges));
  }
  const ctx = contextOf(ir, params, batch, values);
  for (const layer of ir.layers) {
    const out = layerForward(ctx, layer);
    const want = rowsOf(layer.domain, batch) * shapeOf(ir, layer.name).dim;
    if (out.length !== want) throw new Error(`layer '${layer.name}' produced ${out.length} numbers, expected ${want}`);
    values.set(layer.name, out);
  }
  const outputs: Record<string, Float64Array> = {};
  for (const [name, source] of outputSources(ir)) {
    outputs[name] = ctx.value(source);
    if (!values.has(name)) values.set(name, outputs[name]);
  }
  return { values, outputs };
}
