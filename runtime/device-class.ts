/**
 * Which kernel shapes suit a device (compiler/codegen/plan.ts, option `shape`). CPU backends (lavapipe,
 * SwiftShader) run a handful of threads: long loops in few invocations are fastest there. A real GPU runs
 * thousands at once and starves on any loop that grows with the batch, so reductions become block-sum trees.
 */
export type DeviceClass = "cpu" | "gpu";

/** What the class is read from (device.ts's AdapterSummary has these; not imported: device.ts imports this file). */
export interface AdapterClue {
  isFallbackAdapter: boolean;
  /** The adapter's vendor, architecture, device and description, in one line. */
  text: string;
}

/** "cpu" for a software adapter (the fallback flag, or llvmpipe / lavapipe / SwiftShader by name), else "gpu". */
export function deviceClass(info: AdapterClue): DeviceClass {
  if (info.isFallbackAdapter) return "cpu";
  return /llvmpipe|lavapipe|swiftshader|softpipe|\bsoftware\b|microsoft basic render/i.test(info.text) ? "cpu" : "gpu";
}

/**
 * Plan options for a device (structurally `PlanOptions`: the runtime does not import the compiler): its class
 * (`force` overrides it, e.g. to test the GPU shape on lavapipe) and its storage-binding limit.
 */
export function planOptionsFor(ctx: { adapterInfo: AdapterClue; device: { limits: { maxStorageBufferBindingSize: number } } }, force?: DeviceClass): { shape: DeviceClass; maxBindingBytes: number } {
  return { shape: force ?? deviceClass(ctx.adapterInfo), maxBindingBytes: ctx.device.limits.maxStorageBufferBindingSize };
}
