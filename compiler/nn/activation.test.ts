import { describe, expect, it } from "vitest";
import { ACTIVATIONS, exactSecondMomentScale, gaussianExpectation, secondMomentScale } from "./activation.js";
import { loadE3nnConvolution } from "../../test/e3nn-vectors.js";

describe("activations", () => {
  it("integrates Gaussian moments exactly enough", () => {
    expect(gaussianExpectation(() => 1)).toBeCloseTo(1, 12);
    expect(gaussianExpectation((z) => z * z)).toBeCloseTo(1, 12);
    expect(gaussianExpectation((z) => z ** 4)).toBeCloseTo(3, 11);
  });

  it("normalises the second moment exactly: relu's constant is sqrt(2), and E[(c f(z))^2] = 1 for all", () => {
    expect(exactSecondMomentScale("relu")).toBeCloseTo(Math.SQRT2, 8);
    expect(exactSecondMomentScale("identity")).toBe(1);
    for (const name of ["silu", "tanh", "sigmoid"] as const) {
      const c = exactSecondMomentScale(name);
      expect(gaussianExpectation((z) => (c * ACTIVATIONS[name].f(z)) ** 2)).toBeCloseTo(1, 10);
    }
  });

  it("applies e3nn's own constants, bit for bit as recorded from e3nn, each within e3nn's sampling error of the exact one", () => {
    const recorded = loadE3nnConvolution().normalize2mom;
    for (const name of ["silu", "relu", "tanh", "sigmoid"] as const) {
      expect(secondMomentScale(name), name).toBe(recorded[name]);
      // A million samples: the relative error of a second moment is ~sqrt(Var f²/E f²)/1000, well under 1%.
      expect(Math.abs(secondMomentScale(name) / exactSecondMomentScale(name) - 1), name).toBeLessThan(5e-3);
      expect(secondMomentScale(name), name).not.toBe(exactSecondMomentScale(name));
    }
    expect(secondMomentScale("identity")).toBe(1);
  });

  it("has derivatives that match central differences", () => {
    for (const [name, { f, df }] of Object.entries(ACTIVATIONS)) {
      for (const x of [-2.5, -0.3, 0.7, 3.1]) expect(df(x), name).toBeCloseTo((f(x + 1e-6) - f(x - 1e-6)) / 2e-6, 6);
    }
  });
});
