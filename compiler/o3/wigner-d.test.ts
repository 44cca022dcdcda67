import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { flat, loadVectors, maxAbsDiff, type WignerDVectors } from "../../test/e3nn-vectors.js";
import { matmul3, matrixToAngles, matrixX, matrixY, randomOrthogonal, seededRng } from "./rotation.js";
import { wignerD, wignerDFromAngles } from "./wigner-d.js";

function matmul(a: Float64Array, b: Float64Array, d: number): Float64Array {
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let k = 0; k < d; k++) for (let j = 0; j < d; j++) out[i * d + j] += a[i * d + k]! * b[k * d + j]!;
  return out;
}

describe("wignerD", () => {
  const ref = loadVectors<WignerDVectors>("wigner_D");

  it("matches e3nn's D_accurate for every entry (proper and improper, both parities) within 1e-13", () => {
    expect(ref.entries.length).toBe(100);
    for (const e of ref.entries) {
      const m = flat(e.improper ? ref.improper[e.rot] : ref.rotations[e.rot]);
      const got = wignerD(e.l, e.p, m);
      expect(maxAbsDiff(got, flat(e.D_accurate)), `rot ${e.rot} improper ${e.improper} l ${e.l} p ${e.p}`).toBeLessThan(1e-13);
      expect(maxAbsDiff(got, flat(e.D))).toBeLessThan(1e-10);
    }
  });

  it("recovers e3nn's Euler angles (matrix_to_angles) of the reference rotations", () => {
    ref.rotations.forEach((r, i) => {
      expect(maxAbsDiff(matrixToAngles(flat(r)), ref.angles[i]!)).toBeLessThan(1e-12);
    });
  });

  it("reproduces the worked examples: D^1(R) = R and D^2 of Ry(90) and Rx(90)", () => {
    const r = randomOrthogonal(seededRng(3));
    const sign = r[0]! * (r[4]! * r[8]! - r[5]! * r[7]!) - r[1]! * (r[3]! * r[8]! - r[5]! * r[6]!) + r[2]! * (r[3]! * r[7]! - r[4]! * r[6]!);
    expect(maxAbsDiff(wignerD(1, -1, r), r)).toBeLessThan(1e-14);
    expect(maxAbsDiff(wignerD(1, 1, r), r.map((v) => v * sign))).toBeLessThan(1e-14);
    const y90 = [-1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, -1, 0, 0, 0, 0, 0, 0, 0, -1];
    expect(maxAbsDiff(wignerD(2, 1, matrixY(Math.PI / 2)), y90)).toBeLessThan(1e-14);
    const h = Math.sqrt(3) / 2;
    const x90 = [0, 1, 0, 0, 0, -1, 0, 0, 0, 0, 0, 0, -0.5, 0, h, 0, 0, 0, -1, 0, 0, 0, h, 0, 0.5];
    expect(maxAbsDiff(wignerD(2, 1, matrixX(Math.PI / 2)), x90)).toBeLessThan(1e-14);
  });

  it("is an orthogonal representation: D(AB) = D(A) D(B), D D^T = I, l <= 8 (property)", () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 0, max: 8 }), fc.constantFrom(1 as const, -1 as const), (seed, l, p) => {
        const rng = seededRng(seed);
        const a = randomOrthogonal(rng), b = randomOrthogonal(rng);
        const d = 2 * l + 1;
        const dab = wignerD(l, p, matmul3(a, b));
        const da = wignerD(l, p, a), db = wignerD(l, p, b);
        expect(maxAbsDiff(dab, matmul(da, db, d))).toBeLessThan(1e-13);
        const dat = new Float64Array(d * d);
        for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) dat[i * d + j] = da[j * d + i]!;
        const eye = Float64Array.from({ length: d * d }, (_, i) => (i % (d + 1) === 0 ? 1 : 0));
        expect(maxAbsDiff(matmul(da, dat, d), eye)).toBeLessThan(1e-13);
      }),
      { numRuns: 60 },
    );
  });

  it("wignerDFromAngles is D of Ry(a) Rx(b) Ry(c)", () => {
    const [a, b, c] = [0.3, 1.1, -2.0];
    const direct = matmul(matmul(wignerD(3, 1, matrixY(a)), wignerD(3, 1, matrixX(b)), 7), wignerD(3, 1, matrixY(c)), 7);
    expect(maxAbsDiff(wignerDFromAngles(3, a, b, c), direct)).toBeLessThan(1e-13);
  });

  it("rejects a matrix that is not orthogonal", () => {
    expect(() => wignerD(1, 1, [1, 0, 0, 0, 2, 0, 0, 0, 1])).toThrow("not orthogonal");
    expect(() => wignerD(1, 1, [1, 0, 0])).toThrow("expected 9 numbers");
  });
});
