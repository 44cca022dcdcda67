/**
 * Creating a real WebGPU device, in browsers (`navigator.gpu`) and in Node (npm `webgpu`, i.e. Dawn).
 *
 * Machines without a GPU run WebGPU on Mesa's lavapipe (software Vulkan); `npm run setup` installs a
 * driver that Dawn accepts. Dawn's null backend validates commands but executes nothing, so it is
 * refused here: results computed on it would be silent garbage.
 */
import { deviceClass, type DeviceClass } from "./device-class.js";
import { recordUncapturedErrors } from "./errors.js";

/** The command that makes a WebGPU adapter available on a machine without a GPU. */
export const SETUP_COMMAND = "npm run setup (bash scripts/setup.sh)";

/** Options for {@link createDevice}. All are optional. */
export interface CreateDeviceOptions {
  /** Passed to `requestAdapter`. Default `"high-performance"`. */
  powerPreference?: GPUPowerPreference;
  /**
   * Features to request when the adapter has them; missing ones are skipped, not errors.
   * Default: `shader-f16`, `timestamp-query`, `subgroups`.
   */
  optionalFeatures?: readonly GPUFeatureName[];
  /** Features without which creation fails. Default none. */
  requiredFeatures?: readonly GPUFeatureName[];
  /** Overrides for the limits that {@link createDevice} otherwise raises to the adapter's maximum. */
  requiredLimits?: Record<string, number>;
  /** Node only: options for Dawn's `create()`, e.g. `["backend=vulkan"]`. Ignored in browsers. */
  dawnOptions?: readonly string[];
  /** Label of the device, shown in Dawn's error messages. Default `"regnn"`. */
  label?: string;
}

/** What the adapter says about itself, flattened into a plain object that can be logged or serialised. */
export interface AdapterSummary {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** True for software adapters such as lavapipe or SwiftShader: they work, only slower. */
  isFallbackAdapter: boolean;
  subgroupMinSize?: number;
  subgroupMaxSize?: number;
  /** One line for logs, e.g. `mesa / software / llvmpipe-... / llvmpipe: Mesa 25.0.7 ...`. */
  text: string;
}

/** A ready device plus what it was created from. */
export interface GpuContext {
  device: GPUDevice;
  adapterInfo: AdapterSummary;
  /** Where the WebGPU implementation came from. */
  runtime: "browser" | "node";
  /** Features actually enabled on the device (a subset of the requested ones). */
  features: ReadonlySet<string>;
  /** Destroys the device. (In Node the Dawn instance stays held by this module: see `dawnInstance`.) */
  destroy(): void;
}

/** Thrown when no usable WebGPU adapter or device can be created. */
export class NoWebGpuError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "NoWebGpuError";
  }
}

const DEFAULT_OPTIONAL_FEATURES: readonly GPUFeatureName[] = ["shader-f16", "timestamp-query", "subgroups"];

// Compiled kernels bind many large buffers and use big workgroups; WebGPU's defaults are far below what
// the hardware (or lavapipe: 128 MiB bindings, 1024 invocations) offers, so ask for the adapter's max.
const RAISED_LIMITS = [
  "maxStorageBufferBindingSize",
  "maxBufferSize",
  "maxStorageBuffersPerShaderStage",
  "maxComputeWorkgroupSizeX",
  "maxComputeWorkgroupSizeY",
  "maxComputeWorkgroupSizeZ",
  "maxComputeInvocationsPerWorkgroup",
  "maxComputeWorkgroupStorageSize",
  "maxComputeWorkgroupsPerDimension",
  "maxBindGroups",
  "maxUniformBufferBindingSize",
] as const;

/** True when the adapter is Dawn's null backend, which validates commands but never runs them. */
export function isNullBackend(info: Pick<AdapterSummary, "vendor" | "architecture" | "device" | "description">): boolean {
  if (info.device === "null-backend") return true;
  const text = `${info.vendor} ${info.architecture} ${info.device} ${info.description}`;
  return /\bnull[- ]backend\b/i.test(text);
}

