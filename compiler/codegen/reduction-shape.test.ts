// Block sizes and column groups taken from the device's storage-binding limit: the benchmark's model at a
// million nodes binds on a 2 GiB device (an H200's limit) in the GPU shape, and the CPU shape is unchanged.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkBatchSize } from "../../runtime/model/plan-size.js";
import { compileSource } from "../compile.js";
import { planModel } from "./plan.js";
import { PLANNED_EDGES, reductionShape } from "./reduction-shape.js";

const bench = () => compileSource(readFileSync(join(import.meta.dirname, "..", "..", "specs", "bench_conv.regnn"), "utf8"), "bench_conv.regnn").ir!;
const MILLION = { nodes: 1_000_000, edges: 16_000_000, graphs: 1 };

describe("reduction shape from the binding limit", () => {
  it("edge chunks: the fewest edges whose chunk tables for 2^24 edges still bind", () => {
    const table = 1025 * 192;
    for (const limit of [128 * 2 ** 20, 2 ** 31]) {
      const c = reductionShape(limit).chunkEdges(table);
      expect(Math.ceil(PLANNED_EDGES / c) * table * 4).toBeLessThanOrEqual(limit);
      expect(Math.ceil(PLANNED_EDGES / (c / 2)) * table * 4).toBeGreaterThan(limit);
    }
    expect(() => reductionShape(1000)).toThrow(/at least 1 MiB/);
    expect(() => reductionShape(undefined, { nodes: 0, edges: 4 })).toThrow(/positive integers/);
  });

  it("the benchmark at N = 1M, E = 16M binds every buffer on a 2 GiB device in the GPU shape", () => {
    const limit = 2 ** 31;
    const plan = planModel(bench(), { shape: "gpu", maxBindingBytes: limit });
    expect(() => checkBatchSize(plan, MILLION, { maxBufferSize: limit, maxStorageBufferBindingSize: limit, memoryBudget: 2 ** 40 })).not.toThrow();
    // The conv's 592 columns in 2 groups as wide as the limit allows at a million nodes, not 256-wide ones.
    expect(plan.buffers.filter((b) => b.name.startsWith("v.tp@")).map((b) => b.cols)).toEqual([512, 80]);
  });

  it("without a larger limit the column groups stay 256 wide (lavapipe's 128 MiB)", () => {
    const a = planModel(bench(), { maxBindingBytes: 128 * 2 ** 20 });
    const b = planModel(bench());
    expect(a.buffers.map((x) => [x.name, x.cols])).toEqual(b.buffers.map((x) => [x.name, x.cols]));
  });
});
