import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { flat, loadVectors, maxAbsDiff, type TensorProductVectors } from "../../test/e3nn-vectors.js";
import { assertEquivariant } from "../../test/equivariance.js";
import { convolutionTensorProduct, fullyConnectedTensorProduct } from "./fully-connected.js";
import { randomNormal, randomOrthogonal, seededRng, type Rng } from "./rotation.js";
import { TensorProduct, type ConnectionMode, type InstructionSpec } from "./tensor-product.js";

const gaussian = (n: number, rng: Rng) => Float64Array.from({ length: n }, () => randomNormal(rng));

describe("TensorProduct against e3nn", () => {
  const { cases } = loadVectors<TensorProductVectors>("tensor_products");

  it("covers the reference cases", () => {
    expect(cases.map((c) => c.name)).toEqual(expect.arrayContaining(["fctp_0", "fctp_3", "uvu_3", "fctp_2_norm_path"]));
  });

  for (const c of cases) {
    it(`${c.name}: instructions, outputs and all three gradients to 1e-11`, () => {
      const options = {
        irrepNormalization: c.irrep_normalization,
        pathNormalization: c.path_normalization,
        sharedWeights: c.shared_weights,
      };
      const specs = c.instructions.map(([i1, i2, io, mode, hw]) => [i1, i2, io, mode as ConnectionMode, hw] as const);
      const tp = new TensorProduct(c.irreps_in1, c.irreps_in2, c.irreps_out, specs, options);
      expect(tp.weightNumel).toBe(c.weight_numel);
      expect(tp.instructions.map((i) => i.pathShape)).toEqual(c.path_shapes);
      expect(maxAbsDiff(tp.instructions.map((i) => i.pathWeight), c.instructions.map((i) => i[5]))).toBeLessThan(1e-14);

      const [x1, x2, w, g] = [flat(c.x1), flat(c.x2), flat(c.weight), flat(c.g)];
      expect(maxAbsDiff(tp.forward(x1, x2, w, c.batch), flat(c.out))).toBeLessThan(1e-11);
      const grads = tp.backward(x1, x2, w, g, c.batch);
      expect(maxAbsDiff(grads.x1, flat(c.grad_x1))).toBeLessThan(1e-11);
      expect(maxAbsDiff(grads.x2, flat(c.grad_x2))).toBeLessThan(1e-11);
      expect(maxAbsDiff(grads.weight, flat(c.grad_weight))).toBeLessThan(1e-11);

      if (c.kind === "FullyConnectedTensorProduct") {
        const fctp = fullyConnectedTensorProduct(c.irreps_in1, c.irreps_in2, c.irreps_out, options);
        expect(fctp.instructions.map((i) => [i.i1, i.i2, i.iOut, i.mode, i.hasWeight])).toEqual(specs.map((s) => [...s]));
        expect(maxAbsDiff(fctp.forward(x1, x2, w, c.batch), flat(c.out))).toBeLessThan(1e-11);
      } else {
        const { tp: conv, irrepsMid } = convolutionTensorProduct(c.irreps_in1, c.irreps_in2, c.irreps_out_set!);
        expect(irrepsMid.toString()).toBe(c.irreps_out);
        expect(conv.instructions.map((i) => [i.i1, i.i2, i.iOut, i.mode, i.hasWeight])).toEqual(specs.map((s) => [...s]));
        expect(maxAbsDiff(conv.forward(x1, x2, w, c.batch), flat(c.out))).toBeLessThan(1e-11);
      }
    });
  }

  it("reproduces the worked FCTP example: 1x1o x 1x1o -> 0e+1e+2e with unit weights", () => {
    const tp = fullyConnectedTensorProduct("1x1o", "1x1o", "1x0e+1x1e+1x2e");
    expect(maxAbsDiff(tp.instructions.map((i) => i.pathWeight), [1, Math.sqrt(3), Math.sqrt(5)])).toBeLessThan(1e-15);
    const out = tp.forward([1, 0, 0], [0, 1, 0], [1, 1, 1], 1);
    expect(maxAbsDiff(out, [0, 0, 0, Math.SQRT1_2, 0, Math.SQRT1_2, 0, 0, 0])).toBeLessThan(1e-15);
  });
});

/** Small random tensor products in every connection mode, for the property tests. */
function randomCase(rng: Rng, mode: ConnectionMode, shared: boolean) {
  const m = 1 + Math.floor(rng() * 3);
  const pick = () => 1 + Math.floor(rng() * 3);
  const [mul1, mul2] = mode.startsWith("uu") ? [m, m] : [pick(), pick()];
  const mulOut = mode === "uvu" || mode === "uuu" ? mul1 : mode === "uvv" ? mul2 : pick();
  const ir1 = ["0e", "1o", "2e"][Math.floor(rng() * 3)]!;
  const ir2 = ["1o", "1e", "2o"][Math.floor(rng() * 3)]!;
  const l1 = Number(ir1[0]), l2 = Number(ir2[0]);
  const p = (ir1[1] === "e" ? 1 : -1) * (ir2[1] === "e" ? 1 : -1);
  const lo = Math.abs(l1 - l2) + Math.floor(rng() * (l1 + l2 - Math.abs(l1 - l2) + 1));
  const irOut = `${lo}${p === 1 ? "e" : "o"}`;
  // A second path into the same output exercises the path normalisation sums.
  const in1 = `${mul1}x${ir1}+${mul1}x0e`;
  const in2 = `${mul2}x${ir2}`;
  const out = `${mulOut}x${irOut}+${mulOut}x${ir2}`;
  const specs: InstructionSpec[] = [[0, 0, 0, mode, true], [1, 0, 1, mode, true, 0.5]];
  return new TensorProduct(in1, in2, out, specs, { sharedWeights: shared });
}

