/**
 * Creating many compute pipelines at once, as a model's start-up does: every pipeline with
 * `createComputePipelineAsync`, all in flight together (the driver compiles them in parallel, and a
 * browser keeps its page responsive), with a progress callback, and reused across models on the same
 * device: a pipeline is cached under its WGSL text, entry point, constants and layout, so a model that
 * differs from an earlier one only in sizes (or a recompiled, unchanged spec) compiles nothing again.
 */
import { GpuKernelError, type GpuErrorKind } from "./errors.js";

/** A compiled compute pipeline and the label its errors are reported under. */
export interface ComputeKernel {
  label: string;
  pipeline: GPUComputePipeline;
}

/** Source of a compute kernel. */
export interface KernelSource {
  /** Names the kernel in every error message. */
  label: string;
  code: string;
  /** Default `"main"`. */
  entryPoint?: string;
  /** Values for WGSL `override` declarations. */
  constants?: Record<string, number>;
}

/** How far pipeline creation has got: `done` of `total` pipelines ready, `reused` of them from the cache. */
export interface PipelineProgress {
  done: number;
  total: number;
  reused: number;
}

export interface CreateKernelsOptions {
  onProgress?: (progress: PipelineProgress) => void;
}

// Pipelines are only valid on the device that made them; a WeakMap lets a destroyed device's go with it.
const caches = new WeakMap<GPUDevice, Map<string, Promise<GPUComputePipeline>>>();

function cacheKey(source: KernelSource): string {
  const constants = Object.entries(source.constants ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  // Every pipeline here uses layout "auto", which is a function of the code and entry point; it is still
  // part of the key so that a later explicit layout cannot collide with it.
  return JSON.stringify(["auto", source.entryPoint ?? "main", constants, source.code]);
}

/** The number of pipelines cached on `device` (for tests and start-up reports). */
export function cachedPipelineCount(device: GPUDevice): number {
  return caches.get(device)?.size ?? 0;
}

function pipelineErrorKind(error: unknown): GpuErrorKind {
  return (error as { reason?: string }).reason === "internal" ? "internal" : "validation";
}

/**
 * Creates the pipelines of `sources` (in that order), in parallel, reusing any this device already has.
 * @throws {GpuKernelError} naming the first failing kernel (in `sources` order) when its WGSL or pipeline is invalid.
 */
export async function createComputeKernels(device: GPUDevice, sources: readonly KernelSource[], options: CreateKernelsOptions = {}): Promise<ComputeKernel[]> {
  let cache = caches.get(device);
  if (!cache) caches.set(device, (cache = new Map()));
  const total = sources.length;
  let done = 0, reused = 0;
  const report = () => options.onProgress?.({ done, total, reused });
  // Shader modules are created synchronously, each inside its own error scopes: scopes are a stack on the
  // device, so interleaving them with awaits would attribute one kernel's error to another.
  const pending = sources.map((source) => {
    const key = cacheKey(source);
    const have = cache.get(key);
    if (have) return { source, pipeline: have, scopes: [] as Promise<GPUError | null>[], fresh: false };
    device.pushErrorScope("validation");
    device.pushErrorScope("out-of-memory");
    device.pushErrorScope("internal");
    let pipeline: Promise<GPUComputePipeline>;
    try {
      const module = device.createShaderModule({ label: source.label, code: source.code });
      pipeline = device.createComputePipelineAsync({
        label: source.label,
        layout: "auto",
        compute: { module, entryPoint: source.entryPoint ?? "main", constants: source.constants },
      });
    } catch (error) {
      pipeline = Promise.reject(error);
    }
    const internal = device.popErrorScope(), outOfMemory = device.popErrorScope(), validation = device.popErrorScope();
    // Settled here so that a kernel failing while an earlier one is awaited is no unhandled rejection.
    pipeline.catch(() => undefined);
    cache.set(key, pipeline);
    return { source, pipeline, scopes: [validation, outOfMemory, internal], fresh: true, key };
  });
  report();
  const results = await Promise.allSettled(
    pending.map(async ({ source, pipeline, scopes, fresh, key }) => {
      try {
        const kinds: GpuErrorKind[] = ["validation", "out-of-memory", "internal"];
        const errors = await Promise.all(scopes);
        const caught = errors.findIndex((e) => e !== null);
        let ready: GPUComputePipeline;
        try {
          ready = await pipeline;
        } catch (error) {
          if (caught >= 0) throw new GpuKernelError(source.label, kinds[caught]!, [errors[caught]!.message], { cause: error });
          throw new GpuKernelError(source.label, pipelineErrorKind(error), [(error as Error).message ?? String(error)], { cause: error });
        }
        if (caught >= 0) throw new GpuKernelError(source.label, kinds[caught]!, [errors[caught]!.message]);
        return { label: source.label, pipeline: ready };
      } catch (error) {
        // A failed pipeline is not kept: the next attempt compiles it again and reports its own error.
        if (fresh && key !== undefined && cache.get(key) === pipeline) cache.delete(key);
        throw error;
      } finally {
        done++;
        if (!fresh) reused++;
        report();
      }
    }),
  );
  const failed = results.find((r) => r.status === "rejected");
  if (failed) throw (failed as PromiseRejectedResult).reason;
  return results.map((r) => (r as PromiseFulfilledResult<ComputeKernel>).value);
}
