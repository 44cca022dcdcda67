/**
 * `node dist/bench/steps.js [reps] [nodes]`: where the benchmark's time goes, at any size: each step of the
 * bench model's passes timed on its own (step-times.ts; `npm run bench` prints the same table at N = 1000).
 * `--shape cpu|gpu` forces a kernel shape; by default the adapter's class picks it (runtime/device-class.ts).
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { compileSource } from "../compiler/compile.js";
import { planModel } from "../compiler/codegen/plan.js";
import { createDevice, initialParams, planOptionsFor, PlanExecutor, type DeviceClass, type ModelPlan } from "../runtime/index.js";
import { printStepTimes, timeSteps } from "./step-times.js";
import { randomBatch } from "./random-graph.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

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
  printStepTimes(await timeSteps(exec, ctx.device, reps, { nodes, edges: 16 * nodes, graphs: 1 }));
  exec.destroy();
  ctx.destroy();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
