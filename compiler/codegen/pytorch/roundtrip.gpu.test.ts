// Weights trained in PyTorch, deployed back: the generated module trains cube -> prism, and regnn's WebGPU
// module loads its weights file unchanged and computes the PyTorch module's outputs to f32 precision (1e-5 of
// their scale) on the graph regnn builds itself. Needs a WebGPU device and Debian's python3-torch
// (`npm run setup`).
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gpu, gpuContext, releaseGpu, scaledError } from "../../../test/gpu.js";
import { runPython, runTorchCases } from "../../../test/pytorch.js";
import { CompiledModel } from "../../../runtime/model/compiled-model.js";
import { cubeToPrism } from "../../../scripts/paper-data.js";
import { compileOrThrow } from "../../reference/test-models.js";
import { planModel } from "../plan.js";
import { emitPyTorchModule } from "./emit.js";

beforeAll(gpuContext);
afterAll(releaseGpu);

describe("PyTorch-trained weights in regnn's GPU module", () => {
  it("cube -> prism trained 40 epochs in PyTorch: the GPU module's y equals the PyTorch module's to 1e-5", async () => {
    const dir = mkdtempSync(join(tmpdir(), "regnn-pytorch-deploy-"));
    const ir = compileOrThrow(readFileSync(new URL("../../../specs/cube_to_prism.regnn", import.meta.url), "utf8"), "cube_to_prism.regnn");
    const py = join(dir, "CubeToPrism.py");
    writeFileSync(py, emitPyTorchModule(ir));
    const g = cubeToPrism();
    writeFileSync(join(dir, "data.json"), JSON.stringify({ format: "regnn-dataset-1", graphs: [g] }));
    const r = runPython([py, "train", "--data", join(dir, "data.json"), "--out", join(dir, "out"), "--epochs", "40", "--quiet"]);
    expect(r.status, r.stderr).toBe(0);
    const weights = join(dir, "out", "CubeToPrism.safetensors");

    const model = await CompiledModel.fromPlan(gpu().device, planModel(ir), { seed: 5 });
    try {
      model.load(readFileSync(weights));
      const graph = { numNodes: g.nodes, features: { ...g.inputs, ...g.targets } };
      const batch = model.batch([graph]);
      const y = (await model.forward(batch)).y!;
      const [torch] = runTorchCases([{ path: py, weights, batch, dims: { x: 1, pos: 3, t: 9 }, gradOutputs: {} }]);
      expect(scaledError(y, torch!.outputs.y!)).toBeLessThan(1e-5);
      // Trained: the output is close to the target already, far from the initial model's.
      const t = g.targets.t!;
      const err = torch!.outputs.y!.reduce((s, v, i) => s + (v - t[i]!) ** 2, 0);
      expect(err).toBeLessThan(0.1 * t.reduce((s, v) => s + v * v, 0));
    } finally {
      model.destroy();
    }
  });
});
