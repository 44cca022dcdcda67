import { describe, expect, it } from "vitest";
import { maxAbsDiff9 } from "./group-identify.js";
import { fitOrthogonal, inverse3, polarOrthogonal } from "./orthogonal-fit.js";
import { applyMatrix3, identity3, matmul3, randomOrthogonal, randomRotation, seededRng } from "./rotation.js";

const apply = (m: Float64Array, p: number[]) => {
  const out: number[] = [];
  for (let i = 0; i < p.length; i += 3) out.push(...applyMatrix3(m, p.slice(i, i + 3)));
  return out;
};

describe("orthogonal fit", () => {
  it("recovers proper and improper maps to rounding, for 3-D and planar point sets", () => {
    const rng = seededRng(3);
    const solid = [1, 0, 0, 0, 2, 0, 0, 0, 3, 1, 1, 1];
    const planar = [1, 0, 0, -0.5, 0.8, 0, -0.5, -0.8, 0, 0.3, 0.1, 0];
    for (let k = 0; k < 20; k++) {
      const r = randomOrthogonal(rng);
      for (const p of [solid, planar]) expect(maxAbsDiff9(fitOrthogonal(p, apply(r, p), r), r)).toBeLessThan(1e-13);
    }
  });

  it("gives the least-squares rotation for noisy points (it beats the true rotation's residual)", () => {
    const rng = seededRng(4);
    const p = Array.from({ length: 30 }, () => rng() - 0.5);
    const r = randomRotation(rng);
    const q = apply(r, p).map((x) => x + 1e-3 * (rng() - 0.5));
    const fit = fitOrthogonal(p, q, identity3());
    const residual = (m: Float64Array) => apply(m, p).reduce((s, x, i) => s + (x - q[i]!) ** 2, 0);
    expect(residual(fit)).toBeLessThanOrEqual(residual(r));
    expect(maxAbsDiff9(fit, r)).toBeLessThan(1e-2);
  });

  it("inverts 3x3 matrices and makes a nearly orthogonal matrix orthogonal", () => {
    const m = Float64Array.of(2, 1, 0, 0, 1, 3, 1, 0, 1);
    expect(maxAbsDiff9(matmul3(m, inverse3(m)), identity3())).toBeLessThan(1e-15);
    expect(() => inverse3(new Float64Array(9))).toThrow(/singular/);
    const r = randomRotation(seededRng(1));
    const near = r.map((x, i) => x + (i === 4 ? 1e-4 : 0));
    expect(maxAbsDiff9(polarOrthogonal(near), r)).toBeLessThan(1e-4);
    const o = polarOrthogonal(near);
    expect(maxAbsDiff9(matmul3(o, Float64Array.of(o[0]!, o[3]!, o[6]!, o[1]!, o[4]!, o[7]!, o[2]!, o[5]!, o[8]!)), identity3())).toBeLessThan(1e-14);
  });
});
