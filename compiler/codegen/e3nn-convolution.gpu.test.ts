// e3nn's own gate_points_2101.Convolution (../shared/e3nn-vectors/gate_points_convolution.json: e3nn 0.5.6's
// weights, inputs and float64 output) in regnn's compiled specs/bench_conv.regnn, the weights loaded from one
// safetensors file as an application would, into both the WebGPU module (f32: 1e-5 of the output scale,
// radial table included) and the generated PyTorch module (float64: 1e-10). The PyTorch part needs Debian's
// python3-torch (`npm run setup`).
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gpu, gpuContext, releaseGpu, scaledError } from "../../test/gpu.js";
import { loadE3nnConvolution, type E3nnConvolutionCase } from "../../test/e3nn-vectors.js";
import { CompiledModel } from "../../runtime/model/compiled-model.js";
import { encodeSafetensors } from "../../runtime/model/safetensors.js";
import { compileOrThrow } from "../../test/test-models.js";
import type { ModelIR } from "../ir/types.js";
import { planModel } from "./plan.js";
import { emitPyTorchModule } from "./pytorch/emit.js";
import { handBatch } from "../../test/hand-batch.js";
import { runTorchCases } from "../../test/pytorch.js";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

beforeAll(gpuContext);
afterAll(releaseGpu);

/** e3nn's weights as a safetensors file under regnn's names (F64, as a float64 PyTorch state would be saved). */
export function e3nnWeightsFile(ir: ModelIR, c: E3nnConvolutionCase): Uint8Array {
  const tensors = Object.fromEntries(ir.params.map((p) => [p.name, { dtype: "F64" as const, shape: p.shape, data: Float64Array.from(c.weights[p.name]!) }]));
  return encodeSafetensors(tensors);
}

function scaled(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0, s = 0;
  for (let i = 0; i < b.length; i++) [d, s] = [Math.max(d, Math.abs(a[i]! - b[i]!)), Math.max(s, Math.abs(b[i]!))];
  return d / s;
}

describe("e3nn's gate_points convolution in the GPU and PyTorch modules", () => {
  const ir = compileOrThrow(readFileSync(new URL("../../specs/bench_conv.regnn", import.meta.url), "utf8"), "bench_conv.regnn");
  const vectors = loadE3nnConvolution();
  vectors.cases.forEach((c, k) => {
    it(`case ${k} (${c.numNodes} nodes, ${c.src.length} edges): the GPU module's y equals e3nn's to 1e-5 of its scale, the PyTorch module's to 1e-10`, async () => {
      const dir = mkdtempSync(join(tmpdir(), "regnn-e3nn-conv-"));
      const [py, weights] = [join(dir, "BenchConv.py"), join(dir, "e3nn.safetensors")];
      writeFileSync(py, emitPyTorchModule(ir));
      writeFileSync(weights, e3nnWeightsFile(ir, c));
      const batch = handBatch([c.numNodes], c.src.map((s, e) => [s, c.dst[e]!]), { x: Float64Array.from(c.x), pos: Float64Array.from(c.pos) });
      const [torch] = runTorchCases([{ path: py, weights, batch, dims: { x: 120, pos: 3 }, gradOutputs: {} }]);
      // The PyTorch module sums messages in batch order (edges sorted by destination), e3nn in its own.
      expect(scaled(torch!.outputs.out!, c.y)).toBeLessThan(1e-10);
      const plan = planModel(ir);
      expect(plan.buffers.some((b) => b.name.includes("table")), "bench_conv uses the radial table").toBe(true);
      const model = await CompiledModel.fromPlan(gpu().device, plan, { seed: 1 });
      try {
        model.load(readFileSync(weights));
        const y = (await model.forward([{ numNodes: c.numNodes, edges: { src: c.src, dst: c.dst }, features: { x: c.x, pos: c.pos } }])).out!;
        expect(scaledError(y, c.y)).toBeLessThan(1e-5);
      } finally {
        model.destroy();
      }
    });
  });
});
