/**
 * Edge ordering and compressed sparse rows (CSR) for deterministic graph aggregation.
 *
 * Every kernel sums a node's incoming messages in edge order, so edges are kept sorted by destination, then
 * source (see {@link GraphBatch}). The gather's backward walks the edges leaving each node: the CSR by source.
 * Both are built here with counting sorts, in O(numNodes + numEdges), with no floating point involved.
 */
import type { GraphBatch } from "./batch.js";

/** The two CSR indexes of a graph whose edges are sorted by destination, then source. */
export type Csr = Pick<GraphBatch, "dstOffsets" | "srcOffsets" | "srcEdges">;

/** Edges in canonical order, and where each came from. */
export interface SortedEdges {
  src: Uint32Array;
  dst: Uint32Array;
  /** `permutation[i]` is the input position of sorted edge `i`: `src[i] === input.src[permutation[i]]`. */
  permutation: Uint32Array;
}

/** Largest index a Uint32Array can hold; also the cap on node and edge counts. */
const MAX_INDEX = 0xffffffff;

function checkCount(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 0 || value > MAX_INDEX) {
    throw new RangeError(`${what} must be an integer in [0, ${MAX_INDEX}], got ${String(value)}`);
  }
}

function checkSameLength(src: ArrayLike<number>, dst: ArrayLike<number>): void {
  if (src.length !== dst.length) {
    throw new RangeError(`edge arrays differ in length: ${src.length} sources, ${dst.length} destinations`);
  }
}

/**
 * Checks that `value`, the `end` ("src" or "dst") of edge `edge`, is a node index: an integer in
 * [0, numNodes), or in [0, 2^32) when the node count is not known.
 */
function checkEndpoint(value: number, edge: number, end: "src" | "dst", numNodes: number | undefined): void {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
    throw new RangeError(`edge ${edge} has ${end} ${String(value)}, which is not a node index (a non-negative integer)`);
  }
  if (numNodes !== undefined ? value >= numNodes : value > MAX_INDEX) {
    const range = numNodes !== undefined ? `${numNodes} node${numNodes === 1 ? "" : "s"}` : "a Uint32 index";
    throw new RangeError(`edge ${edge} has ${end} ${value}, out of range for ${range}`);
  }
}

/**
 * Sorts edges by destination, then source. The sort is stable: duplicate edges keep their input order, so
 * the result (and its permutation) depends only on the input. Indices must be non-negative integers, and
 * below `numNodes` when it is given; a bad one throws a RangeError naming the edge and the value.
 */
export function sortEdgesByDestination(src: ArrayLike<number>, dst: ArrayLike<number>, numNodes?: number): SortedEdges {
  checkSameLength(src, dst);
  const numEdges = src.length;
  checkCount(numEdges, "number of edges");
  if (numNodes !== undefined) checkCount(numNodes, "numNodes");
  let maxIndex = -1;
  for (let e = 0; e < numEdges; e++) {
    const s = src[e], d = dst[e];
    checkEndpoint(s, e, "src", numNodes);
    checkEndpoint(d, e, "dst", numNodes);
    if (s > maxIndex) maxIndex = s;
    if (d > maxIndex) maxIndex = d;
  }
  const keyRange = maxIndex + 1;
  // Counting sorts need a table per possible index; for a few edges with huge indices, compare instead.
  const permutation = keyRange <= 4 * numEdges + 1024 ? countingSortPermutation(src, dst, keyRange) : comparisonSortPermutation(src, dst);
  const sortedSrc = new Uint32Array(numEdges);
  const sortedDst = new Uint32Array(numEdges);
  for (let i = 0; i < numEdges; i++) {
    sortedSrc[i] = src[permutation[i]];
    sortedDst[i] = dst[permutation[i]];
  }
  return { src: sortedSrc, dst: sortedDst, permutation };
}

/** Two stable counting passes (least significant key first): by source, then by destination. */
function countingSortPermutation(src: ArrayLike<number>, dst: ArrayLike<number>, keyRange: number): Uint32Array {
  const numEdges = src.length;
  const counts = new Uint32Array(keyRange + 1);
  const bySrc = new Uint32Array(numEdges);
  for (let e = 0; e < numEdges; e++) counts[src[e] + 1]++;
  for (let i = 0; i < keyRange; i++) counts[i + 1] += counts[i];
  for (let e = 0; e < numEdges; e++) bySrc[counts[src[e]]++] = e;
  counts.fill(0);
  for (let e = 0; e < numEdges; e++) counts[dst[e] + 1]++;
  for (let i = 0; i < keyRange; i++) counts[i + 1] += counts[i];
  const permutation = new Uint32Array(numEdges);
  for (let i = 0; i < numEdges; i++) {
    const e = bySrc[i];
    permutation[counts[dst[e]]++] = e;
  }
  return permutation;
}

function comparisonSortPermutation(src: ArrayLike<number>, dst: ArrayLike<number>): Uint32Array {
  const order = Array.from({ length: src.length }, (_, e) => e);
  order.sort((a, b) => dst[a] - dst[b] || src[a] - src[b] || a - b);
  return Uint32Array.from(order);
}

/**
 * Builds both CSR indexes of a graph with `numNodes` nodes whose edges are already sorted by destination,
 * then source (use {@link sortEdgesByDestination} first otherwise; unsorted input throws):
 * - `dstOffsets` (numNodes + 1): the incoming edges of node i are `dstOffsets[i] .. dstOffsets[i+1]-1`;
 * - `srcOffsets` (numNodes + 1) and `srcEdges` (numEdges): `srcEdges[srcOffsets[i] .. srcOffsets[i+1]-1]` are
 *   the ids of the edges leaving node i, in increasing edge id.
 */
export function buildCsr(numNodes: number, edgeSrc: ArrayLike<number>, edgeDst: ArrayLike<number>): Csr {
  checkCount(numNodes, "numNodes");
  checkSameLength(edgeSrc, edgeDst);
  const numEdges = edgeSrc.length;
  checkCount(numEdges, "number of edges");
  for (let e = 0; e < numEdges; e++) {
    checkEndpoint(edgeSrc[e], e, "src", numNodes);
    checkEndpoint(edgeDst[e], e, "dst", numNodes);
    if (e > 0) {
      const dPrev = edgeDst[e - 1], d = edgeDst[e];
      if (d < dPrev || (d === dPrev && edgeSrc[e] < edgeSrc[e - 1])) {
        throw new Error(
          `edges are not sorted by destination, then source: edge ${e} (${edgeSrc[e]} -> ${d}) comes after edge ${e - 1} ` +
            `(${edgeSrc[e - 1]} -> ${dPrev}); sort them with sortEdgesByDestination first`,
        );
      }
    }
  }
  const dstOffsets = new Uint32Array(numNodes + 1);
  const srcOffsets = new Uint32Array(numNodes + 1);
  for (let e = 0; e < numEdges; e++) {
    dstOffsets[edgeDst[e] + 1]++;
    srcOffsets[edgeSrc[e] + 1]++;
  }
  for (let i = 0; i < numNodes; i++) {
    dstOffsets[i + 1] += dstOffsets[i];
    srcOffsets[i + 1] += srcOffsets[i];
  }
  const srcEdges = new Uint32Array(numEdges);
  const next = srcOffsets.slice(0, numNodes);
  for (let e = 0; e < numEdges; e++) srcEdges[next[edgeSrc[e]]++] = e;
  return { dstOffsets, srcOffsets, srcEdges };
}
