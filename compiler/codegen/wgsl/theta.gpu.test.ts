// The θ kernels (θ = B c and its backward) and the θ regulariser kernels on a real WebGPU device, against
// the float64 reference (compiler/nn/theta-layout.ts, compiler/reference/regularization.ts), on compiled models relaxed to C1
// and to D4h. Tolerances, of the output's scale (f32): forward 1e-5, backward 1e-4.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gpuContext, releaseGpu, runRows, scaledError } from "../../../test/gpu.js";
import type { LayerIR, ModelIR } from "../../ir/types.js";
import { randomNormal, seededRng } from "../../o3/rotation.js";
import { paramInfo, paramView } from "../../reference/params.js";
import { regularization } from "../../reference/regularization.js";
import { compileOrThrow } from "../../../test/test-models.js";
import { coefficientGrad, thetaFromCoefficients, thetaLayout } from "../../nn/theta-layout.js";
import { layerThetaBlocks, thetaKernels, thetaRegularizationKernel } from "./theta.js";

beforeAll(gpuContext);
afterAll(releaseGpu);

type RelaxedLayer = Extract<LayerIR, { theta: string }>;
const relaxedLayers = (ir: ModelIR) => ir.layers.filter((l): l is RelaxedLayer => "theta" in l);

function spec(symmetry: string): ModelIR {
  return compileOrThrow(`model T {
    symmetry ${symmetry}
    input x: 0e + 1o
    input pos: positions
    target t: 0e + 1o
    edge sh = spherical_harmonics(lmax: 2)
    edge emb = bessel(count: 4, cutoff: 2.0)
    layer h1 = relaxed_conv(x, sh, emb, radial: [6], num_neighbors: 3) -> 0e + 1o + 2e
    layer h2 = relaxed_node(h1, lmax: 1, mul: 3) -> 0e + 1o
    output y = h2
    train { loss: sse(y, t) regularize: [l2(0.1), group_lasso(0.05)] }
  }`);
}

const models: [string, ModelIR][] = [
  ["relax to C1 lmax 2 mul 2", spec("relax to C1 lmax 2 mul 2")],
  ["relax to D4h lmax 4 mul 2", spec("relax to D4h axis (0, 0, 1) secondary (1, 0, 0) lmax 4 mul 2")],
];

/** Random parameters, with the coefficients of one non-0e copy of the first relaxed layer set to 0. */
function randomParams(ir: ModelIR, seed: number): Float64Array {
  const rng = seededRng(seed);
  const params = Float64Array.from({ length: ir.paramCount }, () => randomNormal(rng));
  const layer = relaxedLayers(ir)[0]!;
  const layout = thetaLayout(ir, layer.theta, layer.thetaIrreps);
  const b = layout.blocks.find((q) => !(q.ir.l === 0 && q.ir.p === 1) && q.rank > 0)!;
  paramView(ir, params, layer.theta).fill(0, b.coefOffset, b.coefOffset + b.rank);
  return params;
}

describe("θ = B c kernels against the reference", () => {
  for (const [name, ir] of models) {
    it(`${name}: θ forward and backward for every relaxed layer`, async () => {
      if (name.includes("D4h")) expect(ir.symmetry.theta!.blocks.some((b) => b.basis.length > 0 && b.basis.length < b.basis[0]!.length)).toBe(true);
      const params = randomParams(ir, 1);
      const rng = seededRng(2);
      for (const layer of relaxedLayers(ir)) {
        const layout = thetaLayout(ir, layer.theta, layer.thetaIrreps);
        const { blocks, mul } = layerThetaBlocks(ir, layer.thetaIrreps);
        const offset = paramInfo(ir, layer.theta).offset;
        const k = thetaKernels(blocks, mul, offset);
        expect([k.thetaDim, k.coefficients]).toEqual([layout.dim, layout.coefficients]);
        expect(k.forward.bindings).toEqual(["model_params", "theta"]);
        expect(k.backward.bindings).toEqual(["grad_theta", "grad_params"]);
        expect(k.forward.rows).toEqual({ count: layout.dim });
        expect(k.backward.rows).toEqual({ count: layout.coefficients });

        const [theta] = await runRows(k.forward.label, k.forward.code, layout.dim, [params], [layout.dim]);
        expect(scaledError(theta!, thetaFromCoefficients(layout, paramView(ir, params, layer.theta)))).toBeLessThan(1e-5);

        const gTheta = Float64Array.from({ length: layout.dim }, () => randomNormal(rng));
        const start = Float64Array.from({ length: ir.paramCount }, () => randomNormal(rng));
        const [gp] = await runRows(k.backward.label, k.backward.code, layout.coefficients, [gTheta], [ir.paramCount], [], { initial: [start] });
        const want = Float64Array.from(start);
        coefficientGrad(layout, gTheta).forEach((g, i) => (want[offset + i] += g));
        expect(scaledError(gp!, want)).toBeLessThan(1e-4);
        for (let i = 0; i < ir.paramCount; i++) if (i < offset || i >= offset + layout.coefficients) expect(gp![i]).toBe(Math.fround(start[i]!));
      }
    });
  }
});

describe("θ regulariser kernels against the reference", () => {
  for (const [name, ir] of models) {
    it(`${name}: l2 + group_lasso value and gradient (one copy exactly 0)`, async () => {
      const params = randomParams(ir, 3);
      const ref = regularization(ir, params);
      const layers = relaxedLayers(ir);
      let gradParams: Float32Array = new Float32Array(ir.paramCount);
      let reg: Float32Array = new Float32Array(layers.length);
      for (const [slot, layer] of layers.entries()) {
        const { blocks, mul } = layerThetaBlocks(ir, layer.thetaIrreps);
        const offset = paramInfo(ir, layer.theta).offset;
        const k = thetaKernels(blocks, mul, offset);
        const r = thetaRegularizationKernel(blocks, mul, ir.train.regularize, slot)!;
        expect(r.grad.bindings).toEqual(["theta", "grad_theta"]);
        expect(r.value.bindings).toEqual(["theta", "reg"]);
        expect(r.value.rows).toEqual({ count: 1 });
        const [theta] = await runRows(k.forward.label, k.forward.code, k.thetaDim, [params], [k.thetaDim]);
        [reg] = (await runRows(r.value.label, r.value.code, 1, [theta!], [layers.length], [], { initial: [reg] })) as [Float32Array];
        const [gTheta] = await runRows(r.grad.label, r.grad.code, k.thetaDim, [theta!], [k.thetaDim]);
        [gradParams] = (await runRows(k.backward.label, k.backward.code, k.coefficients, [gTheta!], [ir.paramCount], [], { initial: [gradParams] })) as [Float32Array];
      }
      const value = reg.reduce((s, v) => s + v, 0);
      expect(Math.abs(value - ref.value) / Math.max(1, Math.abs(ref.value))).toBeLessThan(1e-5);
      expect(scaledError(gradParams, ref.grad)).toBeLessThan(1e-4);
    });
  }

  it("returns null when nothing is penalised", () => {
    const ir = models[0]![1];
    const { blocks, mul } = layerThetaBlocks(ir, relaxedLayers(ir)[0]!.thetaIrreps);
    expect(thetaRegularizationKernel(blocks, mul, [])).toBeNull();
    expect(thetaRegularizationKernel(blocks.slice(0, 1), mul, ir.train.regularize)).toBeNull(); // 0e only
  });
});
