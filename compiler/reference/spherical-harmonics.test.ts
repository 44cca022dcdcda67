import { describe, expect, it } from "vitest";
import { sphericalHarmonics } from "../o3/spherical-harmonics.js";
import { randomNormal, seededRng } from "../o3/rotation.js";
import { shWithJacobian, type ShNormalization } from "./spherical-harmonics.js";

const NORMS: ShNormalization[] = ["component", "norm", "integral"];

describe("shWithJacobian", () => {
  it("values equal compiler/o3's harmonics (every normalisation, normalize true and false)", () => {
    const rng = seededRng(1);
    for (let t = 0; t < 10; t++) {
      const v = [randomNormal(rng), randomNormal(rng), randomNormal(rng)].map((x) => 1.7 * x);
      for (const normalization of NORMS)
        for (const normalize of [true, false]) {
          const mine = shWithJacobian(4, v, normalize, normalization).y;
          const ref = sphericalHarmonics([0, 1, 2, 3, 4], v, { normalize, normalization });
          mine.forEach((y, i) => expect(Math.abs(y - ref[i]!)).toBeLessThan(1e-12 * Math.max(1, Math.abs(ref[i]!))));
        }
    }
  });
  it("e3nn's worked example x = (2/7, 3/7, 6/7), component l = 2", () => {
    const { y } = shWithJacobian(2, [2 / 7, 3 / 7, 6 / 7], true, "component");
    [0.9484857174, 0.4742428587, -0.5019744439, 1.4227285762, 1.2646476233].forEach((v, i) => expect(y[4 + i]).toBeCloseTo(v, 9));
    expect(y[1]).toBeCloseTo(Math.sqrt(3) * (2 / 7), 14);
  });
  it("the Jacobian matches central differences (lmax 4, every normalisation, normalize true and false)", () => {
    const rng = seededRng(2);
    for (let t = 0; t < 8; t++) {
      const v = [randomNormal(rng), randomNormal(rng), randomNormal(rng)];
      for (const normalization of NORMS)
        for (const normalize of [true, false]) {
          const { jac } = shWithJacobian(4, v, normalize, normalization);
          const h = 1e-6;
          for (let a = 0; a < 3; a++) {
            const up = [...v], down = [...v];
            up[a]! += h;
            down[a]! -= h;
            const yu = shWithJacobian(4, up, normalize, normalization).y, yd = shWithJacobian(4, down, normalize, normalization).y;
            for (let q = 0; q < 25; q++) {
              const fd = (yu[q]! - yd[q]!) / (2 * h);
              expect(Math.abs(jac[q * 3 + a]! - fd)).toBeLessThan(1e-7 * Math.max(1, Math.abs(fd)));
            }
          }
        }
    }
  });
  it("a normalised harmonic does not change along the vector (radial derivative 0)", () => {
    const v = [0.3, -1.2, 0.8];
    const { jac } = shWithJacobian(3, v, true, "component");
    for (let q = 0; q < 16; q++) expect(Math.abs(jac[q * 3]! * v[0]! + jac[q * 3 + 1]! * v[1]! + jac[q * 3 + 2]! * v[2]!)).toBeLessThan(1e-13);
  });
  it("a zero vector: Y = (1, 0, …) and a zero Jacobian", () => {
    const { y, jac } = shWithJacobian(3, [0, 0, 0], true, "component");
    expect(Array.from(y)).toEqual([1, ...new Array(15).fill(0)]);
    expect(jac.every((v) => v === 0)).toBe(true);
  });
});
