/**
 * The GPU shape's block sizes (plan.ts, `shape: "gpu"`): how many rows one invocation of a reduction's first
 * level sums. Fixed sizes keep every loop bounded; the partial buffers they imply must still bind.
 */
export interface ReductionShape {
  /** Nodes per block of a linear layer's weight gradient. */
  nodeBlock: number;
  /** Edges per chunk of a radial table's gradient, given one chunk's partial table of `tableFloats` floats. */
  chunkEdges(tableFloats: number): number;
}

/** The most nodes a batch is planned for when sizing column groups from the binding limit. */
export const PLANNED_NODES = 1_000_000;

/** The most edges a batch is planned for when sizing edge chunks: 16 per node at a million nodes. */
export const PLANNED_EDGES = 2 ** 24;

export function reductionShape(maxBindingBytes = 128 * 2 ** 20, fixed?: { nodes: number; edges: number }): ReductionShape {
  if (!Number.isFinite(maxBindingBytes) || maxBindingBytes < 2 ** 20) throw new Error(`plan: maxBindingBytes must be at least 1 MiB, got ${maxBindingBytes}`);
  if (fixed) {
    for (const n of [fixed.nodes, fixed.edges]) if (!Number.isInteger(n) || n < 1) throw new Error(`plan: gpuBlocks sizes must be positive integers, got ${n}`);
    return { nodeBlock: fixed.nodes, chunkEdges: () => fixed.edges };
  }
  return {
    nodeBlock: 256,
    // The fewest edges per chunk (a power of 2, at least 256) for which PLANNED_EDGES edges' chunk tables
    // bind: on a 2 GiB binding and the benchmark's table (1025 x 192 floats), 8192 edges; on 128 MiB, 131072.
    chunkEdges(tableFloats: number): number {
      let c = 256;
      while (Math.ceil(PLANNED_EDGES / c) * tableFloats * 4 > maxBindingBytes && c < PLANNED_EDGES) c *= 2;
      return c;
    },
  };
}
