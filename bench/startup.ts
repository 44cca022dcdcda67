/**
 * Start-up time of a model in Node: compiling a spec's kernels into compute pipelines on the WebGPU device,
 * and on to the end of a first forward pass.
 * `node dist/bench/startup.js [spec] [--sequential]`: one fresh process per measurement, so nothing but the
 * driver's own disk cache carries over. Prints the first create (cold in this process), and a second create of
 * the same plan on the same device (warm: every pipeline from runtime/pipelines.ts's cache). --sequential
 * times the way before parallel creation: createComputePipeline (synchronous) one kernel after another.
 * Set MESA_SHADER_CACHE_DISABLE=true for a driver with no disk cache either.
 */
import { readFileSync } from "node:fs";
import { compileSource } from "../compiler/compile.js";
import { planModel } from "../compiler/codegen/plan.js";
import { CompiledModel, createDevice, planForDevice, seededRng, withValidation } from "../runtime/index.js";

const args = process.argv.slice(2);
const specPath = args.find((a) => !a.startsWith("--")) ?? "specs/cube_to_prism.regnn";
const { ir, diagnostics } = compileSource(readFileSync(specPath, "utf8"), specPath);
if (!ir) throw new Error(diagnostics.map((d) => `${d.code}: ${d.message}`).join("\n"));
const gpu = await createDevice();
const device = gpu.device;
// The shape this device runs (what a generated module's create() picks), so --sequential compiles the same kernels.
const plan = planForDevice(device, planModel(ir));

if (args.includes("--sequential")) {
  const t0 = performance.now();
  for (const k of plan.kernels) {
    await withValidation(device, k.label, () =>
      device.createComputePipeline({ label: k.label, layout: "auto", compute: { module: device.createShaderModule({ code: k.code }), entryPoint: "main" } }),
    );
  }
  await device.queue.onSubmittedWorkDone();
  console.log(JSON.stringify({ spec: specPath, adapter: gpu.adapterInfo.text, kernels: plan.kernels.length, sequentialCreateMs: Math.round(performance.now() - t0) }));
} else {
  // Some drivers (lavapipe) finish compiling a pipeline only when it first runs, so start-up is also timed
  // to the end of a first forward pass on a small graph.
  const rng = seededRng(1);
  const nodes = 8;
  const features = Object.fromEntries(plan.batch.fields.map((f) => [f.name, Array.from({ length: nodes * f.dim }, () => rng() - 0.5)]));
  const pairs = Array.from({ length: nodes * nodes }, (_, k) => [Math.floor(k / nodes), k % nodes] as const).filter(([a, b]) => a !== b);
  const edges = { src: pairs.map(([a]) => a), dst: pairs.map(([, b]) => b) };
  const graph = plan.batch.graph.mode === "edges" ? { numNodes: nodes, features, edges } : { numNodes: nodes, features };
  const time = async () => {
    const t0 = performance.now();
    const model = await CompiledModel.fromPlan(device, plan, { seed: 0 });
    const createMs = performance.now() - t0;
    await model.forward([graph]);
    const forwardMs = performance.now() - t0;
    model.destroy();
    return { createMs: Math.round(createMs), toFirstForwardMs: Math.round(forwardMs) };
  };
  const cold = await time();
  const warm = await time();
  console.log(JSON.stringify({ spec: specPath, adapter: gpu.adapterInfo.text, kernels: plan.kernels.length, cold, warm }));
}
gpu.destroy();
