import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { flat, loadVectors, maxAbsDiff, type ShVectors } from "../../test/e3nn-vectors.js";
import { assertEquivariant } from "../../test/equivariance.js";
import { Irreps } from "./irreps.js";
import { randomOrthogonal, seededRng } from "./rotation.js";
import { sphericalHarmonics } from "./spherical-harmonics.js";

describe("sphericalHarmonics", () => {
  const ref = loadVectors<ShVectors>("spherical_harmonics");
  const xyz = flat(ref.vectors);

  for (const normalization of ["component", "norm", "integral"] as const) {
    it(`matches e3nn (${normalization}) for l = 0..6 to 1e-12`, () => {
      for (const [key, want] of Object.entries(ref.sh[normalization])) {
        const got = sphericalHarmonics(Number(key), xyz, { normalization });
        expect(maxAbsDiff(got, flat(want)), `l=${key}`).toBeLessThan(1e-12);
      }
    });
  }

  it("defaults to normalize=true, integral normalisation, and keeps the order of ls", () => {
    const ls = [2, 0, 5, 1];
    const got = sphericalHarmonics(ls, xyz);
    const parts = ls.map((l) => flat(ref.sh.integral[String(l)]));
    const width = ls.reduce((s, l) => s + 2 * l + 1, 0);
    for (let n = 0; n < ref.vectors.length; n++) {
      let col = 0;
      ls.forEach((l, li) => {
        const d = 2 * l + 1;
        const row = got.subarray(n * width + col, n * width + col + d);
        expect(maxAbsDiff(row, parts[li]!.subarray(n * d, (n + 1) * d))).toBeLessThan(1e-12);
        col += d;
      });
    }
  });

  it("reproduces the worked example of e3nn-conventions.md", () => {
    const x = [2 / 7, 3 / 7, 6 / 7];
    expect(maxAbsDiff(sphericalHarmonics(2, x, { normalization: "component" }), [0.9484857174, 0.4742428587, -0.5019744439, 1.4227285762, 1.2646476233])).toBeLessThan(1e-9);
    expect(maxAbsDiff(sphericalHarmonics(2, x, { normalization: "integral" }), [0.267562881, 0.1337814405, -0.1416043762, 0.4013443214, 0.3567505079])).toBeLessThan(1e-9);
  });

  it("is homogeneous of degree l without normalize, and normalises scaled vectors", () => {
    const v = [0.3, -1.2, 0.7];
    const scaled = v.map((c) => 2.5 * c);
    for (let l = 0; l <= 8; l++) {
      const a = sphericalHarmonics(l, v, { normalize: false, normalization: "component" });
      const b = sphericalHarmonics(l, scaled, { normalize: false, normalization: "component" });
      expect(maxAbsDiff(b, a.map((y) => y * 2.5 ** l))).toBeLessThan(1e-10 * 2.5 ** l);
      expect(maxAbsDiff(sphericalHarmonics(l, scaled), sphericalHarmonics(l, v))).toBeLessThan(1e-14);
    }
  });

  it("gives finite values for a zero vector: l = 0 keeps its constant (as e3nn), l >= 1 is zero", () => {
    const y = sphericalHarmonics([0, 1, 2, 8], [0, 0, 0], { normalization: "component" });
    expect(y[0]).toBe(1);
    expect([...y.subarray(1)].every((v) => v === 0)).toBe(true);
  });

  it("satisfies sum_m Y_m^2 = 2l+1 (component) on the sphere up to l = 8", () => {
    const rng = seededRng(7);
    for (let t = 0; t < 20; t++) {
      const v = [rng() - 0.5, rng() - 0.5, rng() - 0.5];
      for (let l = 0; l <= 8; l++) {
        const y = sphericalHarmonics(l, v, { normalization: "component" });
        expect(Math.abs(y.reduce((s, c) => s + c * c, 0) - (2 * l + 1))).toBeLessThan(1e-11);
      }
    }
  });

  it("is equivariant: Y(Mx) = D(M) Y(x) for proper and improper M, l <= 8 (property)", () => {
    const ls = [0, 1, 2, 3, 4, 5, 6, 7, 8];
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const rng = seededRng(seed);
        const xs = Float64Array.from({ length: 15 }, () => rng() * 2 - 1);
        assertEquivariant({
          inputs: ["1o"],
          output: Irreps.sphericalHarmonics(8),
          fn: (x) => sphericalHarmonics(ls, x, { normalization: "component" }),
          xs: [xs],
          matrix: randomOrthogonal(rng),
          tol: 1e-12,
        });
      }),
      { numRuns: 40 },
    );
  });

  it("rejects malformed input with a message", () => {
    expect(() => sphericalHarmonics(1, [1, 2])).toThrow("3 numbers per vector");
    expect(() => sphericalHarmonics(-1, [1, 2, 3])).toThrow("non-negative integer");
  });
});
