// A model whose spec differs from an earlier one's only in sizes compiles only the kernels that changed.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gpu, gpuContext, releaseGpu } from "../../test/gpu.js";
import { CompiledModel, type PipelineProgress } from "../../runtime/index.js";
import { compileSource } from "../compile.js";
import { planModel } from "./plan.js";

beforeAll(gpuContext);
afterAll(releaseGpu);

const plan = (text: string) => planModel(compileSource(text, "spec.regnn").ir!);

describe("pipelines across models on one device", () => {
  it("a wider radial MLP reuses every kernel it shares with the first model; the same spec reuses all", async () => {
    const spec = readFileSync(new URL("../../specs/cube_to_prism.regnn", import.meta.url), "utf8");
    const first = plan(spec), wider = plan(spec.replace(/radial: \[16\]/g, "radial: [32]"));
    const shared = new Set(first.kernels.map((k) => k.code));
    const expectedReuse = wider.kernels.filter((k) => shared.has(k.code)).length;
    expect(expectedReuse).toBeGreaterThan(0);
    expect(expectedReuse).toBeLessThan(wider.kernels.length);

    const { device } = gpu();
    const a = await CompiledModel.fromPlan(device, first);
    let last: PipelineProgress | undefined;
    const b = await CompiledModel.fromPlan(device, wider, { onProgress: (p) => (last = p) });
    expect(last).toEqual({ done: wider.kernels.length, total: wider.kernels.length, reused: expectedReuse });
    const c = await CompiledModel.fromPlan(device, plan(spec), { onProgress: (p) => (last = p) });
    expect(last).toEqual({ done: first.kernels.length, total: first.kernels.length, reused: first.kernels.length });
    for (const m of [a, b, c]) m.destroy();
  });
});
