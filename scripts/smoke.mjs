// Device smoke check for `npm run demo`: create a real WebGPU device with npm `webgpu`, run one WGSL
// kernel, compare with a JS reference. Plain Node (no build step), so it works before anything compiles.
import { create, globals } from 'webgpu';

if (!process.env.XDG_RUNTIME_DIR) process.env.XDG_RUNTIME_DIR = '/tmp';
Object.assign(globalThis, globals);

function fail(message) {
  console.error(`regnn smoke: FAILED: ${message}`);
  process.exit(1);
}

const gpu = create([]);
const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
if (!adapter) fail('no WebGPU adapter; run npm run setup (bash scripts/setup.sh)');
const info = adapter.info;
if (info.device === 'null-backend') fail("only Dawn's null backend is available; run npm run setup (bash scripts/setup.sh)");
console.log(`regnn smoke: adapter vendor="${info.vendor}" architecture="${info.architecture}" device="${info.device}"`);
console.log(`regnn smoke: adapter description="${info.description}"${info.isFallbackAdapter ? ' (software/fallback adapter)' : ''}`);

const device = await adapter.requestDevice();
const n = 100_000;
const [a, b] = [0.5, 2.0];
const x = new Float32Array(n);
for (let i = 0; i < n; i++) x[i] = ((i * 37) % 1001) / 1000 - 0.5;

device.pushErrorScope('validation');
const module = device.createShaderModule({
  label: 'smoke_quadratic',
  code: /* wgsl */ `
    @group(0) @binding(0) var<storage, read> x: array<f32>;
    @group(0) @binding(1) var<storage, read_write> y: array<f32>;
    @compute @workgroup_size(64)
    fn main(@builtin(global_invocation_id) gid: vec3u) {
      let i = gid.x;
      if (i >= arrayLength(&x)) { return; }
      y[i] = ${a.toFixed(1)} * x[i] + ${b.toFixed(1)} * x[i] * x[i];
    }`,
});
const pipeline = device.createComputePipeline({ label: 'smoke_quadratic', layout: 'auto', compute: { module, entryPoint: 'main' } });
const xBuffer = device.createBuffer({ size: x.byteLength, usage: GPUBufferUsage.STORAGE, mappedAtCreation: true });
new Float32Array(xBuffer.getMappedRange()).set(x);
xBuffer.unmap();
const yBuffer = device.createBuffer({ size: x.byteLength, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
const staging = device.createBuffer({ size: x.byteLength, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
const bindGroup = device.createBindGroup({
  layout: pipeline.getBindGroupLayout(0),
  entries: [
    { binding: 0, resource: { buffer: xBuffer } },
    { binding: 1, resource: { buffer: yBuffer } },
  ],
});
const started = performance.now();
const encoder = device.createCommandEncoder();
const pass = encoder.beginComputePass();
pass.setPipeline(pipeline);
pass.setBindGroup(0, bindGroup);
pass.dispatchWorkgroups(Math.ceil(n / 64));
pass.end();
encoder.copyBufferToBuffer(yBuffer, 0, staging, 0, x.byteLength);
device.queue.submit([encoder.finish()]);
const error = await device.popErrorScope();
if (error) fail(`WebGPU validation error in kernel "smoke_quadratic": ${error.message}`);
await staging.mapAsync(GPUMapMode.READ);
const y = new Float32Array(staging.getMappedRange().slice(0));
const elapsedMs = performance.now() - started;
staging.unmap();

let maxRel = 0;
for (let i = 0; i < n; i++) {
  const ref = a * x[i] + b * x[i] * x[i];
  maxRel = Math.max(maxRel, Math.abs(y[i] - ref) / Math.max(Math.abs(ref), 1e-6));
}
device.destroy();
if (!(maxRel <= 1e-6)) fail(`kernel result differs from the JS reference (max relative error ${maxRel})`);
console.log(
  `regnn smoke: OK: WGSL kernel y = a*x + b*x^2 on ${n} f32 values matches the JS reference ` +
    `(max relative error ${maxRel.toExponential(2)}; dispatch + readback ${elapsedMs.toFixed(1)} ms)`,
);
process.exit(0);
