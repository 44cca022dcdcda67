// Pointwise kernels (gate, norm, add, concat) on a real WebGPU device against the float64 reference
// (compiler/reference/gate.ts, norm.ts, concat.ts). Backward kernels accumulate (+=): they start from random
// gradients and are checked as start + reference. Forward ≤ 1e-5, backward ≤ 1e-4 of the output's scale.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gpuContext, releaseGpu, runRows, scaledError } from "../../../test/gpu.js";
import { secondMomentScale, type ActivationName } from "../../nn/activation.js";
import { Irreps } from "../../o3/irreps.js";
import { seededRng } from "../../o3/rotation.js";
import { concatBackward, concatForward } from "../../reference/concat.js";
import { gateBackward, gateForward } from "../../reference/gate.js";
import { gaussianArray } from "../../../test/hand-batch.js";
import { normBackward, normForward } from "../../reference/norm.js";
import { addKernels, concatKernels, concatPieceKernels } from "./pointwise.js";
import { gateKernels, type GateLayerIR } from "./pointwise-gate.js";
import { normKernels, normWeightCount } from "./pointwise-norm.js";
import { columnSumKernel } from "./reduce.js";

beforeAll(gpuContext);
afterAll(releaseGpu);

const plus = (a: Float64Array, b: Float64Array) => a.map((v, i) => v + b[i]!);

function gateLayer(scalars: string, gates: string, gated: string, actScalars: ActivationName, actGates: ActivationName): GateLayerIR {
  const s = Irreps.parse(scalars), v = Irreps.parse(gated);
  return {
    name: "g", op: "gate", inputs: ["h"], domain: "node", params: [],
    irrepsOut: [s.toString(), v.toString()].filter(Boolean).join("+"),
    scalars, gates, gated, actScalars, actGates,
    actScalarsScale: secondMomentScale(actScalars), actGatesScale: secondMomentScale(actGates),
  };
}

describe("gate", () => {
  const rng = seededRng(31);
  const cases: [string, GateLayerIR][] = [
    ["silu scalars, sigmoid gates, 1o and 2e gated", gateLayer("4x0e+2x0o", "5x0e", "3x1o+2x2e", "silu", "sigmoid")],
    ["tanh scalars, relu gates, gated listed out of order", gateLayer("3x0e", "4x0e", "1x2e+2x1o+1x0e", "tanh", "relu")],
    ["identity scalars, tanh gates (odd gates)", gateLayer("2x0e", "3x0o", "3x1e", "identity", "tanh")],
    ["no scalars", gateLayer("", "2x0e", "2x1o", "silu", "silu")],
    ["nothing gated", gateLayer("6x0e", "", "", "relu", "sigmoid")],
  ];
  for (const [name, layer] of cases) {
    it(`${name}: forward and backward on 90 rows`, async () => {
      const rows = 90;
      const { forward, backward } = gateKernels(layer);
      expect(forward.bindings).toEqual(["x", "out"]);
      expect(backward.bindings).toEqual(["x", "grad_out", "grad_x"]);
      const dIn = [layer.scalars, layer.gates, layer.gated].reduce((a, s) => a + Irreps.parse(s).dim, 0);
      const dOut = Irreps.parse(layer.scalars).dim + Irreps.parse(layer.gated).dim;
      // Unit-scale features, and some rows at scale 30 to reach the activations' saturated tails.
      const x = gaussianArray(rows * dIn, rng).map((v, i) => (Math.floor(i / dIn) % 10 === 0 ? 30 * v : v));
      const [out] = await runRows("gate_forward", forward.code, rows, [x], [rows * dOut]);
      expect(scaledError(out!, gateForward(layer, x, rows, dIn))).toBeLessThan(1e-5);
      const g = gaussianArray(rows * dOut, rng), start = gaussianArray(rows * dIn, rng);
      const [gx] = await runRows("gate_backward", backward.code, rows, [x, g], [rows * dIn], [], { initial: [start] });
      expect(scaledError(gx!, plus(start, gateBackward(layer, x, rows, g)))).toBeLessThan(1e-4);
    });
  }
});

