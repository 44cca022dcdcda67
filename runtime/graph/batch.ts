/**
 * A batch: several graphs stacked into one big disconnected graph, the form every kernel and the float64
 * reference consume. Node, edge and graph features are row-major (rows, irreps dim) in e3nn's layout.
 */

export interface GraphBatch {
  numGraphs: number;
  numNodes: number;
  numEdges: number;
  /** For each node, the index of its graph (non-decreasing: graphs occupy contiguous node ranges). */
  nodeGraph: Uint32Array;
  /** First node of each graph, length numGraphs + 1. */
  graphNodeOffsets: Uint32Array;
  /** Directed edges src -> dst (global node indices), sorted by dst, then src. */
  edgeSrc: Uint32Array;
  edgeDst: Uint32Array;
  /** CSR by destination: the incoming edges of node i are dstOffsets[i] .. dstOffsets[i+1]-1 (edge order). */
  dstOffsets: Uint32Array;
  /**
   * CSR by source, for the backward of a gather: srcEdges[srcOffsets[i] .. srcOffsets[i+1]-1] are the ids of
   * the edges leaving node i, in increasing edge id.
   */
  srcOffsets: Uint32Array;
  srcEdges: Uint32Array;
  /** Edge vectors pos[dst] - pos[src] + shift, (numEdges, 3), when the model has positions. */
  edgeVectors?: Float64Array;
  /** Each edge's lattice shift, (numEdges, 3): non-zero only for edges to periodic images (GraphInput.cell). */
  edgeShifts?: Float64Array;
  /** Per-name feature arrays: node inputs (numNodes, dim), edge inputs (numEdges, dim), graph inputs (numGraphs, dim). */
  features: Record<string, Float64Array>;
}
