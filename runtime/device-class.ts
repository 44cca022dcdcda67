/**
 * Which kernel shapes suit a device (compiler/codegen/plan.ts, option `shape`). CPU backends (lavapipe,
 * SwiftShader) run a handful of threads: long loops in few invocations are fastest there. A real GPU runs
 * thousands at once and starves on any loop that grows with the batch, so reductions become block-sum trees.
 */
import type { AdapterSummary } from "./device.js";

export type DeviceClass = "cpu" | "gpu";

/** "cpu" for a software adapter (the fallback flag, or llvmpipe / lavapipe / SwiftShader by name), else "gpu". */
export function deviceClass(info: Pick<AdapterSummary, "isFallbackAdapter" | "text">): DeviceClass {
  if (info.isFallbackAdapter) return "cpu";
  return /llvmpipe|lavapipe|swiftshader|softpipe|\bsoftware\b|microsoft basic render/i.test(info.text) ? "cpu" : "gpu";
}

/**
 * Plan options for a device (structurally `PlanOptions`: the runtime does not import the compiler): its class
 * (`force` overrides it, e.g. to test the GPU shape on lavapipe) and its storage-binding limit.
 */
export function planOptionsFor(ctx: { adapterInfo: Pick<AdapterSummary, "isFallbackAdapter" | "text">; device: { limits: { maxStorageBufferBindingSize: number } } }, force?: DeviceClass): { shape: DeviceClass; maxBindingBytes: number } {
  return { shape: force ?? deviceClass(ctx.adapterInfo), maxBindingBytes: ctx.device.limits.maxStorageBufferBindingSize };
}
