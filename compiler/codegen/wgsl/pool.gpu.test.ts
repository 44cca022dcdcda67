// Pooling kernels on a real WebGPU device against the float64 reference (compiler/reference/pool.ts), on
// batches with an empty graph and single-node graphs. The backward accumulates (+=): it starts from random
// gradients and is checked as start + reference.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gpuContext, releaseGpu, runRows, scaledError } from "../../../test/gpu.js";
import type { GraphBatch } from "../../../runtime/graph/batch.js";
import { seededRng } from "../../o3/rotation.js";
import { gaussianArray, handBatch } from "../../../test/hand-batch.js";
import { poolBackward, poolForward } from "../../reference/pool.js";
import { poolKernels } from "./pool.js";

beforeAll(gpuContext);
afterAll(releaseGpu);

const plus = (a: Float64Array, b: Float64Array) => a.map((v, i) => v + b[i]!);

describe("pool", () => {
  const rng = seededRng(41);
  // Pooling reads no edges: only the node ranges matter.
  const batches: [string, GraphBatch][] = [
    ["graphs of 3, 0, 1, 4, 2 nodes", handBatch([3, 0, 1, 4, 2], [[0, 1], [1, 0], [4, 5]])],
    ["graphs of 0, 60, 1, 0, 45 nodes", handBatch([0, 60, 1, 0, 45], [])],
  ];
  for (const reduce of ["sum", "mean"] as const)
    for (const [name, batch] of batches) {
      it(`${reduce}, ${name}: forward and backward`, async () => {
        const dim = 6;
        const { forward, backward } = poolKernels(dim, reduce);
        expect(forward.bindings).toEqual(["x", "out", "graph_node_offsets"]);
        expect(backward.bindings).toEqual(reduce === "mean" ? ["grad_out", "grad_x", "node_graph", "graph_node_offsets"] : ["grad_out", "grad_x", "node_graph"]);
        const sizes = { nodes: batch.numNodes, edges: batch.numEdges, graphs: batch.numGraphs };
        const x = gaussianArray(batch.numNodes * dim, rng);
        const [out] = await runRows("pool_forward", forward.code, batch.numGraphs, [x], [batch.numGraphs * dim], [batch.graphNodeOffsets], sizes);
        const ref = poolForward(batch, reduce, x, dim);
        expect(scaledError(out!, ref)).toBeLessThan(1e-5);
        batch.graphNodeOffsets.forEach((o, g) => {
          if (g < batch.numGraphs && batch.graphNodeOffsets[g + 1] === o) expect([...out!.subarray(g * dim, (g + 1) * dim)].every((v) => v === 0)).toBe(true);
        });
        const gOut = gaussianArray(batch.numGraphs * dim, rng), start = gaussianArray(batch.numNodes * dim, rng);
        const indices = reduce === "mean" ? [batch.nodeGraph, batch.graphNodeOffsets] : [batch.nodeGraph];
        const [gx] = await runRows("pool_backward", backward.code, batch.numNodes, [gOut], [batch.numNodes * dim], indices, { ...sizes, initial: [start] });
        expect(scaledError(gx!, plus(start, poolBackward(batch, reduce, gOut, dim)))).toBeLessThan(1e-4);
      });
    }
});
