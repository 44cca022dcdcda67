/** `pool`: per graph, the sum (or mean) of its nodes' rows (graphs own contiguous node ranges). An empty graph pools to 0. */
import type { GraphBatch } from "../../runtime/graph/batch.js";
import type { LayerOf } from "../ir/types.js";
import { shapeOf } from "../ir/values.js";
import type { LayerReference } from "./layer-reference.js";

function scaleOf(batch: GraphBatch, g: number, reduce: "sum" | "mean"): number {
  const n = batch.graphNodeOffsets[g + 1]! - batch.graphNodeOffsets[g]!;
  return reduce === "sum" ? 1 : n > 0 ? 1 / n : 0;
}

export function poolForward(batch: GraphBatch, reduce: "sum" | "mean", x: Float64Array, dim: number): Float64Array {
  const out = new Float64Array(batch.numGraphs * dim);
  for (let g = 0; g < batch.numGraphs; g++) {
    const c = scaleOf(batch, g, reduce);
    for (let i = batch.graphNodeOffsets[g]!; i < batch.graphNodeOffsets[g + 1]!; i++) for (let q = 0; q < dim; q++) out[g * dim + q] += x[i * dim + q]!;
    for (let q = 0; q < dim; q++) out[g * dim + q] *= c;
  }
  return out;
}

export function poolBackward(batch: GraphBatch, reduce: "sum" | "mean", gOut: Float64Array, dim: number): Float64Array {
  const gx = new Float64Array(batch.numNodes * dim);
  for (let g = 0; g < batch.numGraphs; g++) {
    const c = scaleOf(batch, g, reduce);
    for (let i = batch.graphNodeOffsets[g]!; i < batch.graphNodeOffsets[g + 1]!; i++) for (let q = 0; q < dim; q++) gx[i * dim + q] = c * gOut[g * dim + q]!;
  }
  return gx;
}

export const poolLayer: LayerReference<LayerOf<"pool">> = {
  forward: (ctx, layer) => poolForward(ctx.batch, layer.reduce, ctx.value(layer.inputs[0]!), shapeOf(ctx.ir, layer.inputs[0]!).dim),
  backward: (ctx, layer, gOut) => [{ name: layer.inputs[0]!, grad: poolBackward(ctx.batch, layer.reduce, gOut, shapeOf(ctx.ir, layer.inputs[0]!).dim) }],
};
