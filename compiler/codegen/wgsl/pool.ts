/**
 * Pooling nodes into their graphs, deterministic (compiler/reference/pool.ts): graphs own contiguous node
 * ranges `graph_node_offsets[g] .. graph_node_offsets[g+1]-1` (GraphBatch.graphNodeOffsets, graphs + 1), and
 * `node_graph` is GraphBatch.nodeGraph (nodes), both uploaded as u32.
 */
import { checkPositive, type KernelPair, readF32, readU32, rowKernel, u32, writeF32 } from "./common.js";

/**
 * forward — rows: graphs. Bindings `x` (read, nodes × dim), `out` (assigned, graphs × dim),
 * `graph_node_offsets` (u32). out[g] = Σ_{n in g} x[n] (each column in node order), times 1/count for
 * "mean"; an empty graph gets 0.
 * backward — rows: nodes. Bindings `grad_out` (read, graphs × dim), `grad_x` (+=, nodes × dim), `node_graph`
 * (u32), and for "mean" also `graph_node_offsets` (u32): grad_x[n] += grad_out[node_graph[n]] (· 1/count).
 */
export function poolKernels(dim: number, reduce: "sum" | "mean"): KernelPair {
  checkPositive("pool: dim", dim);
  const D = u32(dim), mean = reduce === "mean";
  const forward = rowKernel([readF32("x"), writeF32("out"), readU32("graph_node_offsets")], [
    "  let start = graph_node_offsets[row];",
    "  let end = graph_node_offsets[row + 1u];",
    ...(mean ? ["  let inv = 1.0 / f32(max(end - start, 1u));"] : []),
    `  for (var q = 0u; q < ${D}; q++) {`,
    "    var s = 0.0;",
    `    for (var n = start; n < end; n++) { s += x[n * ${D} + q]; }`,
    `    out[row * ${D} + q] = ${mean ? "s * inv" : "s"};`,
    "  }",
  ]);
  const backward = rowKernel(
    [readF32("grad_out"), writeF32("grad_x"), readU32("node_graph"), ...(mean ? [readU32("graph_node_offsets")] : [])],
    [
      "  let g = node_graph[row];",
      ...(mean ? ["  let inv = 1.0 / f32(graph_node_offsets[g + 1u] - graph_node_offsets[g]);"] : []),
      `  for (var q = 0u; q < ${D}; q++) { grad_x[row * ${D} + q] += ${mean ? "inv * " : ""}grad_out[g * ${D} + q]; }`,
    ],
  );
  return { forward, backward };
}
