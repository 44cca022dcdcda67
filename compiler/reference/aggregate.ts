/**
 * Message passing plumbing, deterministic as the kernels must be: gather x[src] per edge; sum messages per
 * destination with the CSR by destination (each node adds its incoming edges in edge order); the backward of
 * the gather sums per source with the CSR by source.
 */
import type { GraphBatch } from "../../runtime/graph/batch.js";

/** (numEdges, dim): row e is x[src_e]. */
export function gatherSources(batch: GraphBatch, x: Float64Array, dim: number): Float64Array {
  const out = new Float64Array(batch.numEdges * dim);
  for (let e = 0; e < batch.numEdges; e++) out.set(x.subarray(batch.edgeSrc[e]! * dim, (batch.edgeSrc[e]! + 1) * dim), e * dim);
  return out;
}

/** Backward of `gatherSources`: g[i] = Σ over edges leaving i of gEdge[e]. */
export function gatherSourcesBackward(batch: GraphBatch, gEdge: Float64Array, dim: number): Float64Array {
  const g = new Float64Array(batch.numNodes * dim);
  for (let i = 0; i < batch.numNodes; i++)
    for (let t = batch.srcOffsets[i]!; t < batch.srcOffsets[i + 1]!; t++) {
      const e = batch.srcEdges[t]!;
      for (let q = 0; q < dim; q++) g[i * dim + q] += gEdge[e * dim + q]!;
    }
  return g;
}

/** (numNodes, dim): out[i] = scale · Σ over edges into i (CSR by destination, edge order) of m[e]. */
export function sumByDestination(batch: GraphBatch, m: Float64Array, dim: number, scale: number): Float64Array {
  const out = new Float64Array(batch.numNodes * dim);
  for (let i = 0; i < batch.numNodes; i++) {
    for (let e = batch.dstOffsets[i]!; e < batch.dstOffsets[i + 1]!; e++) for (let q = 0; q < dim; q++) out[i * dim + q] += m[e * dim + q]!;
    for (let q = 0; q < dim; q++) out[i * dim + q] *= scale;
  }
  return out;
}

/** Backward of `sumByDestination`: gm[e] = scale · gOut[dst_e]. */
export function sumByDestinationBackward(batch: GraphBatch, gOut: Float64Array, dim: number, scale: number): Float64Array {
  const gm = new Float64Array(batch.numEdges * dim);
  for (let e = 0; e < batch.numEdges; e++) {
    const d = batch.edgeDst[e]!;
    for (let q = 0; q < dim; q++) gm[e * dim + q] = scale * gOut[d * dim + q]!;
  }
  return gm;
}
