/**
 * Turning WebGPU's asynchronous, silent errors into thrown exceptions that name the kernel.
 *
 * WebGPU reports a bad shader, a bad bind group or an out-of-memory allocation by flagging the object as
 * invalid; later work on it does nothing, and the results read back are garbage. Nothing is thrown unless
 * the error is asked for, through error scopes or the `uncapturederror` event.
 */

/** Which mechanism reported the problem. */
export type GpuErrorKind = "validation" | "out-of-memory" | "internal" | "uncaptured" | "device-lost";

/** A WebGPU error attributed to the kernel (or other labelled operation) that caused it. */
export class GpuKernelError extends Error {
  /** Label of the kernel or operation, as given to {@link withValidation}. */
  readonly label: string;
  readonly kind: GpuErrorKind;
  /** The implementation's messages, one per error. */
  readonly gpuMessages: readonly string[];

  constructor(label: string, kind: GpuErrorKind, gpuMessages: readonly string[], options?: { cause?: unknown }) {
    super(`WebGPU ${kind} error in "${label}":\n${gpuMessages.map((m) => `  ${m.trim()}`).join("\n")}`, options);
    this.name = "GpuKernelError";
    this.label = label;
    this.kind = kind;
    this.gpuMessages = gpuMessages;
  }
}

interface DeviceErrorLog {
  uncaptured: string[];
  lost?: string;
}

const logs = new WeakMap<GPUDevice, DeviceErrorLog>();

/**
 * Starts recording errors that no error scope caught, and the device being lost. Idempotent.
 * {@link createDevice} calls it; call it yourself for devices created elsewhere.
 */
export function recordUncapturedErrors(device: GPUDevice): void {
  if (logs.has(device)) return;
  const log: DeviceErrorLog = { uncaptured: [] };
  logs.set(device, log);
  device.addEventListener("uncapturederror", (event) => {
    log.uncaptured.push((event as GPUUncapturedErrorEvent).error.message);
  });
  void device.lost.then((info) => {
    // destroy() also resolves `lost`; that one is the caller's own doing, not a failure.
    if (info.reason !== "destroyed") log.lost = info.message || "device lost";
  });
}

/** Returns, and forgets, the uncaptured error messages recorded on `device` so far. */
export function takeUncapturedErrors(device: GPUDevice): string[] {
  const log = logs.get(device);
  if (!log) return [];
  const taken = log.uncaptured;
  log.uncaptured = [];
  return taken;
}

/**
 * Throws a {@link GpuKernelError} naming `label` when uncaptured errors were recorded on `device`, or
 * when the device was lost. Use it at checkpoints (end of a training step, end of a test).
 */
export function throwIfUncapturedErrors(device: GPUDevice, label: string): void {
  const log = logs.get(device);
  if (log?.lost !== undefined) throw new GpuKernelError(label, "device-lost", [log.lost]);
  const taken = takeUncapturedErrors(device);
  if (taken.length > 0) throw new GpuKernelError(label, "uncaptured", taken);
}

/**
 * Runs `fn` inside validation, out-of-memory and internal error scopes and throws a
 * {@link GpuKernelError} naming `label` if any of them caught an error.
 *
 * Error scopes belong to the device, not to an async call chain: keep `fn` to the synchronous creation
 * and encoding of one kernel's work, or errors of concurrent work may be attributed to it.
 */
export async function withValidation<T>(device: GPUDevice, label: string, fn: () => T | Promise<T>): Promise<T> {
  device.pushErrorScope("validation");
  device.pushErrorScope("out-of-memory");
  device.pushErrorScope("internal");
  let result: T | undefined;
  let thrown: { error: unknown } | undefined;
  try {
    result = await fn();
  } catch (error) {
    thrown = { error };
  }
  // Scopes pop in reverse order of pushing; each call pops synchronously, so the order here is fixed.
  const internal = device.popErrorScope();
  const outOfMemory = device.popErrorScope();
  const validation = device.popErrorScope();
  const caught: Array<[GpuErrorKind, GPUError | null]> = [
    ["validation", await validation],
    ["out-of-memory", await outOfMemory],
    ["internal", await internal],
  ];
  for (const [kind, error] of caught) {
    // A JS exception from `fn` is usually a symptom of the GPU error, so the GPU error wins and keeps it as cause.
    if (error) throw new GpuKernelError(label, kind, [error.message], thrown ? { cause: thrown.error } : undefined);
  }
  if (thrown) throw thrown.error;
  const lost = logs.get(device)?.lost;
  if (lost !== undefined) throw new GpuKernelError(label, "device-lost", [lost]);
  return result as T;
}
