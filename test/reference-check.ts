/**
 * An executor's passes against the float64 reference: what the whole-model GPU tests of both kernel shapes
 * check (compiler/codegen/model.gpu.test.ts, gpu-shape.gpu.test.ts).
 */
import { expect } from "vitest";
import type { PlanExecutor } from "../runtime/model/executor.js";
import type { GraphBatch } from "../runtime/graph/batch.js";
import type { ModelIR } from "../compiler/ir/types.js";
import { executeForward, loss as referenceLoss } from "../compiler/reference/index.js";
import { scaledError } from "./gpu.js";
import { objectiveGrad } from "./test-models.js";

/**
 * Loads `params` and `batch`, runs the forward pass and compares every output; with a loss, runs the backward
 * pass and compares the loss and every parameter gradient (the group lasso is not in it: the update pass
 * applies it as a proximal step), and with `inputGradients` the gradients of the feature inputs. Each pass
 * runs twice: a kernel that adds into a buffer it should first zero shows on the second run.
 */
export async function expectLikeReference(exec: PlanExecutor, ir: ModelIR, params: Float64Array, batch: GraphBatch, options: { inputGradients?: boolean } = {}): Promise<void> {
  exec.write("params", Float32Array.from(params));
  exec.load(batch);
  for (let i = 0; i < 2; i++) await exec.run("forward");
  const ref = executeForward(ir, params, batch);
  for (const o of exec.plan.outputs) expect(scaledError(await exec.read(o.buffer), ref.outputs[o.name]!, 1e-3), `output ${o.name}`).toBeLessThan(1e-5);
  if (!ir.train.loss) return;
  for (let i = 0; i < 2; i++) await exec.run("backward", { zeroGradients: true });
  const refLoss = referenceLoss(ir, ref.outputs, batch).value;
  expect(Math.abs((await exec.read("loss", 1))[0]! - refLoss) / Math.max(1, refLoss)).toBeLessThan(1e-5);
  const zeros = Object.fromEntries(Object.entries(ref.outputs).map(([k, v]) => [k, new Float64Array(v.length)]));
  const g = objectiveGrad(ir, params, batch, zeros, true, "smooth");
  expect(scaledError(await exec.read("grad_params", ir.paramCount), g.params, 1e-3), "parameter gradients").toBeLessThan(1e-4);
  if (!options.inputGradients) return;
  for (const f of ir.inputs) {
    if (f.name === ir.graph.positions || !exec.plan.buffers.some((b) => b.name === `g.${f.name}`)) continue;
    expect(scaledError(await exec.read(`g.${f.name}`), g.inputs[f.name]!, 1e-3), `gradient of input ${f.name}`).toBeLessThan(1e-4);
  }
}
