/**
 * `npm run bench`: specs/bench_conv.regnn (e3nn's gate_points_2101.Convolution) on the WebGPU device.
 * N = 1000 nodes, E = 16000 random directed edges, positions uniform in a 10^3 box, float32: medians of 10
 * runs after 3 warm-ups of the forward pass and of forward + backward (gradients of the node features and all
 * parameters), spherical harmonics and radial embedding included. Then how time and memory grow with N at the
 * same average degree. Writes bench/results.json, with the adapter's limits and the kernel shape used.
 *
 * `--shape cpu|gpu` forces a kernel shape (plan.ts `shape`); by default the adapter's class picks it
 * (runtime/device-class.ts). Then the time of every step at N = 1000 (step-times.ts), also in results.json.
 * `--no-scaling` skips the steps and the N = 10k / 100k runs (and then writes no results.json).
 * `--no-pace` waits for the queue at once instead of sleeping through most of a pass first (on CPU adapters
 * the executor paces its waits by default: runtime/model/queue-pacer.ts), to see what pacing is worth.
 */
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { cpus } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { compileSource } from "../compiler/compile.js";
import { planModel } from "../compiler/codegen/plan.js";
import type { ModelIR } from "../compiler/ir/types.js";
import { Irreps } from "../compiler/o3/irreps.js";
import { createDevice, deviceClassOf, extentRows, initialParams, pacesQueue, planOptionsFor, PlanExecutor, type DeviceClass } from "../runtime/index.js";
import { randomBatch } from "./random-graph.js";
import { median, printStepTimes, timeSteps, type StepTime } from "./step-times.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Multiply-adds x 2 of the tensor products and the radial MLP per pass (the dominant work). */
function forwardFlops(ir: ModelIR, nodes: number, edges: number): number {
  let flops = 0;
  for (const l of ir.layers) {
    if (!("tp" in l)) continue;
    const rows = l.op === "conv" ? edges : nodes;
    const a = Irreps.parse(l.tp.irrepsIn1), b = Irreps.parse(l.tp.irrepsIn2), o = Irreps.parse(l.tp.irrepsOut);
    let perRow = 0;
    for (const i of l.tp.instructions) {
      const [x, y, z] = [a.get(i.i1), b.get(i.i2), o.get(i.iOut)];
      const pairs = i.mode.startsWith("uu") ? x.mul : x.mul * y.mul;
      const nnz = x.ir.dim * y.ir.dim; // an upper bound of the coupled products
      const outs = i.mode === "uvw" || i.mode === "uuw" ? z.mul : 1;
      perRow += pairs * (3 * nnz + 2 * outs * z.ir.dim);
    }
    flops += rows * perRow;
    if (l.op === "conv") for (let k = 0; k + 1 < l.radial.sizes.length; k++) flops += 2 * edges * l.radial.sizes[k]! * l.radial.sizes[k + 1]!;
  }
  return flops;
}

/** The device's limits that shape the plan and bound a batch. */
function adapterLimits(device: GPUDevice): Record<string, number> {
  const names = ["maxStorageBufferBindingSize", "maxBufferSize", "maxComputeWorkgroupSizeX", "maxComputeInvocationsPerWorkgroup", "maxComputeWorkgroupStorageSize", "maxComputeWorkgroupsPerDimension", "maxStorageBuffersPerShaderStage"];
  const limits = device.limits as unknown as Record<string, number>;
  return Object.fromEntries(names.map((n) => [n, limits[n]!]));
}


async function time(f: () => Promise<void>, warmups: number, runs: number): Promise<number[]> {
  for (let i = 0; i < warmups; i++) await f();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await f();
    out.push(performance.now() - t0);
  }
  return out;
}