/**
 * Creates a real WebGPU device: `navigator.gpu` where it exists (browsers, Deno, Electron renderers),
 * otherwise npm `webgpu` in Node.
 *
 * The device has the compute limits raised to the adapter's maximum and the optional features
 * (`shader-f16`, `timestamp-query`, `subgroups` by default) enabled where available. Uncaptured GPU errors
 * are recorded from the start (see `takeUncapturedErrors` in errors.ts).
 *
 * @throws {NoWebGpuError} when no adapter or device can be created, or only Dawn's null backend exists;
 *   in Node the message names {@link SETUP_COMMAND}.
 */
export async function createDevice(options: CreateDeviceOptions = {}): Promise<GpuContext> {
  const source = await findGpu(options);
  const gpu = source.gpu;
  const hint =
    source.runtime === "node"
      ? ` On a machine without a GPU, run ${SETUP_COMMAND}: it installs a software Vulkan driver (Mesa lavapipe) that Dawn accepts.`
      : " Use a browser with WebGPU enabled.";

  let adapter: GPUAdapter | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: options.powerPreference ?? "high-performance" });
  } catch (cause) {
    throw new NoWebGpuError(`requestAdapter failed: ${String(cause)}.${hint}`, { cause });
  }
  if (!adapter) {
    throw new NoWebGpuError(`No WebGPU adapter could be created (${source.name} found no usable driver).${hint}`);
  }
  const adapterInfo = summarizeAdapter(adapter.info);
  if (isNullBackend(adapterInfo)) {
    throw new NoWebGpuError(
      `Only Dawn's null backend is available (${adapterInfo.text}); it executes nothing.${hint}`,
    );
  }

  const requiredFeatures = new Set<GPUFeatureName>(options.requiredFeatures ?? []);
  for (const f of options.optionalFeatures ?? DEFAULT_OPTIONAL_FEATURES) {
    if (adapter.features.has(f)) requiredFeatures.add(f);
  }
  const requiredLimits: Record<string, number> = {};
  const adapterLimits = adapter.limits as unknown as Record<string, number | undefined>;
  for (const name of RAISED_LIMITS) {
    const max = adapterLimits[name];
    if (typeof max === "number") requiredLimits[name] = max;
  }
  Object.assign(requiredLimits, options.requiredLimits);

  let device: GPUDevice;
  try {
    device = await adapter.requestDevice({
      label: options.label ?? "regnn",
      requiredFeatures: [...requiredFeatures],
      requiredLimits,
    });
  } catch (cause) {
    throw new NoWebGpuError(
      `requestDevice failed on adapter "${adapterInfo.text}": ${cause instanceof Error ? cause.message : String(cause)}.${hint}`,
      { cause },
    );
  }
  recordUncapturedErrors(device);
  deviceClasses.set(device, deviceClass(adapterInfo));

  return {
    device,
    adapterInfo,
    runtime: source.runtime,
    features: new Set(device.features),
    destroy() {
      device.destroy();
    },
  };
}

/** The class of each device {@link createDevice} made, from its adapter's info. */
const deviceClasses = new WeakMap<GPUDevice, DeviceClass>();

/**
 * Which kernel shape suits `device` (device-class.ts): as recorded by {@link createDevice}; for a device made
 * elsewhere, from its `adapterInfo` (WebGPU's GPUDevice.adapterInfo: Dawn and current browsers have it); and
 * where even that is missing, "gpu". Such a device is almost always a browser's on a real GPU, and the two
 * mistakes are far from equal: the GPU shape on a CPU adapter is ~7x slower (lavapipe, the benchmark at
 * N = 1000: 679 against ~100 ms: its workgroup kernels do serially what a GPU does in parallel), but the CPU
 * shape on a GPU starves it on loops in few invocations, which grow with the batch (wave 1 on an H200: 7.7 s
 * for forward + backward at N = 100k).
 */
