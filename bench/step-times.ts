/**
 * Where a pass's time goes: each step of a plan's forward and backward passes run in its own submit and
 * timed to the queue's completion, medians of `reps`. The executor must already hold a batch and have run
 * both passes once (so every buffer holds real data). Waits are not paced (queue-pacer.ts), and submits add
 * ~0.1 ms each, so the steps' sum exceeds a whole pass. Each row also gives the step's dispatch size for the
 * batch and its longest loop per invocation (compiler/codegen/loop-bound.ts).
 */
import { extentRows, type ModelPlan, type PlanExecutor, type StepPlan } from "../runtime/index.js";

export interface StepTime {
  pass: "forward" | "backward";
  step: string;
  ms: number;
  invocations: number;
  loop: string;
}

/** The middle of `xs` (the upper middle for an even count). */
export const median = (xs: number[]) => [...xs].sort((p, q) => p - q)[Math.floor(xs.length / 2)]!;

/** `exec.plan` must be a plan object of the caller's own: its step lists are swapped while timing, then restored. */
export async function timeSteps(exec: PlanExecutor, device: GPUDevice, reps: number, sizes: { nodes: number; edges: number; graphs: number }): Promise<StepTime[]> {
  const plan: ModelPlan = exec.plan;
  const saved = { forward: plan.forward, backward: plan.backward };
  const rows: StepTime[] = [];
  try {
    for (const pass of ["forward", "backward"] as const) {
      for (const step of saved[pass] as StepPlan[]) {
        plan.forward = [];
        plan.backward = [];
        plan[pass] = [step];
        const ts: number[] = [];
        for (let i = 0; i < reps; i++) {
          const t0 = performance.now();
          await exec.run(pass);
          await device.queue.onSubmittedWorkDone();
          ts.push(performance.now() - t0);
        }
        rows.push({ pass, step: step.label, ms: Number(median(ts).toFixed(2)), invocations: extentRows(step.rows, sizes), loop: step.loop ?? "?" });
      }
    }
  } finally {
    plan.forward = saved.forward;
    plan.backward = saved.backward;
  }
  return rows;
}

/** Prints the table and each pass's sum. */
export function printStepTimes(rows: readonly StepTime[]): void {
  console.table(rows);
  for (const pass of ["forward", "backward"] as const) console.log(`${pass}: Σ ${rows.filter((r) => r.pass === pass).reduce((s, r) => s + r.ms, 0).toFixed(1)} ms over its steps`);
}