async function main(): Promise<void> {
  const text = readFileSync(join(root, "specs/bench_conv.regnn"), "utf8");
  const { ir } = compileSource(text, "bench_conv.regnn");
  if (!ir) throw new Error("specs/bench_conv.regnn does not compile");
  const args = process.argv.slice(2);
  const shapeArg = args.includes("--shape") ? args[args.indexOf("--shape") + 1] : undefined;
  if (shapeArg !== undefined && shapeArg !== "cpu" && shapeArg !== "gpu") throw new Error(`--shape must be cpu or gpu, got ${shapeArg ?? "nothing"}`);
  const ctx = await createDevice();
  const planOptions = planOptionsFor(ctx, shapeArg as DeviceClass | undefined);
  const plan = planModel(ir, planOptions);
  const pace = args.includes("--no-pace") ? false : pacesQueue(deviceClassOf(ctx.device));
  const exec = await PlanExecutor.create(ctx.device, plan, { paceQueue: pace });
  exec.write("params", initialParams(plan, 0));
  const forward = async () => {
    await exec.run("forward");
    await exec.read("params", 1); // waits for the queue
  };
  const both = async () => {
    await exec.run("forward");
    await exec.run("backward", { zeroGradients: true });
    await exec.read("params", 1);
  };
  const N = 1000, E = 16000;
  exec.load(randomBatch(ir, N, E, 1));
  console.log(`regnn bench: bench_conv (gate_points_2101.Convolution), N = ${N}, E = ${E}, f32, ${ctx.adapterInfo.text}, ${cpus().length} cores, ${planOptions.shape}-shaped kernels, queue waits ${pace ? "paced" : "not paced"}`);
  const fwd = await time(forward, 3, 10);
  const fb = await time(both, 3, 10);
  const flops = forwardFlops(ir, N, E);
  const row = (name: string, ms: number[], f: number) => ({ name, median_ms: median(ms), min_ms: Math.min(...ms), max_ms: Math.max(...ms), gflops: f / (median(ms) * 1e6) });
  const results = {
    model: "specs/bench_conv.regnn",
    nodes: N,
    edges: E,
    adapter: ctx.adapterInfo.text,
    shape: planOptions.shape,
    queue_paced: pace,
    limits: adapterLimits(ctx.device),
    cores: cpus().length,
    cpu: cpus()[0]?.model ?? "unknown",
    forward: row("forward", fwd, flops),
    forward_backward: row("forward_backward", fb, 3 * flops),
    flops_note: "forward: multiply-adds x 2 of the tensor products (dense upper bound of the Clebsch-Gordan products) and of the radial MLP evaluated per edge, as e3nn does (regnn tabulates the MLP over the edge length, so it does less work than counted: an e3nn-equivalent rate); backward counted as 2x forward",
    anchor_e3nn_cpu_2_threads: { forward_ms: [77, 111], forward_backward_ms: [280, 342] },
    anchor_e3nn_pytorch_2_13_cpu_2_threads: { forward_ms: 55, forward_backward_ms: 180, note: "e3nn 0.6.0 on PyTorch 2.13, CPU eager, 2 threads, this machine class, medians (issue 13)" },
    steps: [] as StepTime[],
    scaling: [] as ({ nodes: number; edges: number; forward_median_ms: number; forward_backward_ms: number; buffer_mib: number } | { nodes: number; edges: number; error: string })[],
  };
  console.table([results.forward, results.forward_backward]);
  if (args.includes("--no-scaling")) {
    exec.destroy();
    ctx.destroy();
    return;
  }
  {
    // A plan object of its own: timeSteps swaps its step lists (the pipelines are the device's, shared).
    const stepExec = await PlanExecutor.create(ctx.device, { ...plan }, { paceQueue: pace });
    stepExec.write("params", initialParams(plan, 0));
    stepExec.load(randomBatch(ir, N, E, 1));
    await stepExec.run("forward");
    await stepExec.run("backward", { zeroGradients: true });
    results.steps = await timeSteps(stepExec, ctx.device, 5, { nodes: N, edges: E, graphs: 1 });
    printStepTimes(results.steps);
    stepExec.destroy();
  }
  for (const n of [1000, 10_000, 100_000]) {
    try {
      exec.load(randomBatch(ir, n, 16 * n, 2));
    const runs = n >= 100_000 ? 1 : 3;
    const f = await time(forward, 2, runs);
    const b = await time(both, 2, 1); // two warm-ups: a first pass at a new size compiles, the second gives the pacer its estimate
    const bytes = plan.buffers.reduce((s, d) => s + (extentRows(d.rows, { nodes: n, edges: 16 * n, graphs: 1 }) + (d.extraRows ?? 0)) * d.cols * 4, 0);
    results.scaling.push({ nodes: n, edges: 16 * n, forward_median_ms: median(f), forward_backward_ms: b[0]!, buffer_mib: bytes / 2 ** 20 });
    console.log(`  N = ${n}: forward ${median(f).toFixed(1)} ms, forward + backward ${b[0]!.toFixed(1)} ms, buffers ${(bytes / 2 ** 20).toFixed(1)} MiB`);
    } catch (e) {
      // A buffer past the device's limits (the conv's 592-column output is stored in column groups so N = 100k binds).
      const error = (e instanceof Error ? e.message : String(e)).split("\n").slice(0, 2).map((l) => l.trim()).join(" ");
      results.scaling.push({ nodes: n, edges: 16 * n, error });
      console.log(`  N = ${n}: ${error}`);
    }
  }
  mkdirSync(join(root, "bench"), { recursive: true });
  writeFileSync(join(root, "bench", "results.json"), `${JSON.stringify(results, null, 2)}\n`);
  console.log("wrote bench/results.json");
  exec.destroy();
  ctx.destroy();
}

main().catch((e: unknown) => {
  console.error(`regnn bench: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
