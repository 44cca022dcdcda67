/** Rejects a batch the reference cannot execute faithfully, naming the offending field. */
import type { GraphBatch } from "../../runtime/graph/batch.js";

export function checkBatch(batch: GraphBatch): void {
  const { numNodes: N, numEdges: E, numGraphs: G } = batch;
  const len = (field: string, a: ArrayLike<number>, n: number) => {
    if (a.length !== n) throw new Error(`batch.${field} has length ${a.length}, expected ${n}`);
  };
  len("nodeGraph", batch.nodeGraph, N);
  len("graphNodeOffsets", batch.graphNodeOffsets, G + 1);
  len("edgeSrc", batch.edgeSrc, E);
  len("edgeDst", batch.edgeDst, E);
  len("dstOffsets", batch.dstOffsets, N + 1);
  len("srcOffsets", batch.srcOffsets, N + 1);
  len("srcEdges", batch.srcEdges, E);
  if (batch.graphNodeOffsets[0] !== 0 || batch.graphNodeOffsets[G] !== N) throw new Error(`batch.graphNodeOffsets must run from 0 to numNodes (${N})`);
  for (let g = 0; g < G; g++)
    for (let i = batch.graphNodeOffsets[g]!; i < batch.graphNodeOffsets[g + 1]!; i++)
      if (batch.nodeGraph[i] !== g) throw new Error(`batch.nodeGraph[${i}] is ${batch.nodeGraph[i]}, but graphNodeOffsets puts node ${i} in graph ${g}`);
  if (batch.dstOffsets[0] !== 0 || batch.dstOffsets[N] !== E) throw new Error(`batch.dstOffsets must run from 0 to numEdges (${E})`);
  for (let i = 0; i < N; i++)
    for (let e = batch.dstOffsets[i]!; e < batch.dstOffsets[i + 1]!; e++)
      if (batch.edgeDst[e] !== i) throw new Error(`batch.edgeDst[${e}] is ${batch.edgeDst[e]}, but dstOffsets puts edge ${e} into node ${i}`);
  if (batch.srcOffsets[0] !== 0 || batch.srcOffsets[N] !== E) throw new Error(`batch.srcOffsets must run from 0 to numEdges (${E})`);
  for (let i = 0; i < N; i++)
    for (let t = batch.srcOffsets[i]!; t < batch.srcOffsets[i + 1]!; t++)
      if (batch.edgeSrc[batch.srcEdges[t]!] !== i) throw new Error(`batch.srcEdges[${t}] = ${batch.srcEdges[t]} is not an edge leaving node ${i}`);
  for (let e = 0; e < E; e++)
    if (batch.edgeSrc[e]! >= N || batch.nodeGraph[batch.edgeSrc[e]!] !== batch.nodeGraph[batch.edgeDst[e]!])
      throw new Error(`batch.edgeSrc[${e}] = ${batch.edgeSrc[e]} is not a node of the graph of its destination`);
}
