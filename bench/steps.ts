/**
 * `node dist/bench/steps.js [reps]`: where the benchmark's time goes. Runs each step of the bench model's
 * forward and backward passes in its own submit (after one full forward + backward, so every buffer holds
 * real data) and prints the median time per step. Submits add ~0.1 ms each, so the sum exceeds a pass.
 * `--shape cpu|gpu` forces a kernel shape; by default the adapter's class picks it (runtime/device-class.ts).
 * Each row also gives the step's dispatch size and its longest loop per invocation (loop-bound.ts).
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { compileSource } from "../compiler/compile.js";
import { planModel } from "../compiler/codegen/plan.js";
import { createDevice, extentRows, initialParams, planOptionsFor, PlanExecutor, type DeviceClass, type ModelPlan, type StepPlan } from "../runtime/index.js";
import { randomBatch } from "./random-graph.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const median = (xs: number[]) => [...xs].sort((p, q) => p - q)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const shapeAt = args.indexOf("--shape");
  const shapeArg = shapeAt >= 0 ? args[shapeAt + 1] : undefined;
  if (shapeAt >= 0 && shapeArg !== "cpu" && shapeArg !== "gpu") throw new Error(`--shape must be cpu or gpu, got ${shapeArg ?? "nothing"}`);
  const positional = shapeAt < 0 ? args : args.filter((_, i) => i !== shapeAt && i !== shapeAt + 1);
  const reps = Number(positional[0] ?? 5);
  const nodes = Number(positional[1] ?? 1000);
  const { ir } = compileSource(readFileSync(join(root, "specs/bench_conv.regnn"), "utf8"), "bench_conv.regnn");
  if (!ir) throw new Error("specs/bench_conv.regnn does not compile");
  const ctx = await createDevice();
  const planOptions = planOptionsFor(ctx, shapeArg as DeviceClass | undefined);
  console.log(`${ctx.adapterInfo.text}: ${planOptions.shape}-shaped kernels, N = ${nodes}, E = ${16 * nodes}`);
  const full = planModel(ir, planOptions);
  // The executor reads its plan's step lists at run time: swapping them in this copy times one step at a time.
  const plan: ModelPlan = { ...full };
  const exec = await PlanExecutor.create(ctx.device, plan);
  exec.write("params", initialParams(plan, 0));
  exec.load(randomBatch(ir, nodes, 16 * nodes, 1));
  await exec.run("forward");
  await exec.run("backward", { zeroGradients: true });
  await ctx.device.queue.onSubmittedWorkDone();
  const rows: { pass: string; step: string; ms: number; invocations: number; loop: string }[] = [];
  const sizes = { nodes, edges: 16 * nodes, graphs: 1 };
  for (const pass of ["forward", "backward"] as const) {
    const steps: StepPlan[] = full[pass];
    for (const step of steps) {
      plan.forward = []; plan.backward = [];
      plan[pass] = [step];
      const ts: number[] = [];
      for (let i = 0; i < reps; i++) {
        const t0 = performance.now();
        await exec.run(pass);
        await ctx.device.queue.onSubmittedWorkDone();
        ts.push(performance.now() - t0);
      }
      rows.push({ pass, step: step.label, ms: Number(median(ts).toFixed(2)), invocations: extentRows(step.rows, sizes), loop: step.loop ?? "?" });
    }
  }
  console.table(rows);
  for (const pass of ["forward", "backward"]) console.log(`${pass}: Σ ${rows.filter((r) => r.pass === pass).reduce((s, r) => s + r.ms, 0).toFixed(1)} ms`);
  exec.destroy();
  ctx.destroy();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