describe("TensorProduct properties", () => {
  const modes: ConnectionMode[] = ["uvw", "uvu", "uvv", "uuw", "uuu"];

  it("is equivariant in every mode under random O(3) elements (property)", () => {
    fc.assert(
      fc.property(fc.integer(), fc.constantFrom(...modes), fc.boolean(), (seed, mode, shared) => {
        const rng = seededRng(seed);
        const tp = randomCase(rng, mode, shared);
        const batch = 3;
        const w = gaussian(shared ? tp.weightNumel : batch * tp.weightNumel, rng);
        assertEquivariant({
          inputs: [tp.irrepsIn1, tp.irrepsIn2],
          output: tp.irrepsOut,
          fn: (a, b) => tp.forward(a, b, w, batch),
          xs: [gaussian(batch * tp.irrepsIn1.dim, rng), gaussian(batch * tp.irrepsIn2.dim, rng)],
          matrix: randomOrthogonal(rng),
          tol: 1e-12,
          label: `${mode} ${tp.irrepsIn1} x ${tp.irrepsIn2} -> ${tp.irrepsOut}`,
        });
      }),
      { numRuns: 80 },
    );
  });

  it("has gradients equal to central finite differences in every mode (property)", () => {
    fc.assert(
      fc.property(fc.integer(), fc.constantFrom(...modes), fc.boolean(), (seed, mode, shared) => {
        const rng = seededRng(seed);
        const tp = randomCase(rng, mode, shared);
        const batch = 2;
        const x1 = gaussian(batch * tp.irrepsIn1.dim, rng), x2 = gaussian(batch * tp.irrepsIn2.dim, rng);
        const w = gaussian(shared ? tp.weightNumel : batch * tp.weightNumel, rng);
        const g = gaussian(batch * tp.irrepsOut.dim, rng);
        const loss = (a: Float64Array, b: Float64Array, c: Float64Array) => tp.forward(a, b, c, batch).reduce((s, v, i) => s + v * g[i]!, 0);
        const grads = tp.backward(x1, x2, w, g, batch);
        const h = 1e-6;
        for (const [name, arr, grad] of [["x1", x1, grads.x1], ["x2", x2, grads.x2], ["weight", w, grads.weight]] as const) {
          for (let i = 0; i < arr.length; i++) {
            const plus = arr.slice(), minus = arr.slice();
            plus[i] += h;
            minus[i] -= h;
            const args = (v: Float64Array) => (name === "x1" ? [v, x2, w] : name === "x2" ? [x1, v, w] : [x1, x2, v]) as [Float64Array, Float64Array, Float64Array];
            const fd = (loss(...args(plus)) - loss(...args(minus))) / (2 * h);
            expect(Math.abs(fd - grad[i]!), `${mode} d${name}[${i}]`).toBeLessThan(1e-7 * Math.max(1, Math.abs(fd)));
          }
        }
      }),
      { numRuns: 40 },
    );
  });

  it("normalises to unit output variance for unit-variance inputs and weights (e3nn's aim)", () => {
    const tp = fullyConnectedTensorProduct("8x0e+8x1o+8x2e", "0e+1o+2e", "8x0e+8x1o+8x2e");
    const rng = seededRng(11);
    const batch = 400;
    let s2 = 0;
    for (let r = 0; r < 5; r++) {
      const out = tp.forward(gaussian(batch * tp.irrepsIn1.dim, rng), gaussian(batch * tp.irrepsIn2.dim, rng), gaussian(tp.weightNumel, rng), batch);
      s2 += out.reduce((s, v) => s + v * v, 0) / out.length;
    }
    expect(s2 / 5).toBeGreaterThan(0.8);
    expect(s2 / 5).toBeLessThan(1.25);
  });
});

describe("TensorProduct errors", () => {
  it("names the bad instruction and what is wrong", () => {
    expect(() => new TensorProduct("1x1o", "1x1o", "1x1o", [[0, 0, 0, "uvw", true]])).toThrow(
      "TensorProduct instruction 0 [0, 0, 0, uvw, true]: 1o is not in 1o x 1o (parity or triangle rule)",
    );
    expect(() => new TensorProduct("2x0e", "1x0e", "3x0e", [[0, 0, 0, "uvu", true]])).toThrow("mode uvu needs mulOut == mul1");
    expect(() => new TensorProduct("1x0e", "1x0e", "1x0e", [[0, 1, 0, "uvw", true]])).toThrow("i2 = 1 is out of range for '1x0e'");
    expect(() => new TensorProduct("1x0e", "1x0e", "1x0e", [[0, 0, 0, "uvx" as ConnectionMode, true]])).toThrow("unknown connection mode 'uvx'");
    const tp = fullyConnectedTensorProduct("0e", "0e", "0e");
    expect(() => tp.forward([1, 2], [1], [1], 1)).toThrow("x1 (batch 1 x '1x0e') has 2 numbers, expected 1");
  });
});
