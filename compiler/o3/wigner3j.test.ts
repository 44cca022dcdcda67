import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { flat, loadVectors, maxAbsDiff, type W3jVectors } from "../../test/e3nn-vectors.js";
import { assertInvariantW3j } from "../../test/equivariance.js";
import { wigner3j, wigner3jSparse } from "./wigner3j.js";

describe("wigner3j", () => {
  it("matches every e3nn reference entry to 1e-12", () => {
    const { entries } = loadVectors<W3jVectors>("wigner3j");
    expect(entries.length).toBe(65);
    for (const e of entries) {
      const c = wigner3j(e.l1, e.l2, e.l3);
      expect(c.length).toBe(e.shape[0]! * e.shape[1]! * e.shape[2]!);
      expect(maxAbsDiff(c, flat(e.data)), `(${e.l1},${e.l2},${e.l3})`).toBeLessThan(1e-12);
    }
  });

  it("has the documented signs: C(1,1,1) = eps/sqrt(6), C(l,l,0) = +delta/sqrt(2l+1)", () => {
    const c = wigner3j(1, 1, 1);
    expect(c[0 * 9 + 1 * 3 + 2]).toBeCloseTo(1 / Math.sqrt(6), 15);
    expect(c[1 * 9 + 0 * 3 + 2]).toBeCloseTo(-1 / Math.sqrt(6), 15);
    const c220 = wigner3j(2, 2, 0);
    for (let i = 0; i < 5; i++) expect(c220[i * 5 + i]).toBeCloseTo(1 / Math.sqrt(5), 15);
  });

  it("has Frobenius norm 1 and e3nn's permutation symmetries up to l = 8", () => {
    for (let l1 = 0; l1 <= 8; l1++)
      for (let l2 = 0; l2 <= 8; l2++)
        for (let l3 = Math.abs(l1 - l2); l3 <= Math.min(8, l1 + l2); l3++) {
          const c = wigner3j(l1, l2, l3);
          const norm = Math.hypot(...c);
          expect(Math.abs(norm - 1)).toBeLessThan(1e-13);
          // Swapping the first two indices gives (-1)^(l1+l2+l3); a cyclic permutation no sign.
          const swapped = wigner3j(l2, l1, l3);
          const cyc = wigner3j(l2, l3, l1);
          const [d1, d2, d3] = [2 * l1 + 1, 2 * l2 + 1, 2 * l3 + 1];
          const sign = (l1 + l2 + l3) % 2 === 0 ? 1 : -1;
          let errSwap = 0, errCyc = 0;
          for (let i = 0; i < d1; i++)
            for (let j = 0; j < d2; j++)
              for (let k = 0; k < d3; k++) {
                const v = c[(i * d2 + j) * d3 + k]!;
                errSwap = Math.max(errSwap, Math.abs(swapped[(j * d1 + i) * d3 + k]! - sign * v));
                errCyc = Math.max(errCyc, Math.abs(cyc[(j * d3 + k) * d1 + i]! - v));
              }
          expect(errSwap, `swap (${l1},${l2},${l3})`).toBeLessThan(1e-13);
          expect(errCyc, `cyclic (${l1},${l2},${l3})`).toBeLessThan(1e-13);
        }
  });

  it("is invariant under random rotations and inversions (property, l <= 8)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 8 }),
        fc.integer({ min: 0, max: 8 }),
        fc.integer({ min: 0, max: 16 }),
        fc.integer(),
        (l1, l2, k, seed) => {
          const l3 = Math.abs(l1 - l2) + (k % (l1 + l2 - Math.abs(l1 - l2) + 1));
          assertInvariantW3j(l1, l2, l3, seed, 1e-12);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("sparse form holds exactly the non-zero entries", () => {
    const s = wigner3jSparse(2, 2, 2);
    const c = wigner3j(2, 2, 2);
    let nonzero = 0;
    for (const v of c) if (Math.abs(v) > 1e-14) nonzero++;
    expect(s.value.length).toBe(nonzero);
    for (let t = 0; t < s.value.length; t++) expect(c[(s.i[t]! * 5 + s.j[t]!) * 5 + s.k[t]!]).toBe(s.value[t]);
  });

  it("rejects arguments that break the triangle rule, naming them", () => {
    expect(() => wigner3j(1, 1, 3)).toThrow("wigner3j(1, 1, 3): the triangle rule");
    expect(() => wigner3j(-1, 1, 1)).toThrow("non-negative integer");
  });
});
