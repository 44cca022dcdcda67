// e3nn's own gate_points_2101.Convolution (../shared/e3nn-vectors/gate_points_convolution.json: e3nn 0.5.6's
// weights, inputs and float64 output) in regnn's compiled specs/bench_conv.regnn on the WebGPU device, the
// weights loaded from safetensors as an application would: the output agrees to f32 precision (1e-5 of its
// scale), radial table included.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gpu, gpuContext, releaseGpu, scaledError } from "../../test/gpu.js";
import { loadE3nnConvolution, type E3nnConvolutionCase } from "../../test/e3nn-vectors.js";
import { CompiledModel } from "../../runtime/model/compiled-model.js";
import { encodeSafetensors } from "../../runtime/model/safetensors.js";
import { compileOrThrow } from "../reference/test-models.js";
import type { ModelIR } from "../ir/types.js";
import { planModel } from "./plan.js";

beforeAll(gpuContext);
afterAll(releaseGpu);

/** e3nn's weights as a safetensors file under regnn's names (F64, as a float64 PyTorch state would be saved). */
export function e3nnWeightsFile(ir: ModelIR, c: E3nnConvolutionCase): Uint8Array {
  const tensors = Object.fromEntries(ir.params.map((p) => [p.name, { dtype: "F64" as const, shape: p.shape, data: Float64Array.from(c.weights[p.name]!) }]));
  return encodeSafetensors(tensors);
}

describe("e3nn's gate_points convolution on the GPU", () => {
  const ir = compileOrThrow(readFileSync(new URL("../../specs/bench_conv.regnn", import.meta.url), "utf8"), "bench_conv.regnn");
  const vectors = loadE3nnConvolution();
  vectors.cases.forEach((c, k) => {
    it(`case ${k} (${c.numNodes} nodes, ${c.src.length} edges): the compiled module's y equals e3nn's to 1e-5 of its scale`, async () => {
      const plan = planModel(ir);
      expect(plan.buffers.some((b) => b.name.includes("table")), "bench_conv uses the radial table").toBe(true);
      const model = await CompiledModel.fromPlan(gpu().device, plan, { seed: 1 });
      try {
        model.load(e3nnWeightsFile(ir, c));
        const y = (await model.forward([{ numNodes: c.numNodes, edges: { src: c.src, dst: c.dst }, features: { x: c.x, pos: c.pos } }])).out!;
        expect(scaledError(y, c.y)).toBeLessThan(1e-5);
      } finally {
        model.destroy();
      }
    });
  });
});
