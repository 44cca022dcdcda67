/**
 * One WebGPU device per test file, and a helper to run a generated row kernel on it. Where no adapter can be
 * created every GPU test fails (never skips) with the device's error, which names `npm run setup`.
 */
import {
  createComputeKernel,
  createDevice,
  createStorageBuffer,
  createUniformBuffer,
  createZeroBuffer,
  readFloat32,
  runComputeKernel,
  workgroupGrid,
  type GpuContext,
} from "../runtime/index.js";
import { WORKGROUP_SIZE } from "../compiler/codegen/wgsl/common.js";

let context: GpuContext | undefined;
let failure: unknown;

/** For `beforeAll`: creates the device, keeping a failure for every test to rethrow. */
export async function gpuContext(): Promise<void> {
  try {
    context ??= await createDevice();
  } catch (e) {
    failure = e;
  }
}

export function releaseGpu(): void {
  context?.destroy();
  context = undefined;
}

export function gpu(): GpuContext {
  if (!context) throw failure ?? new Error("gpuContext() was not awaited in beforeAll");
  return context;
}

/**
 * Runs a kernel declared with `declareBindings`: bindings are `inputs` (f32, read), then zeroed f32 outputs
 * of the given lengths, then `indices` (u32, read), then the uniform `rows`. Returns the outputs.
 */
export async function runRows(
  label: string,
  code: string,
  rows: number,
  inputs: readonly ArrayLike<number>[],
  outputLengths: readonly number[],
  indices: readonly ArrayLike<number>[] = [],
): Promise<Float32Array[]> {
  const { device } = gpu();
  const kernel = await createComputeKernel(device, { label, code });
  // Zero-length bindings are invalid; pad with one element.
  const f32 = (a: ArrayLike<number>) => createStorageBuffer(device, a.length ? Float32Array.from(a) : new Float32Array(1));
  const ins = inputs.map(f32);
  const outs = outputLengths.map((n) => createZeroBuffer(device, Math.max(1, n) * 4));
  const idx = indices.map((a) => createStorageBuffer(device, a.length ? Uint32Array.from(a) : new Uint32Array(1)));
  const uniform = createUniformBuffer(device, Uint32Array.of(rows, 0, 0, 0));
  await runComputeKernel(device, kernel, { buffers: [...ins, ...outs, ...idx, uniform], workgroups: workgroupGrid(Math.ceil(rows / WORKGROUP_SIZE)) });
  const results = await Promise.all(outs.map((b, i) => readFloat32(device, b).then((a) => a.subarray(0, outputLengths[i]))));
  for (const b of [...ins, ...outs, ...idx, uniform]) b.destroy();
  return results;
}
