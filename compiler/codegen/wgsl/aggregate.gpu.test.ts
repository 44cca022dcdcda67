// Aggregation kernels on a real WebGPU device against the float64 reference (compiler/reference/aggregate.ts),
// on hand-built batches with several graphs, an empty graph, isolated nodes, a self loop and a repeated edge.
// Backward kernels accumulate (+=): they start from random gradients, checked as start + reference.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gpuContext, releaseGpu, runRows, type RunRowsOptions, scaledError } from "../../../test/gpu.js";
import type { GraphBatch } from "../../../runtime/graph/batch.js";
import { seededRng, type Rng } from "../../o3/rotation.js";
import { gatherSourcesBackward, sumByDestination, sumByDestinationBackward } from "../../reference/aggregate.js";
import { gaussianArray, handBatch } from "../../../test/hand-batch.js";
import { addRowsKernel, gatherBackwardKernel, segmentSumKernels } from "./aggregate.js";

beforeAll(gpuContext);
afterAll(releaseGpu);

const plus = (a: Float64Array, b: Float64Array) => a.map((v, i) => v + b[i]!);

/** Graphs of 3, 0 (empty), 1 (isolated node), 4 (node 7 isolated, a self loop) and 2 nodes (a repeated edge). */
function smallBatch(): GraphBatch {
  return handBatch([3, 0, 1, 4, 2], [
    [0, 1], [1, 0], [2, 1], [0, 2], [1, 2], [2, 0],
    [4, 5], [5, 4], [6, 5], [4, 6], [5, 6], [6, 4], [5, 5],
    [8, 9], [9, 8], [8, 9],
  ]);
}

/** More rows than a workgroup: graphs of 40, 0, 70, 1 nodes, random edges within each graph. */
function largeBatch(rng: Rng): GraphBatch {
  const sizes = [40, 0, 70, 1];
  const edges: [number, number][] = [];
  let base = 0;
  for (const n of sizes) {
    for (let k = 0; k < 4 * n; k++) edges.push([base + Math.floor(rng() * n), base + Math.floor(rng() * n)]);
    base += n;
  }
  return handBatch(sizes, edges);
}

const sizes = (b: GraphBatch): RunRowsOptions => ({ nodes: b.numNodes, edges: b.numEdges, graphs: b.numGraphs });

describe("segment sum (CSR by destination)", () => {
  const rng = seededRng(11);
  const cases: [string, GraphBatch, number, number][] = [
    ["small batch, dim 5, scale 1", smallBatch(), 5, 1],
    ["small batch, dim 3, scale 0.3", smallBatch(), 3, 0.3],
    ["110 nodes, dim 7, scale 1/sqrt(4)", largeBatch(rng), 7, 0.5],
  ];
  for (const [name, batch, dim, scale] of cases) {
    it(`${name}: forward and backward`, async () => {
      const { forward, backward } = segmentSumKernels(dim, scale);
      expect(forward.bindings).toEqual(["msg", "out", "dst_offsets"]);
      expect(backward.bindings).toEqual(["grad_out", "grad_msg", "edge_dst"]);
      const msg = gaussianArray(batch.numEdges * dim, rng);
      const [out] = await runRows("segment_sum_forward", forward.code, batch.numNodes, [msg], [batch.numNodes * dim], [batch.dstOffsets], sizes(batch));
      expect(scaledError(out!, sumByDestination(batch, msg, dim, scale))).toBeLessThan(1e-5);
      const gOut = gaussianArray(batch.numNodes * dim, rng), start = gaussianArray(batch.numEdges * dim, rng);
      const [gMsg] = await runRows("segment_sum_backward", backward.code, batch.numEdges, [gOut], [batch.numEdges * dim], [batch.edgeDst], { ...sizes(batch), initial: [start] });
      expect(scaledError(gMsg!, plus(start, sumByDestinationBackward(batch, gOut, dim, scale)))).toBeLessThan(1e-4);
    });
  }

  it("a node without incoming edges gets exactly 0", async () => {
    const batch = smallBatch(), dim = 2;
    const msg = gaussianArray(batch.numEdges * dim, rng);
    const [out] = await runRows("segment_sum_forward", segmentSumKernels(dim, 1).forward.code, batch.numNodes, [msg], [batch.numNodes * dim], [batch.dstOffsets], sizes(batch));
    for (const n of [3, 7]) expect([...out!.subarray(n * dim, (n + 1) * dim)]).toEqual([0, 0]);
  });
});

describe("gather backward (CSR by source)", () => {
  const rng = seededRng(12);
  for (const [name, batch, dim] of [["small batch, dim 4", smallBatch(), 4], ["110 nodes, dim 6", largeBatch(rng), 6]] as const) {
    it(`${name}: grad_x += Σ over outgoing edges`, async () => {
      const kernel = gatherBackwardKernel(dim);
      expect(kernel.bindings).toEqual(["grad_rows", "grad_x", "src_offsets", "src_edges"]);
      const gRows = gaussianArray(batch.numEdges * dim, rng), start = gaussianArray(batch.numNodes * dim, rng);
      const [gx] = await runRows("gather_backward", kernel.code, batch.numNodes, [gRows], [batch.numNodes * dim], [batch.srcOffsets, batch.srcEdges], { ...sizes(batch), initial: [start] });
      expect(scaledError(gx!, plus(start, gatherSourcesBackward(batch, gRows, dim)))).toBeLessThan(1e-4);
    });
  }
});

describe("add rows", () => {
  it("dst += src over 100 rows", async () => {
    const rng = seededRng(13);
    const rows = 100, dim = 9;
    const kernel = addRowsKernel(dim);
    expect(kernel.bindings).toEqual(["src", "dst"]);
    const src = gaussianArray(rows * dim, rng), start = gaussianArray(rows * dim, rng);
    const [dst] = await runRows("add_rows", kernel.code, rows, [src], [rows * dim], [], { initial: [start] });
    expect(scaledError(dst!, plus(start, src))).toBeLessThan(1e-6);
  });
});
