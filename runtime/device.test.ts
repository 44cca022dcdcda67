// Runs real WGSL on a real WebGPU device (lavapipe on machines without a GPU). Where no adapter can be
// created these tests fail, never skip: createDevice's error names the setup command.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createComputeKernel,
  createDevice,
  createStorageBuffer,
  createUniformBuffer,
  createZeroBuffer,
  GpuKernelError,
  isNullBackend,
  readFloat32,
  runComputeKernel,
  takeUncapturedErrors,
  throwIfUncapturedErrors,
  withValidation,
  workgroupGrid,
  type GpuContext,
} from "./index.js";

let context: GpuContext | undefined;
let deviceError: unknown;

beforeAll(async () => {
  // Caught here and rethrown by every test, so that each one fails (a throwing beforeAll marks them skipped).
  try {
    context = await createDevice();
    console.log(`WebGPU adapter: ${context.adapterInfo.text} (${context.runtime}; features: ${[...context.features].join(", ")})`);
  } catch (error) {
    deviceError = error;
  }
});

afterAll(() => {
  context?.destroy();
});

function gpu(): GpuContext {
  if (!context) throw deviceError;
  return context;
}

/** Deterministic values in [-1, 1) so failures reproduce. */
function pseudoRandom(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

describe("createDevice", () => {
  it("gives a real adapter, not Dawn's null backend", () => {
    expect(isNullBackend(gpu().adapterInfo)).toBe(false);
    expect(gpu().adapterInfo.device).not.toBe("null-backend");
    expect(gpu().adapterInfo.text.length).toBeGreaterThan(0);
    expect(isNullBackend({ vendor: "", architecture: "", device: "null-backend", description: "" })).toBe(true);
  });

  it("refuses Dawn's null backend with an error naming the setup command", async () => {
    gpu();
    await expect(createDevice({ dawnOptions: ["backend=null"] })).rejects.toThrow(/null backend.*npm run setup/s);
  });

  it("raises the compute limits above WebGPU's defaults where the adapter allows", () => {
    // WebGPU's defaults are 256 invocations and 16 KiB of workgroup memory; every adapter this project
    // targets (lavapipe, SwiftShader, desktop GPUs) offers more.
    expect(gpu().device.limits.maxComputeInvocationsPerWorkgroup).toBeGreaterThan(256);
    expect(gpu().device.limits.maxComputeWorkgroupSizeX).toBeGreaterThan(256);
    expect(gpu().device.limits.maxComputeWorkgroupStorageSize).toBeGreaterThan(16384);
  });
});

describe("WGSL kernels on the device", () => {
  it("computes y = a*x + b*x*x over a 2D grid of workgroups, leaving the tail untouched", async () => {
    const { device } = gpu();
    const n = 5003;
    const pad = 61;
    const a = 1.75;
    const b = -0.3125;
    const x = pseudoRandom(n, 1);
    const sentinel = -12345.5;
    const y0 = new Float32Array(n + pad).fill(sentinel);

    const kernel = await createComputeKernel(device, {
      label: "quadratic",
      code: /* wgsl */ `
        struct Params { a: f32, b: f32, n: u32 }
        @group(0) @binding(0) var<uniform> params: Params;
        @group(0) @binding(1) var<storage, read> x: array<f32>;
        @group(0) @binding(2) var<storage, read_write> y: array<f32>;
        @compute @workgroup_size(64)
        fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
          let i = gid.x + gid.y * (nwg.x * 64u);
          if (i >= params.n) { return; }
          let v = x[i];
          y[i] = params.a * v + params.b * v * v;
        }`,
    });
    const params = new ArrayBuffer(12);
    new Float32Array(params, 0, 2).set([a, b]);
    new Uint32Array(params, 8, 1)[0] = n;
    const paramsBuffer = createUniformBuffer(device, new Uint8Array(params), "quadratic params");
    const xBuffer = createStorageBuffer(device, x, { label: "x" });
    const yBuffer = createStorageBuffer(device, y0, { label: "y" });

    // 79 workgroups spread over 16 x 5: the last row has one spare workgroup and a partial one.
    const grid = workgroupGrid(Math.ceil(n / 64), 16);
    expect(grid).toEqual([16, 5, 1]);
    await runComputeKernel(device, kernel, { buffers: [paramsBuffer, xBuffer, yBuffer], workgroups: grid });
    const y = await readFloat32(device, yBuffer);

    let maxRel = 0;
    for (let i = 0; i < n; i++) {
      const v = x[i];
      const ref = Math.fround(Math.fround(a * v) + Math.fround(Math.fround(b * v) * v));
      maxRel = Math.max(maxRel, Math.abs(y[i] - ref) / Math.max(Math.abs(ref), 1e-30));
    }
    // Not bit-exact: lavapipe's shader compiler reassociates this into v * (a + b * v) (measured: that form
    // matches every element exactly), so compare to about one f32 ulp.
    expect(maxRel).toBeLessThanOrEqual(1e-6);
    expect(Array.from(y.subarray(n))).toEqual(new Array(pad).fill(sentinel));
    for (const buffer of [paramsBuffer, xBuffer, yBuffer]) buffer.destroy();
  });

  it("sums blocks of 2048 values with a 512-wide workgroup tree reduction", async () => {
    const { device } = gpu();
    const n = 10_000;
    const block = 2048;
    const blocks = Math.ceil(n / block);
    const x = pseudoRandom(n, 2);

    // 512 invocations exceed WebGPU's default limit of 256, so this also proves the limits were raised.
    const kernel = await createComputeKernel(device, {
      label: "block_sum",
      code: /* wgsl */ `
        const WG: u32 = 512u;
        const BLOCK: u32 = 2048u;
        @group(0) @binding(0) var<storage, read> x: array<f32>;
        @group(0) @binding(1) var<storage, read_write> sums: array<f32>;
        var<workgroup> partial: array<f32, WG>;
        @compute @workgroup_size(WG)
        fn main(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3u) {
          let n = arrayLength(&x);
          var acc = 0.0;
          for (var k = 0u; k < BLOCK; k += WG) {
            let i = wid.x * BLOCK + k + lid;
            if (i < n) { acc += x[i]; }
          }
          partial[lid] = acc;
          workgroupBarrier();
          for (var stride = WG / 2u; stride > 0u; stride /= 2u) {
            if (lid < stride) { partial[lid] += partial[lid + stride]; }
            workgroupBarrier();
          }
          if (lid == 0u) { sums[wid.x] = partial[0]; }
        }`,
    });
    const xBuffer = createStorageBuffer(device, x, { label: "x" });
    const sumsBuffer = createZeroBuffer(device, blocks * 4, { label: "sums" });
    await runComputeKernel(device, kernel, { buffers: [xBuffer, sumsBuffer], workgroups: blocks });
    const sums = await readFloat32(device, sumsBuffer);

    expect(sums.length).toBe(blocks);
    for (let w = 0; w < blocks; w++) {
      let ref = 0;
      let absSum = 0;
      for (let i = w * block; i < Math.min(n, (w + 1) * block); i++) {
        ref += x[i];
        absSum += Math.abs(x[i]);
      }
      expect(Math.abs(sums[w] - ref)).toBeLessThanOrEqual(1e-6 * absSum);
    }
    xBuffer.destroy();
    sumsBuffer.destroy();
  });

  it("multiplies a 37x53 by a 53x29 matrix on an 8x8 grid", async () => {
    const { device } = gpu();
    const [m, k, n] = [37, 53, 29];
    const aMat = pseudoRandom(m * k, 3);
    const bMat = pseudoRandom(k * n, 4);

    const kernel = await createComputeKernel(device, {
      label: "matmul",
      code: /* wgsl */ `
        struct Dims { m: u32, k: u32, n: u32 }
        @group(0) @binding(0) var<uniform> dims: Dims;
        @group(0) @binding(1) var<storage, read> a: array<f32>;
        @group(0) @binding(2) var<storage, read> b: array<f32>;
        @group(0) @binding(3) var<storage, read_write> c: array<f32>;
        @compute @workgroup_size(8, 8)
        fn main(@builtin(global_invocation_id) gid: vec3u) {
          let row = gid.y;
          let col = gid.x;
          if (row >= dims.m || col >= dims.n) { return; }
          var acc = 0.0;
          for (var i = 0u; i < dims.k; i++) {
            acc += a[row * dims.k + i] * b[i * dims.n + col];
          }
          c[row * dims.n + col] = acc;
        }`,
    });
    const dims = createUniformBuffer(device, new Uint32Array([m, k, n]), "matmul dims");
    const aBuffer = createStorageBuffer(device, aMat, { label: "a" });
    const bBuffer = createStorageBuffer(device, bMat, { label: "b" });
    const cBuffer = createZeroBuffer(device, m * n * 4, { label: "c" });
    await runComputeKernel(device, kernel, {
      buffers: [dims, aBuffer, bBuffer, cBuffer],
      workgroups: [Math.ceil(n / 8), Math.ceil(m / 8)],
    });
    const c = await readFloat32(device, cBuffer);

    const ref = new Float64Array(m * n);
    for (let r = 0; r < m; r++) {
      for (let col = 0; col < n; col++) {
        let acc = 0;
        for (let i = 0; i < k; i++) acc += aMat[r * k + i] * bMat[i * n + col];
        ref[r * n + col] = acc;
      }
    }
    const scale = Math.max(...Array.from(ref, Math.abs));
    let maxErr = 0;
    for (let i = 0; i < m * n; i++) maxErr = Math.max(maxErr, Math.abs(c[i] - ref[i]));
    expect(scale).toBeGreaterThan(1);
    expect(maxErr / scale).toBeLessThanOrEqual(1e-5);
    for (const buffer of [dims, aBuffer, bBuffer, cBuffer]) buffer.destroy();
  });
});

describe("validation errors become exceptions naming the kernel", () => {
  it("withValidation throws on invalid WGSL", async () => {
    const { device } = gpu();
    const attempt = withValidation(device, "broken_kernel", () =>
      device.createShaderModule({ label: "broken_kernel", code: "@compute @workgroup_size(1) fn main() { let x: f32 = 1u; }" }),
    );
    await expect(attempt).rejects.toThrow(GpuKernelError);
    await expect(attempt).rejects.toThrow(/"broken_kernel"/);
    const error = (await attempt.catch((e: unknown) => e)) as GpuKernelError;
    expect(error.kind).toBe("validation");
    expect(error.label).toBe("broken_kernel");
    expect(error.message).toMatch(/f32/);
  });

  it("createComputeKernel throws when the entry point does not exist", async () => {
    const attempt = createComputeKernel(gpu().device, {
      label: "missing_entry",
      code: "@compute @workgroup_size(1) fn main() {}",
      entryPoint: "nope",
    });
    await expect(attempt).rejects.toThrow(/validation error in "missing_entry"/);
  });

  it("runComputeKernel throws when a binding has the wrong usage", async () => {
    const { device } = gpu();
    const kernel = await createComputeKernel(device, {
      label: "fill_ones",
      code: /* wgsl */ `
        @group(0) @binding(0) var<storage, read_write> y: array<f32>;
        @compute @workgroup_size(4) fn main(@builtin(global_invocation_id) gid: vec3u) { y[gid.x] = 1.0; }`,
    });
    const notStorage = createUniformBuffer(device, new Float32Array(4), "not storage");
    await expect(runComputeKernel(device, kernel, { buffers: [notStorage], workgroups: 1 })).rejects.toThrow(
      /"fill_ones"/,
    );
    notStorage.destroy();
  });

  it("withValidation passes values through and rethrows plain exceptions", async () => {
    await expect(withValidation(gpu().device, "noop", () => 42)).resolves.toBe(42);
    await expect(
      withValidation(gpu().device, "throws", () => {
        throw new TypeError("plain");
      }),
    ).rejects.toThrow(TypeError);
  });

  it("nothing escaped the error scopes", () => {
    expect(() => throwIfUncapturedErrors(gpu().device, "device.test")).not.toThrow();
    expect(takeUncapturedErrors(gpu().device)).toEqual([]);
  });
});

describe("workgroupGrid", () => {
  it("stays within the per-dimension maximum", () => {
    expect(workgroupGrid(0)).toEqual([0, 1, 1]);
    expect(workgroupGrid(1)).toEqual([1, 1, 1]);
    expect(workgroupGrid(65535)).toEqual([65535, 1, 1]);
    expect(workgroupGrid(65536)).toEqual([65535, 2, 1]);
    expect(() => workgroupGrid(1.5)).toThrow(RangeError);
    expect(() => workgroupGrid(17 * 17, 16)).toThrow(RangeError);
  });
});
