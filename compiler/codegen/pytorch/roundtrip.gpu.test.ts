// Weights moving between regnn and PyTorch: trained in PyTorch, regnn's WebGPU module loads the weights file
// unchanged and computes the PyTorch module's outputs to f32 precision (1e-5 of their scale) on the graph regnn
// builds itself; trained by regnn, they pass through PyTorch and come back identical. Needs a WebGPU device and Debian's python3-torch
// (`npm run setup`).
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gpu, gpuContext, releaseGpu, scaledError } from "../../../test/gpu.js";
import { runPython, runTorchCases } from "../../../test/pytorch.js";
import { CompiledModel } from "../../../runtime/model/compiled-model.js";
import { cubeToPrism } from "../../../scripts/paper-data.js";
import { compileOrThrow } from "../../../test/test-models.js";
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

  it("weights trained by regnn -> PyTorch (load, save) -> regnn: the same bytes of every tensor, identical outputs", async () => {
    const dir = mkdtempSync(join(tmpdir(), "regnn-pytorch-back-"));
    const ir = compileOrThrow(readFileSync(new URL("../../../specs/cube_to_prism.regnn", import.meta.url), "utf8"), "cube_to_prism.regnn");
    const py = join(dir, "CubeToPrism.py");
    writeFileSync(py, emitPyTorchModule(ir));
    const g = cubeToPrism();
    const graph = { numNodes: g.nodes, features: { ...g.inputs, ...g.targets } };
    const model = await CompiledModel.fromPlan(gpu().device, planModel(ir), { seed: 2 });
    const back = await CompiledModel.fromPlan(gpu().device, planModel(ir), { seed: 9 });
    try {
      await model.fit([graph], { epochs: 5 });
      writeFileSync(join(dir, "regnn.safetensors"), await model.save());
      const r = runPython(["-c", "import importlib.util as u, sys; s = u.spec_from_file_location('m', sys.argv[1]); m = u.module_from_spec(s); s.loader.exec_module(m); x = m.MODEL_CLASS(); x.load_weights(sys.argv[2]); x.save_weights(sys.argv[3])", py, join(dir, "regnn.safetensors"), join(dir, "torch.safetensors")]);
      expect(r.status, r.stderr).toBe(0);
      back.load(readFileSync(join(dir, "torch.safetensors")));
      expect(Array.from(await back.getParams())).toEqual(Array.from(await model.getParams()));
      const [a, b] = [(await model.forward([graph])).y!, (await back.forward([graph])).y!];
      expect(Array.from(b)).toEqual(Array.from(a));
    } finally {
      model.destroy();
      back.destroy();
    }
  });
});
