// The pre-flight size check: a batch that cannot fit is refused from the plan and the node counts alone,
// before edges are built or buffers allocated (a 20k-node `graph full` once took 94 s and 22 GB first).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compileSource } from "../../compiler/compile.js";
import { planModel } from "../../compiler/codegen/plan.js";
import { batchGraphs } from "../graph/batching.js";
import { batchWithinLimits, checkBatchSize, estimateBatchBytes, ModelSizeError, planBytes, type SizeLimits } from "./plan-size.js";

const GiB = 2 ** 30;
// lavapipe's limits, with the 4 GiB budget of the bounded-memory check.
const limits: SizeLimits = { maxBufferSize: 2 * GiB, maxStorageBufferBindingSize: 2 * GiB, memoryBudget: 4 * GiB };

function plan(graphLine: string) {
  const text = readFileSync(new URL("../../specs/cube_to_prism.regnn", import.meta.url), "utf8").replace(/graph radius [0-9.]+/, graphLine);
  const { ir, diagnostics } = compileSource(text, "cube_to_prism.regnn");
  if (!ir) throw new Error(diagnostics.map((d) => d.message).join("\n"));
  return planModel(ir);
}

function cloud(n: number, spread: number) {
  const pos = Array.from({ length: 3 * n }, (_, i) => spread * (((i * 7919) % 1009) / 1009 - 0.5));
  return { numNodes: n, features: { x: new Array(n).fill(1), pos, t: new Array(9 * n).fill(0) } };
}

describe("plan size estimate", () => {
  it("refuses a 20k-node full graph quickly, naming the numbers and what to change", () => {
    const p = plan("graph full");
    const t0 = performance.now();
    let error: unknown;
    try {
      batchWithinLimits(p, [cloud(20_000, 10)], limits);
    } catch (e) {
      error = e;
    }
    const seconds = (performance.now() - t0) / 1000;
    expect(error).toBeInstanceOf(ModelSizeError);
    const message = (error as Error).message;
    expect(message).toContain("CubeToPrism: a batch of 1 graph, 20000 nodes and at least 399980000 edges (graph full)");
    expect(message).toMatch(/needs [0-9.]+ GiB of GPU buffers, over the memory budget of 4\.00 GiB/);
    expect(message).toContain("max_neighbors");
    expect(message).toContain("smaller graphs (a batch is already one graph)");
    expect(message).toContain("Nothing was allocated");
    // Only a guard against building the 400M edges first (which took minutes): the message is the test.
    expect(seconds).toBeLessThan(2);
  });

  it("stops a radius graph that outgrows the budget while it is built", () => {
    const p = plan("graph radius 1000");
    expect(() => batchWithinLimits(p, [cloud(20_000, 1)], limits)).toThrow(/at least \d+ edges \(graph radius\).*a smaller `radius` \(now 1000\) or a `max_neighbors` limit/);
    const batched = { ...p, train: { ...p.train, batch: 8 } };
    expect(() => batchWithinLimits(batched, [cloud(10_000, 1), cloud(10_000, 1)], limits)).toThrow(/2 graphs, 20000 nodes .*fewer graphs per batch \(train \{ batch: 4 \} instead of 8\)/);
  });

  it("names a buffer over the device's limit", () => {
    const p = plan("graph radius 1.8");
    const sizes = { nodes: 1000, edges: 200_000, graphs: 1 };
    const { largest } = estimateBatchBytes(p, sizes);
    const small = { ...limits, maxStorageBufferBindingSize: largest.bytes - 4 };
    expect(() => checkBatchSize(p, sizes, small)).toThrow(new RegExp(`buffer '${largest.name.replace(/\./g, "\\.")}' needs .* over the device's largest storage buffer`));
    expect(() => checkBatchSize(p, sizes, { ...small, maxStorageBufferBindingSize: largest.bytes })).not.toThrow();
  });

  it("is affine in the batch sizes and counts every buffer", () => {
    const p = plan("graph radius 1.8");
    const a = planBytes(p);
    const s = { nodes: 37, edges: 411, graphs: 3 };
    const perBuffer = p.buffers.reduce((sum, d) => {
      // NaN (a failure) for a block extent: this plan has none, and this count does not model them.
      const rows = typeof d.rows === "object" ? ("count" in d.rows ? d.rows.count : NaN) : s[d.rows];
      return sum + Math.max(1, rows + (d.extraRows ?? 0)) * Math.max(1, d.cols) * 4;
    }, 0);
    expect(estimateBatchBytes(p, s).total).toBe(perBuffer);
    expect(a.fixed + a.nodes * 37 + a.edges * 411 + a.graphs * 3).toBe(perBuffer);
    expect(a.edges).toBeGreaterThan(0);
  });

  it("batches a graph that fits exactly as batchGraphs does", () => {
    const p = plan("graph radius 1.8");
    const g = [cloud(50, 4)];
    const { positions, graph, fields } = p.batch;
    expect(batchWithinLimits(p, g, limits)).toEqual(batchGraphs(g, { positions: positions!, graph, fields }));
  });
});
