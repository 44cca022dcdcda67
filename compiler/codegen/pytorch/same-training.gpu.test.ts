// The PyTorch training program and regnn's WebGPU training (CompiledModel.fit, what `regnnc train` runs) take the
// same steps: same initialisation, batch order, optimiser, schedule and regularisers, so after a few epochs the
// weights agree to f32 precision. Needs a WebGPU device and Debian's python3-torch (`npm run setup`).
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gpu, gpuContext, releaseGpu } from "../../../test/gpu.js";
import { runPython } from "../../../test/pytorch.js";
import { CompiledModel } from "../../../runtime/model/compiled-model.js";
import { decodeSafetensors } from "../../../runtime/model/safetensors.js";
import { chargedParticle, cubeToBox, type Graph } from "../../../scripts/paper-data.js";
import { readDataset } from "../../data/read.js";
import { compileOrThrow } from "../../../test/test-models.js";
import { planModel } from "../plan.js";
import { emitPyTorchModule } from "./emit.js";

beforeAll(gpuContext);
afterAll(releaseGpu);

async function compare(specFile: string, edit: (s: string) => string, graphs: Graph[], epochs: number): Promise<{ err: number; moved: number }> {
  const dir = mkdtempSync(join(tmpdir(), "regnn-same-training-"));
  const ir = compileOrThrow(edit(readFileSync(new URL(`../../../specs/${specFile}`, import.meta.url), "utf8")), specFile);
  const py = join(dir, "M.py");
  writeFileSync(py, emitPyTorchModule(ir));
  writeFileSync(join(dir, "data.json"), JSON.stringify({ format: "regnn-dataset-1", graphs }));
  const r = runPython([py, "train", "--data", join(dir, "data.json"), "--out", join(dir, "out"), "--epochs", String(epochs), "--quiet"]);
  expect(r.status, r.stderr).toBe(0);
  const { tensors } = decodeSafetensors(readFileSync(join(dir, "out", "checkpoint.safetensors")));

  const model = await CompiledModel.fromPlan(gpu().device, planModel(ir), { seed: ir.train.seed });
  try {
    const initial = await model.getParams();
    await model.fit(readDataset(join(dir, "data.json"), ir), { epochs });
    const mine = await model.getParams();
    let err = 0, scale = 0, moved = 0;
    for (const p of ir.params) {
      const theirs = tensors[p.name]!.data;
      for (let i = 0; i < p.size; i++) {
        err = Math.max(err, Math.abs(mine[p.offset + i]! - theirs[i]!));
        scale = Math.max(scale, Math.abs(theirs[i]!));
        moved = Math.max(moved, Math.abs(initial[p.offset + i]! - theirs[i]!));
      }
    }
    return { err: err / scale, moved: moved / scale };
  } finally {
    model.destroy();
  }
}

describe("PyTorch training takes regnn's steps", () => {
  it("cube -> box: SGD with momentum and l2, 10 epochs", async () => {
    const { err, moved } = await compare("cube_to_box.regnn", (s) => s, [cubeToBox()], 10);
    expect(moved).toBeGreaterThan(1e-3);
    expect(err).toBeLessThan(1e-5);
  });

  it("charged particle: Adam, batches of 16 in regnn's shuffled order, group lasso, 2 epochs of 32 graphs", async () => {
    const { err, moved } = await compare("charged_particle.regnn", (s) => s, chargedParticle(32, 1), 2);
    expect(moved).toBeGreaterThan(1e-3);
    expect(err).toBeLessThan(1e-5);
  });

  it("charged particle with an mse loss, a step schedule and SGD: 3 epochs", async () => {
    const edit = (s: string) => s.replace("loss: sse(acc, a)", "loss: mse(acc, a)  schedule: step(every: 1, gamma: 0.5)").replace("optimizer: adam(lr: 1e-2)", "optimizer: sgd(lr: 0.5, momentum: 0.5)");
    const { err, moved } = await compare("charged_particle.regnn", edit, chargedParticle(32, 1), 3);
    expect(moved).toBeGreaterThan(1e-3);
    expect(err).toBeLessThan(1e-5);
  });
});
