import { describe, expect, it } from "vitest";
import { ACTIVATIONS, gaussianExpectation, secondMomentScale } from "./activation.js";

describe("activations", () => {
  it("integrates Gaussian moments exactly enough", () => {
    expect(gaussianExpectation(() => 1)).toBeCloseTo(1, 12);
    expect(gaussianExpectation((z) => z * z)).toBeCloseTo(1, 12);
    expect(gaussianExpectation((z) => z ** 4)).toBeCloseTo(3, 11);
  });

  it("normalises the second moment: relu's constant is sqrt(2), and E[(c f(z))^2] = 1 for all", () => {
    expect(secondMomentScale("relu")).toBeCloseTo(Math.SQRT2, 8);
    expect(secondMomentScale("identity")).toBe(1);
    for (const name of ["silu", "tanh", "sigmoid"] as const) {
      const c = secondMomentScale(name);
      expect(gaussianExpectation((z) => (c * ACTIVATIONS[name].f(z)) ** 2)).toBeCloseTo(1, 10);
    }
    // e3nn's sampled estimate for silu is 1.679 (to its sampling error).
    expect(secondMomentScale("silu")).toBeCloseTo(1.679, 2);
  });

  it("has derivatives that match central differences", () => {
    for (const [name, { f, df }] of Object.entries(ACTIVATIONS)) {
      for (const x of [-2.5, -0.3, 0.7, 3.1]) expect(df(x), name).toBeCloseTo((f(x + 1e-6) - f(x - 1e-6)) / 2e-6, 6);
    }
  });
});
