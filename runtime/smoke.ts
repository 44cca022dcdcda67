/**
 * A one-shot device check for tools (`regnnc doctor`): create the device, run one WGSL kernel, compare
 * with a JS reference, report in plain lines.
 */
import { createStorageBuffer, createZeroBuffer, readFloat32 } from "./buffers.js";
import { createDevice, type GpuContext } from "./device.js";
import { createComputeKernel, runComputeKernel, workgroupGrid } from "./kernel.js";

const WGSL = /* wgsl */ `
  @group(0) @binding(0) var<storage, read> x: array<f32>;
  @group(0) @binding(1) var<storage, read_write> y: array<f32>;
  @compute @workgroup_size(64)
  fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
    let i = gid.x + gid.y * (nwg.x * 64u);
    if (i >= arrayLength(&x)) { return; }
    y[i] = 0.5 * x[i] + 2.0 * x[i] * x[i];
  }`;

/**
 * Runs the check and reports through `log`. Never throws: a missing device or a wrong result is
 * reported (naming the setup command where that helps) and yields `false`.
 */
export async function deviceSmokeCheck(log: (line: string) => void = console.log): Promise<boolean> {
  let context: GpuContext | undefined;
  try {
    context = await createDevice();
    const { device, adapterInfo } = context;
    log(`adapter: ${adapterInfo.text}${adapterInfo.isFallbackAdapter ? " (software/fallback adapter)" : ""}`);
    log(`features: ${[...context.features].join(", ") || "(none)"}`);

    const n = 10_000;
    const x = new Float32Array(n);
    for (let i = 0; i < n; i++) x[i] = ((i * 37) % 1001) / 1000 - 0.5;
    const kernel = await createComputeKernel(device, { label: "smoke_quadratic", code: WGSL });
    const xBuffer = createStorageBuffer(device, x, { label: "x" });
    const yBuffer = createZeroBuffer(device, x.byteLength, { label: "y" });
    await runComputeKernel(device, kernel, { buffers: [xBuffer, yBuffer], workgroups: workgroupGrid(Math.ceil(n / 64)) });
    const y = await readFloat32(device, yBuffer);

    let maxRel = 0;
    for (let i = 0; i < n; i++) {
      const ref = 0.5 * x[i] + 2 * x[i] * x[i];
      maxRel = Math.max(maxRel, Math.abs(y[i] - ref) / Math.max(Math.abs(ref), 1e-6));
    }
    if (!(maxRel <= 1e-6)) {
      log(`FAILED: kernel result differs from the JS reference (max relative error ${maxRel})`);
      return false;
    }
    log(`OK: WGSL kernel on ${n} f32 values matches the JS reference (max relative error ${maxRel.toExponential(2)})`);
    return true;
  } catch (error) {
    log(`FAILED: ${error instanceof Error ? error.message : String(error)}`);
    return false;
  } finally {
    context?.destroy();
  }
}
