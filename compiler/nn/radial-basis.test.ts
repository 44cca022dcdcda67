import { describe, expect, it } from "vitest";
import { radialBasis, SMOOTH_FINITE_CONSTANT, type RadialBasisIR } from "./radial-basis.js";

const attr = (basis: RadialBasisIR["basis"], count: number, cutoff: number, start = 0, scale = 1): RadialBasisIR => ({
  name: "emb", op: "radial_basis", irreps: `${count}x0e`, basis, count, start, cutoff, scale,
});

describe("radial bases against hand-evaluated formulas", () => {
  // count 2 on [0, 3]: linspace(0, 3, 4) = 0, 1, 2, 3 -> step 1, centres 1 and 2.
  it("gaussian: exp(-diff²)/1.12, no cutoff mask", () => {
    const { value } = radialBasis(attr("gaussian", 2, 3), 1.5);
    expect(value[0]).toBeCloseTo(Math.exp(-0.25) / 1.12, 15);
    expect(value[1]).toBeCloseTo(Math.exp(-0.25) / 1.12, 15);
    expect(radialBasis(attr("gaussian", 2, 3), 5).value[1]).toBeCloseTo(Math.exp(-9) / 1.12, 15);
  });
  it("cosine: cos(π/2 diff) inside |diff| < 1, else 0", () => {
    const { value } = radialBasis(attr("cosine", 2, 3), 1.5);
    expect(value[0]).toBeCloseTo(Math.SQRT1_2, 15);
    expect(value[1]).toBeCloseTo(Math.SQRT1_2, 15);
    expect(Array.from(radialBasis(attr("cosine", 2, 3), 3.2).value)).toEqual([0, 0]);
  });
  it("smooth_finite: 1.14136 e² su(diff+1) su(1-diff); at a centre that is 1.14136", () => {
    expect(SMOOTH_FINITE_CONSTANT).toBeCloseTo(1.14136 * 7.38905609893065, 13);
    const { value } = radialBasis(attr("smooth_finite", 2, 3), 1);
    expect(value[0]).toBeCloseTo(1.14136, 14);
    expect(value[1]).toBe(0); // diff = -1: su(0) = 0
    // r = 1.5: diff = ±0.5 -> su(1.5) su(0.5) = exp(-2/3 - 2)
    expect(radialBasis(attr("smooth_finite", 2, 3), 1.5).value[0]).toBeCloseTo(1.14136 * Math.exp(2) * Math.exp(-1 / 1.5 - 2), 14);
  });
  it("fourier: sin(π i x)/sqrt(0.25 + n/2) on 0 < x < 1", () => {
    const { value } = radialBasis(attr("fourier", 3, 2), 1); // x = 0.5
    const norm = Math.sqrt(0.25 + 1.5);
    expect(value[0]).toBeCloseTo(1 / norm, 15);
    expect(value[1]).toBeCloseTo(0, 15);
    expect(value[2]).toBeCloseTo(-1 / norm, 15);
    expect(Array.from(radialBasis(attr("fourier", 3, 2), 2).value)).toEqual([0, 0, 0]);
  });
  it("bessel: sqrt(2/c) sin(nπx/c)/x, zero at and beyond the cutoff; start and scale", () => {
    const { value } = radialBasis(attr("bessel", 2, 1.8), 0.9);
    expect(value[0]).toBeCloseTo(Math.sqrt(2 / 1.8) / 0.9, 14);
    expect(value[1]).toBeCloseTo(0, 14);
    expect(Array.from(radialBasis(attr("bessel", 2, 1.8), 1.8).value)).toEqual([0, 0]);
    expect(Array.from(radialBasis(attr("bessel", 2, 1.8), 0).value)).toEqual([0, 0]);
    const shifted = radialBasis(attr("bessel", 1, 2.5, 0.5, 3), 1.5).value[0]!; // x = 1, c = 2
    expect(shifted).toBeCloseTo(3 * Math.sqrt(1) * Math.sin(Math.PI / 2), 14);
  });
  it("scale multiplies every function (gate_points' sqrt(count))", () => {
    const a = radialBasis(attr("smooth_finite", 10, 18), 7.3).value;
    const b = radialBasis(attr("smooth_finite", 10, 18, 0, Math.sqrt(10)), 7.3).value;
    a.forEach((v, i) => expect(b[i]).toBeCloseTo(Math.sqrt(10) * v, 14));
  });
});

describe("radial basis derivatives against central differences", () => {
  const cases: [RadialBasisIR, number[]][] = [
    [attr("gaussian", 5, 3, 0.2), [0.1, 0.77, 1.9, 2.95, 3.4]],
    [attr("cosine", 4, 2), [0.13, 0.51, 1.07, 1.77]],
    [attr("smooth_finite", 6, 3.5, 0, 2), [0.05, 0.81, 1.66, 2.9, 3.3]],
    [attr("fourier", 5, 2.5, 0.3), [0.4, 1.1, 2.2]],
    [attr("bessel", 8, 1.8), [0.05, 0.7, 1.3, 1.75]],
  ];
  for (const [a, rs] of cases)
    it(a.basis, () => {
      for (const r of rs) {
        const h = 1e-6;
        const { deriv } = radialBasis(a, r);
        const up = radialBasis(a, r + h).value, down = radialBasis(a, r - h).value;
        deriv.forEach((d, i) => expect(Math.abs(d - (up[i]! - down[i]!) / (2 * h))).toBeLessThan(1e-7 * Math.max(1, Math.abs(d))));
      }
    });
});
