// The radial-MLP kernels (forward, backward part A: deltas and input gradient, part B: weight gradients) on
// a real WebGPU device against the float64 reference (compiler/reference/radial-mlp.ts). Tolerances, of the
// output's scale (f32): forward 1e-5, backward 1e-4.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gpuContext, releaseGpu, runRows, scaledError } from "../../../test/gpu.js";
import type { Activation, ModelIR, RadialMlpIR } from "../../ir/types.js";
import { secondMomentScale } from "../../nn/activation.js";
import { randomNormal, seededRng, type Rng } from "../../o3/rotation.js";
import { radialMlpBackward, radialMlpForward } from "../../reference/radial-mlp.js";
import { compileOrThrow } from "../../../test/test-models.js";
import { radialMlpKernels } from "./radial-mlp.js";

beforeAll(gpuContext);
afterAll(releaseGpu);

const gauss = (rng: Rng, n: number, s = 1) => Float64Array.from({ length: n }, () => s * randomNormal(rng));

/** A model holding only an MLP's weights, `lead` numbers into the flat parameters (and 7 after them). */
function mlpModel(sizes: number[], act: Activation, lead: number): { ir: ModelIR; mlp: RadialMlpIR; offsets: number[] } {
  const params = [];
  let offset = lead;
  for (let k = 0; k < sizes.length - 1; k++) {
    const size = sizes[k]! * sizes[k + 1]!;
    params.push({ name: `fc.layer${k}.weight`, shape: [sizes[k]!, sizes[k + 1]!], offset, size, init: "normal" as const, relaxed: false });
    offset += size;
  }
  const mlp: RadialMlpIR = { sizes, act, actScale: secondMomentScale(act), params: params.map((p) => p.name) };
  const ir = { params, paramCount: offset + 7 } as unknown as ModelIR; // the reference's MLP reads only these
  return { ir, mlp, offsets: params.map((p) => p.offset) };
}

/** Runs forward, part A, part B and checks them against the reference. */
async function check(ir: ModelIR, mlp: RadialMlpIR, offsets: number[], edges: number, seed: number) {
  const k = radialMlpKernels(mlp, offsets);
  const s = mlp.sizes, L = s.length - 1, IN = s[0]!, OUT = s[L]!;
  const rng = seededRng(seed);
  const emb = gauss(rng, edges * IN), params = gauss(rng, ir.paramCount), gOut = gauss(rng, edges * OUT);
  const startEmb = gauss(rng, edges * IN), startParams = gauss(rng, ir.paramCount);
  const sizes = { edges };

  const ref = radialMlpForward(ir, params, mlp, emb, edges);
  const refHidden = new Float64Array(edges * k.hiddenSize);
  for (let e = 0; e < edges; e++)
    for (let l = 1; l < L; l++) refHidden.set(ref.zs[l - 1]!.subarray(e * s[l]!, (e + 1) * s[l]!), e * k.hiddenSize + k.hiddenOffsets[l - 1]!);
  const refGradParams = new Float64Array(ir.paramCount);
  const refGradEmb = radialMlpBackward(ir, params, mlp, emb, edges, gOut, refGradParams);

  // forward
  const hasHidden = k.hiddenSize > 0;
  expect(k.forward.bindings).toEqual(["emb", "model_params", "out", ...(hasHidden ? ["hidden"] : [])]);
  const [out, hidden] = await runRows(k.forward.label, k.forward.code, edges, [emb, params], [edges * OUT, ...(hasHidden ? [edges * k.hiddenSize] : [])], [], sizes);
  expect(scaledError(out!, ref.out)).toBeLessThan(1e-5);
  if (hasHidden) expect(scaledError(hidden!, refHidden)).toBeLessThan(1e-5);

  // part A
  expect(k.backward.bindings).toEqual([...(hasHidden ? ["hidden"] : []), "model_params", "grad_out", "delta", "grad_emb"]);
  const [delta, gEmb] = await runRows(k.backward.label, k.backward.code, edges, [...(hasHidden ? [hidden!] : []), params, gOut], [edges * k.deltaSize, edges * IN], [], {
    ...sizes,
    initial: [undefined, startEmb],
  });
  expect(scaledError(gEmb!, startEmb.map((v, i) => v + refGradEmb[i]!))).toBeLessThan(1e-4);
  for (let e = 0; e < edges; e++)
    for (let o = 0; o < OUT; o++) expect(delta![e * k.deltaSize + k.deltaOffsets[L - 1]! + o]).toBe(Math.fround(gOut[e * OUT + o]!));

  // part B
  expect(k.weightGrad.bindings).toEqual(["emb", ...(hasHidden ? ["hidden"] : []), "delta", "grad_params"]);
  expect(k.weightGrad.rows).toEqual({ count: k.weightCount });
  const [gParams] = await runRows(k.weightGrad.label, k.weightGrad.code, k.weightCount, [emb, ...(hasHidden ? [hidden!] : []), delta!], [ir.paramCount], [], {
    ...sizes,
    initial: [startParams],
  });
  const inMlp = new Uint8Array(ir.paramCount);
  for (const p of ir.params) if (mlp.params.includes(p.name)) inMlp.fill(1, p.offset, p.offset + p.size);
  const got = [], want = [];
  for (let i = 0; i < ir.paramCount; i++) {
    if (inMlp[i]) {
      got.push(gParams![i]!);
      want.push(refGradParams[i]!);
    } else expect(gParams![i]).toBe(Math.fround(startParams[i]!)); // other parameters untouched
  }
  expect(got.length).toBe(k.weightCount);
  expect(scaledError(got, want)).toBeLessThan(1e-4);
}

describe("radial MLP kernels against the reference", () => {
  for (const act of ["silu", "relu", "tanh", "sigmoid", "identity"] as const) {
    it(`${act}, sizes [4, 6, 5, 3], weights at offset 13, 150 edges`, async () => {
      const { ir, mlp, offsets } = mlpModel([4, 6, 5, 3], act, 13);
      await check(ir, mlp, offsets, 150, 11);
    });
  }

  it("a single layer (no hidden layers, no `hidden` binding), sizes [4, 3]", async () => {
    const { ir, mlp, offsets } = mlpModel([4, 3], "silu", 5);
    await check(ir, mlp, offsets, 60, 12);
  });

  it("the benchmark's sizes [10, 100, 192], silu, 64 edges", async () => {
    const { ir, mlp, offsets } = mlpModel([10, 100, 192], "silu", 2688);
    await check(ir, mlp, offsets, 64, 13);
  });

  it("a compiled conv layer's MLP (radial: [7, 5], tanh) at its IR offsets", async () => {
    const ir = compileOrThrow(`model M {
      input x: 2x0e + 1o
      input pos: positions
      edge sh = spherical_harmonics(lmax: 2)
      edge emb = gaussian(count: 6, cutoff: 3.0)
      layer c1 = conv(x, sh, emb, radial: [7, 5], act: tanh) -> 2x0e + 1o
      layer c2 = conv(c1, sh, emb, radial: [4], act: silu) -> 0e + 1o
      output y = c2
    }`);
    for (const layer of ir.layers) {
      if (layer.op !== "conv") continue;
      const offsets = layer.radial.params.map((name) => ir.params.find((p) => p.name === name)!.offset);
      await check(ir, layer.radial, offsets, 80, 14);
    }
  });
});
