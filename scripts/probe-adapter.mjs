// Probe whether npm `webgpu` (Dawn) can create a real WebGPU device on this machine.
// Used by scripts/setup.sh to decide whether a Vulkan driver must be installed.
// Exit codes: 0 real adapter and device; 2 no adapter (e.g. no Vulkan driver, or one Dawn rejects);
// 3 only Dawn's null backend (validates, runs nothing); 4 adapter found but device creation failed.
import { create, globals } from 'webgpu';

if (!process.env.XDG_RUNTIME_DIR) process.env.XDG_RUNTIME_DIR = '/tmp';
Object.assign(globalThis, globals);

const quiet = process.argv.includes('--quiet');
const gpu = create([]);
const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
if (!adapter) {
  console.error('probe: no WebGPU adapter (no Vulkan driver, or Dawn rejected it)');
  process.exit(2);
}
const info = adapter.info;
const summary = [info.vendor, info.architecture, info.device, info.description]
  .filter((s) => s && s.length > 0)
  .join(' / ');
if (info.device === 'null-backend' || /\bnull\b/i.test(summary)) {
  console.error(`probe: only the null backend is available (${summary})`);
  process.exit(3);
}
try {
  const device = await adapter.requestDevice();
  device.destroy();
} catch (err) {
  console.error(`probe: adapter "${summary}" found but requestDevice failed: ${err?.message ?? err}`);
  process.exit(4);
}
if (!quiet) console.log(summary);
// Dawn keeps the process alive while the GPU object is reachable; exit explicitly.
process.exit(0);
