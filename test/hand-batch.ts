/**
 * Small batches built by hand, for the reference's tests (graph construction proper lives in runtime/graph).
 * Edges are given as [src, dst] pairs of global node indices; they are sorted by (dst, src) and both CSRs built.
 */
import type { GraphBatch } from "../runtime/graph/batch.js";
import { randomNormal, type Rng } from "../compiler/o3/rotation.js";

export function handBatch(nodesPerGraph: number[], edges: [number, number][], features: Record<string, Float64Array> = {}): GraphBatch {
  const numNodes = nodesPerGraph.reduce((a, n) => a + n, 0);
  const graphNodeOffsets = new Uint32Array(nodesPerGraph.length + 1);
  nodesPerGraph.forEach((n, g) => (graphNodeOffsets[g + 1] = graphNodeOffsets[g]! + n));
  const nodeGraph = new Uint32Array(numNodes);
  nodesPerGraph.forEach((_, g) => nodeGraph.fill(g, graphNodeOffsets[g]!, graphNodeOffsets[g + 1]!));
  const sorted = [...edges].sort((a, b) => a[1] - b[1] || a[0] - b[0]);
  const edgeSrc = Uint32Array.from(sorted, (e) => e[0]);
  const edgeDst = Uint32Array.from(sorted, (e) => e[1]);
  const dstOffsets = new Uint32Array(numNodes + 1), srcOffsets = new Uint32Array(numNodes + 1);
  for (const [s, d] of sorted) {
    dstOffsets[d + 1]++;
    srcOffsets[s + 1]++;
  }
  for (let i = 0; i < numNodes; i++) {
    dstOffsets[i + 1] += dstOffsets[i]!;
    srcOffsets[i + 1] += srcOffsets[i]!;
  }
  const fill = srcOffsets.slice(0, numNodes);
  const srcEdges = new Uint32Array(sorted.length);
  sorted.forEach(([s], e) => (srcEdges[fill[s]!++] = e));
  return { numGraphs: nodesPerGraph.length, numNodes, numEdges: sorted.length, nodeGraph, graphNodeOffsets, edgeSrc, edgeDst, dstOffsets, srcOffsets, srcEdges, features };
}

/** Every ordered pair of distinct nodes within each graph. */
export function fullEdges(nodesPerGraph: number[]): [number, number][] {
  const out: [number, number][] = [];
  let base = 0;
  for (const n of nodesPerGraph) {
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) out.push([base + i, base + j]);
    base += n;
  }
  return out;
}

export function gaussianArray(n: number, rng: Rng, scale = 1): Float64Array {
  return Float64Array.from({ length: n }, () => scale * randomNormal(rng));
}
