/**
 * Graph aggregation as WGSL, deterministic as design.md fixes it: a node sums its incoming messages with the
 * CSR by destination, in edge order; the backward of a gather x[src[e]] sums per source node with the CSR by
 * source, in increasing edge id. No atomics; every invocation owns the rows it writes.
 *
 * Index arrays are the GraphBatch's (runtime/graph/batch.ts), uploaded as u32: `dst_offsets` = dstOffsets
 * (nodes + 1), `edge_dst` = edgeDst (edges), `src_offsets` = srcOffsets (nodes + 1), `src_edges` = srcEdges
 * (edges).
 */
import { checkPositive, f32, type KernelPair, readF32, readU32, rowKernel, u32, writeF32 } from "./common.js";
import type { GeneratedKernel } from "./kernel.js";

/**
 * Sum of messages per destination node: out[n] = scale · Σ_{e = dst_offsets[n]}^{dst_offsets[n+1]-1} msg[e],
 * each column summed in edge order, then scaled (as compiler/reference/aggregate.ts sumByDestination).
 *
 * forward — rows: nodes. Bindings `msg` (read, edges × dim), `out` (assigned, nodes × dim), `dst_offsets`
 * (u32, nodes + 1). A node without incoming edges gets 0.
 * backward — rows: edges. Bindings `grad_out` (read, nodes × dim), `grad_msg` (+=, edges × dim), `edge_dst`
 * (u32, edges): grad_msg[e] += scale · grad_out[edge_dst[e]].
 */
export function segmentSumKernels(dim: number, scale: number): KernelPair {
  checkPositive("segment sum: dim", dim);
  const D = u32(dim);
  const scaled = (x: string) => (scale === 1 ? x : `${f32(scale)} * ${x}`);
  const forward = rowKernel([readF32("msg"), writeF32("out"), readU32("dst_offsets")], [
    "  let start = dst_offsets[row];",
    "  let end = dst_offsets[row + 1u];",
    `  for (var q = 0u; q < ${D}; q++) {`,
    "    var s = 0.0;",
    `    for (var e = start; e < end; e++) { s += msg[e * ${D} + q]; }`,
    `    out[row * ${D} + q] = ${scaled("s")};`,
    "  }",
  ]);
  const backward = rowKernel([readF32("grad_out"), writeF32("grad_msg"), readU32("edge_dst")], [
    `  let node_base = edge_dst[row] * ${D};`,
    `  let edge_base = row * ${D};`,
    `  for (var q = 0u; q < ${D}; q++) { grad_msg[edge_base + q] += ${scaled("grad_out[node_base + q]")}; }`,
  ]);
  return { forward, backward };
}

/**
 * The backward of a gather rows[e] = x[src[e]]: grad_x[n] += Σ_{i = src_offsets[n]}^{src_offsets[n+1]-1}
 * grad_rows[src_edges[i]] (each column summed in that order, then added).
 *
 * rows: nodes. Bindings `grad_rows` (read, edges × dim), `grad_x` (+=, nodes × dim), `src_offsets` (u32,
 * nodes + 1), `src_edges` (u32, edges).
 */
export function gatherBackwardKernel(dim: number): GeneratedKernel {
  checkPositive("gather backward: dim", dim);
  const D = u32(dim);
  return rowKernel([readF32("grad_rows"), writeF32("grad_x"), readU32("src_offsets"), readU32("src_edges")], [
    "  let start = src_offsets[row];",
    "  let end = src_offsets[row + 1u];",
    `  for (var q = 0u; q < ${D}; q++) {`,
    "    var s = 0.0;",
    `    for (var i = start; i < end; i++) { s += grad_rows[src_edges[i] * ${D} + q]; }`,
    `    grad_x[row * ${D} + q] += s;`,
    "  }",
  ]);
}

/**
 * dst[r] += src[r], rows of `dim` numbers (e.g. a value's gradient arriving from a second consumer).
 *
 * rows: any domain (the one of both buffers). Bindings `src` (read), `dst` (+=).
 */
export function addRowsKernel(dim: number): GeneratedKernel {
  checkPositive("add rows: dim", dim);
  const D = u32(dim);
  return rowKernel([readF32("src"), writeF32("dst")], [
    `  let base = row * ${D};`,
    `  for (var i = 0u; i < ${D}; i++) { dst[base + i] += src[base + i]; }`,
  ]);
}
