/**
 * The minimal path from WGSL source to a validated dispatch: one compute pipeline, bind group 0 holding
 * buffers in binding order. Compiled models will batch many dispatches per submit; this is the simple
 * form used by tests and small tools.
 */
import { withValidation } from "./errors.js";
import { createComputeKernels, type ComputeKernel, type KernelSource } from "./pipelines.js";

export type { ComputeKernel, KernelSource } from "./pipelines.js";

/**
 * Compiles `source` into a compute pipeline with an automatic layout (or reuses the device's cached one).
 * @throws {GpuKernelError} naming the kernel when the WGSL or the pipeline is invalid.
 */
export async function createComputeKernel(device: GPUDevice, source: KernelSource): Promise<ComputeKernel> {
  return (await createComputeKernels(device, [source]))[0]!;
}

/** Workgroup counts per dimension; missing dimensions are 1. */
export type WorkgroupCount = number | readonly [number, number?, number?];

/** One dispatch of a kernel. */
export interface Dispatch {
  /** Bound as `@group(0) @binding(i)` in array order. */
  buffers: readonly GPUBuffer[];
  workgroups: WorkgroupCount;
}

/**
 * Encodes and submits one dispatch of `kernel`. Resolves once the work is validated and queued, not
 * when it has finished; reading a result back waits for it.
 * @throws {GpuKernelError} naming the kernel when the bindings or the dispatch are invalid.
 */
export async function runComputeKernel(device: GPUDevice, kernel: ComputeKernel, dispatch: Dispatch): Promise<void> {
  const [x, y = 1, z = 1] = typeof dispatch.workgroups === "number" ? [dispatch.workgroups] : dispatch.workgroups;
  await withValidation(device, kernel.label, () => {
    const bindGroup = device.createBindGroup({
      label: kernel.label,
      layout: kernel.pipeline.getBindGroupLayout(0),
      entries: dispatch.buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
    const encoder = device.createCommandEncoder({ label: kernel.label });
    const pass = encoder.beginComputePass({ label: kernel.label });
    pass.setPipeline(kernel.pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(x, y, z);
    pass.end();
    device.queue.submit([encoder.finish()]);
  });
}

/**
 * Spreads `workgroupCount` workgroups over x and y so that neither exceeds `maxPerDimension`
 * (65535 by default in WebGPU). The kernel must flatten the id and ignore the excess:
 * `let i = gid.x + gid.y * (nwg.x * WORKGROUP_SIZE); if (i >= n) { return; }`.
 */
export function workgroupGrid(workgroupCount: number, maxPerDimension = 65535): [number, number, number] {
  if (!Number.isInteger(workgroupCount) || workgroupCount < 0) {
    throw new RangeError(`workgroupGrid: workgroup count must be a non-negative integer, got ${workgroupCount}`);
  }
  if (workgroupCount === 0) return [0, 1, 1];
  const x = Math.min(workgroupCount, maxPerDimension);
  const y = Math.ceil(workgroupCount / x);
  if (y > maxPerDimension) {
    throw new RangeError(`workgroupGrid: ${workgroupCount} workgroups exceed ${maxPerDimension}^2`);
  }
  return [x, y, 1];
}
