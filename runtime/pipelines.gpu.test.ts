// Parallel pipeline creation and its per-device cache, on a real WebGPU device.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gpu, gpuContext, releaseGpu } from "../test/gpu.js";
import { cachedPipelineCount, createComputeKernels, GpuKernelError, type PipelineProgress } from "./index.js";

beforeAll(gpuContext);
afterAll(releaseGpu);

// Distinct WGSL per n, so each is a pipeline of its own.
const fill = (n: number) => ({
  label: `fill_${n}`,
  code: `@group(0) @binding(0) var<storage, read_write> out: array<f32>;\n@compute @workgroup_size(1) fn main() { out[0] = ${n}.0; }`,
});

describe("createComputeKernels", () => {
  it("creates every pipeline, reports progress to the total, and reuses them on the same device", async () => {
    const { device } = gpu();
    const before = cachedPipelineCount(device);
    const seen: PipelineProgress[] = [];
    const sources = [fill(1), fill(2), fill(3), fill(1)];
    const first = await createComputeKernels(device, sources, { onProgress: (p) => seen.push({ ...p }) });
    expect(first.map((k) => k.label)).toEqual(["fill_1", "fill_2", "fill_3", "fill_1"]);
    // The same WGSL twice in one call is one pipeline.
    expect(first[0]!.pipeline).toBe(first[3]!.pipeline);
    expect(cachedPipelineCount(device) - before).toBe(3);
    expect(seen[0]).toEqual({ done: 0, total: 4, reused: 0 });
    expect(seen.at(-1)!.done).toBe(4);
    expect(seen.map((p) => p.done)).toEqual([...seen.map((p) => p.done)].sort((a, b) => a - b));

    const again: PipelineProgress[] = [];
    const second = await createComputeKernels(device, [{ ...fill(2), label: "other_name" }, fill(3)], { onProgress: (p) => again.push({ ...p }) });
    expect(second[0]!.pipeline).toBe(first[1]!.pipeline);
    expect(second[0]!.label).toBe("other_name");
    expect(again.at(-1)).toEqual({ done: 2, total: 2, reused: 2 });
    expect(cachedPipelineCount(device) - before).toBe(3);
  });

  it("names the failing kernel among good ones, and does not cache the failure", async () => {
    const { device } = gpu();
    const broken = { label: "broken_kernel", code: "@compute @workgroup_size(1) fn main() { let x: f32 = 1u; }" };
    const attempt = createComputeKernels(device, [fill(10), broken, fill(11)]);
    await expect(attempt).rejects.toThrow(GpuKernelError);
    await expect(attempt).rejects.toThrow(/validation error in "broken_kernel"/);
    const count = cachedPipelineCount(device);
    await expect(createComputeKernels(device, [broken])).rejects.toThrow(/"broken_kernel"/);
    expect(cachedPipelineCount(device)).toBe(count);
  });
});