export function deviceClassOf(device: GPUDevice): DeviceClass {
  const known = deviceClasses.get(device);
  if (known) return known;
  const info = (device as { adapterInfo?: GPUAdapterInfo }).adapterInfo;
  const found = info ? deviceClass(summarizeAdapter(info)) : "gpu";
  deviceClasses.set(device, found);
  return found;
}

/** Flattens a `GPUAdapterInfo` (a host object whose fields do not survive JSON/spread) into plain data. */
export function summarizeAdapter(info: GPUAdapterInfo): AdapterSummary {
  const withFallback = info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
  const summary: AdapterSummary = {
    vendor: info.vendor ?? "",
    architecture: info.architecture ?? "",
    device: info.device ?? "",
    description: info.description ?? "",
    isFallbackAdapter: withFallback.isFallbackAdapter === true,
    text: "",
  };
  if (typeof info.subgroupMinSize === "number") summary.subgroupMinSize = info.subgroupMinSize;
  if (typeof info.subgroupMaxSize === "number") summary.subgroupMaxSize = info.subgroupMaxSize;
  summary.text =
    [summary.vendor, summary.architecture, summary.device, summary.description].filter((s) => s.length > 0).join(" / ") ||
    "(adapter gives no description)";
  return summary;
}

interface GpuSource {
  gpu: GPU;
  runtime: "browser" | "node";
  name: string;
}

let nodeGlobalsInstalled = false;

/**
 * The Dawn instances this process made, one per option set, held for the life of the process.
 *
 * dawn.node frees its native instance when the JS object from `create()` is garbage-collected, even while
 * devices, buffers or pipelines made from it are alive (and also after `device.destroy()`, if any of them
 * is touched again): Node then dies in native code (SIGSEGV, or a pthread abort) with no JS error. Callers
 * routinely keep only the `GPUDevice` (`const { device } = await createDevice()`), so the instance must not
 * depend on them keeping anything else. Holding it here is what a browser does with `navigator.gpu`, and it
 * does not keep Node from exiting.
 */
const dawnInstances = new Map<string, GPU>();

function dawnInstance(dawn: typeof import("webgpu"), dawnOptions: readonly string[]): GPU {
  const key = JSON.stringify(dawnOptions);
  let gpu = dawnInstances.get(key);
  if (!gpu) {
    gpu = dawn.create([...dawnOptions]);
    dawnInstances.set(key, gpu);
  }
  return gpu;
}

async function findGpu(options: CreateDeviceOptions): Promise<GpuSource> {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (nav?.gpu) return { gpu: nav.gpu, runtime: "browser", name: "navigator.gpu" };

  if (typeof globalThis.process?.versions?.node !== "string") {
    throw new NoWebGpuError("WebGPU is not available: navigator.gpu is missing. Use a browser with WebGPU enabled.");
  }
  // Mesa prints "XDG_RUNTIME_DIR is invalid" on every run without it; it must be set before the driver loads.
  if (!process.env.XDG_RUNTIME_DIR) process.env.XDG_RUNTIME_DIR = "/tmp";

  // A computed specifier keeps bundlers from pulling the native Node addon into browser builds.
  const specifier = "webgpu";
  let dawn: typeof import("webgpu");
  try {
    dawn = (await import(/* @vite-ignore */ specifier)) as typeof import("webgpu");
  } catch (cause) {
    throw new NoWebGpuError(
      `Cannot load npm package "webgpu" (${cause instanceof Error ? cause.message : String(cause)}). Run ${SETUP_COMMAND}.`,
      { cause },
    );
  }
  if (!nodeGlobalsInstalled) {
    // Constants such as GPUBufferUsage and GPUMapMode are globals in browsers; code here relies on them.
    Object.assign(globalThis, dawn.globals);
    nodeGlobalsInstalled = true;
  }
  return { gpu: dawnInstance(dawn, options.dawnOptions ?? []), runtime: "node", name: "npm webgpu (Dawn)" };
}
