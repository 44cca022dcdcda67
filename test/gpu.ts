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
import { expect } from "vitest";
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

/** Optional extras for {@link runRows}. */
export interface RunRowsOptions {
  /** The uniform's batch sizes (default 0). */
  nodes?: number;
  edges?: number;
  graphs?: number;
  /** Starting contents of the outputs, by output position (missing or undefined: zeros). */
  initial?: readonly (ArrayLike<number> | undefined)[];
  /** Invocations per workgroup of a kernel that fixes its own (default: the row kernels' WORKGROUP_SIZE). */
  workgroupSize?: number;
}

/**
 * Runs a kernel declared with `declareBindings`: bindings are `inputs` (f32, read), then zeroed f32 outputs
 * of the given lengths, then `indices` (u32, read), then the uniform `rows`. Returns the outputs.
 * `options` (optional) sets the uniform's `nodes`, `edges`, `graphs` (default 0) and, through `initial`,
 * the starting contents of outputs (instead of zeros: to check kernels that accumulate with `+=`).
 */
export async function runRows(
  label: string,
  code: string,
  rows: number,
  inputs: readonly ArrayLike<number>[],
  outputLengths: readonly number[],
  indices: readonly ArrayLike<number>[] = [],
  options: RunRowsOptions = {},
): Promise<Float32Array[]> {
  const { device } = gpu();
  const kernel = await createComputeKernel(device, { label, code });
  // Zero-length bindings are invalid; pad with one element.
  const f32 = (a: ArrayLike<number>) => createStorageBuffer(device, a.length ? Float32Array.from(a) : new Float32Array(1));
  const ins = inputs.map(f32);
  const outs = outputLengths.map((n, i) => {
    const init = options.initial?.[i];
    if (!init) return createZeroBuffer(device, Math.max(1, n) * 4);
    if (init.length !== n) throw new Error(`runRows(${label}): initial value ${i} has ${init.length} numbers, expected ${n}`);
    return f32(init);
  });
  const idx = indices.map((a) => createStorageBuffer(device, a.length ? Uint32Array.from(a) : new Uint32Array(1)));
  const uniform = createUniformBuffer(device, Uint32Array.of(rows, options.nodes ?? 0, options.edges ?? 0, options.graphs ?? 0));
  await runComputeKernel(device, kernel, { buffers: [...ins, ...outs, ...idx, uniform], workgroups: workgroupGrid(Math.ceil(rows / (options.workgroupSize ?? WORKGROUP_SIZE))) });
  const results = await Promise.all(outs.map((b, i) => readFloat32(device, b).then((a) => a.subarray(0, outputLengths[i]))));
  for (const b of [...ins, ...outs, ...idx, uniform]) b.destroy();
  return results;
}

/** max |a - b| / max(floor, max |b|): the error of an f32 result relative to the reference's scale. */
export function scaledError(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1): number {
  expect(a.length).toBe(b.length);
  let err = 0, scale = floor;
  for (let i = 0; i < b.length; i++) {
    err = Math.max(err, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return err / scale;
}