describe("norm", () => {
  const rng = seededRng(32);
  const cases: [string, string, number][] = [
    ["two 0e blocks (centred separately), 0o not centred", "4x0e+3x1o+2x2e+2x0e+1x0o", 1e-5],
    ["a single 0e copy (centred to 0)", "1x0e+2x1e", 1e-3],
    ["vectors only, larger eps", "5x1o", 0.1],
  ];
  for (const [name, irreps, eps] of cases) {
    it(`${name}: forward, backward and the weight gradient through a column sum`, async () => {
      const rows = 80, dim = Irreps.parse(irreps).dim, nw = normWeightCount(irreps), weightOffset = 6;
      const { forward, backward } = normKernels(irreps, eps, weightOffset);
      expect(forward.bindings).toEqual(["x", "weight", "out"]);
      expect(backward.bindings).toEqual(["x", "weight", "grad_out", "grad_x", "grad_weight_rows"]);
      const w = gaussianArray(nw, rng).map((v) => 1 + 0.3 * v);
      const flat = Float64Array.from([...gaussianArray(weightOffset, rng), ...w, ...gaussianArray(4, rng)]);
      const x = gaussianArray(rows * dim, rng).map((v, i) => (i % 7 === 0 ? v + 2 : v));
      const [out] = await runRows("norm_forward", forward.code, rows, [x, flat], [rows * dim]);
      expect(scaledError(out!, normForward(irreps, eps, w, x, rows))).toBeLessThan(1e-5);

      const g = gaussianArray(rows * dim, rng), start = gaussianArray(rows * dim, rng);
      const [gx, gwRows] = await runRows("norm_backward", backward.code, rows, [x, flat, g], [rows * dim, rows * nw], [], { initial: [start] });
      const ref = normBackward(irreps, eps, w, x, rows, g);
      expect(scaledError(gx!, plus(start, ref.x))).toBeLessThan(1e-4);
      // grad_params: other entries untouched, the norm's weights increased by the column sums.
      const gradParams = gaussianArray(flat.length, rng);
      const [gp] = await runRows("norm_weight_sum", columnSumKernel(nw, "nodes", weightOffset, true).code, nw, [gwRows!], [flat.length], [], { nodes: rows, initial: [gradParams] });
      const want = gradParams.slice();
      ref.weight.forEach((v, j) => (want[weightOffset + j] += v));
      expect(scaledError(gp!, want)).toBeLessThan(1e-4);
    });
  }
});

describe("add", () => {
  it("forward and backward on 70 rows", async () => {
    const rng = seededRng(33);
    const rows = 70, dim = 11;
    const { forward, backward } = addKernels(dim);
    expect(forward.bindings).toEqual(["a", "b", "out"]);
    expect(backward.bindings).toEqual(["grad_out", "grad_a", "grad_b"]);
    const a = gaussianArray(rows * dim, rng), b = gaussianArray(rows * dim, rng);
    const [out] = await runRows("add_forward", forward.code, rows, [a, b], [rows * dim]);
    expect(scaledError(out!, plus(a, b))).toBeLessThan(1e-5);
    const g = gaussianArray(rows * dim, rng), sa = gaussianArray(rows * dim, rng), sb = gaussianArray(rows * dim, rng);
    const [ga, gb] = await runRows("add_backward", backward.code, rows, [g], [rows * dim, rows * dim], [], { initial: [sa, sb] });
    expect(scaledError(ga!, plus(sa, g))).toBeLessThan(1e-4);
    expect(scaledError(gb!, plus(sb, g))).toBeLessThan(1e-4);
  });
});

describe("concat", () => {
  const rng = seededRng(34);
  const dims = [3, 1, 8, 5], rows = 70, total = 17;
  const xs = dims.map((d) => gaussianArray(rows * d, rng));
  const g = gaussianArray(rows * total, rng);
  const starts = dims.map((d) => gaussianArray(rows * d, rng));
  const refOut = concatForward(xs, dims, rows), refGrads = concatBackward(g, dims, rows);

  it("all pieces at once: forward and backward", async () => {
    const { forward, backward } = concatKernels(dims);
    expect(forward.bindings).toEqual(["x0", "x1", "x2", "x3", "out"]);
    expect(backward.bindings).toEqual(["grad_out", "grad_x0", "grad_x1", "grad_x2", "grad_x3"]);
    const [out] = await runRows("concat_forward", forward.code, rows, xs, [rows * total]);
    expect(scaledError(out!, refOut)).toBeLessThan(1e-5);
    const grads = await runRows("concat_backward", backward.code, rows, [g], dims.map((d) => rows * d), [], { initial: starts });
    grads.forEach((gk, k) => expect(scaledError(gk, plus(starts[k]!, refGrads[k]!))).toBeLessThan(1e-4));
  });

  it("one piece at a time: forward fills its columns, backward adds its slice", async () => {
    let out = new Float64Array(rows * total);
    for (let k = 0; k < dims.length; k++) {
      const { forward, backward } = concatPieceKernels(dims, k);
      expect(forward.bindings).toEqual(["x", "out"]);
      expect(backward.bindings).toEqual(["grad_out", "grad_x"]);
      const [o] = await runRows("concat_piece_forward", forward.code, rows, [xs[k]!], [rows * total], [], { initial: [out] });
      out = Float64Array.from(o!);
      const [gk] = await runRows("concat_piece_backward", backward.code, rows, [g], [rows * dims[k]!], [], { initial: [starts[k]!] });
      expect(scaledError(gk!, plus(starts[k]!, refGrads[k]!))).toBeLessThan(1e-4);
    }
    expect(scaledError(out, refOut)).toBeLessThan(1e-5);
  });
});
