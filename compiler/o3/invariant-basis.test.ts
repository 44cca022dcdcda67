import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { maxAbsDiff } from "../../test/e3nn-vectors.js";
import { invariantBasis, invariantDimension, invariantProjector } from "./invariant-basis.js";
import { pointGroup } from "./point-groups.js";
import { det3, randomRotation, seededRng } from "./rotation.js";
import { sphericalHarmonics } from "./spherical-harmonics.js";
import { wignerD } from "./wigner-d.js";

type P = 1 | -1;
const PARITIES: P[] = [1, -1];

function apply(D: Float64Array, v: Float64Array, d: number): Float64Array {
  return Float64Array.from({ length: d }, (_, i) => v.reduce((s, x, j) => s + D[i * d + j]! * x, 0));
}

function rows(basis: Float64Array, d: number): Float64Array[] {
  return Array.from({ length: basis.length / d }, (_, i) => basis.subarray(i * d, (i + 1) * d));
}

/** Largest |B Bᵀ - I|. */
function orthonormalityError(basis: Float64Array, d: number): number {
  const rs = rows(basis, d);
  let err = 0;
  rs.forEach((a, i) => rs.forEach((b, j) => (err = Math.max(err, Math.abs(a.reduce((s, x, k) => s + x * b[k]!, 0) - (i === j ? 1 : 0))))));
  return err;
}

/** Largest |D(g) b - b| over the rows b. */
function invarianceError(basis: Float64Array, l: number, p: P, g: Float64Array): number {
  const d = 2 * l + 1, D = wignerD(l, p, g);
  return Math.max(0, ...rows(basis, d).map((b) => maxAbsDiff(apply(D, b, d), b)));
}

/** χ_{l,p}(g) from the rotation angle alone: sin((2l+1)ω/2)/sin(ω/2), times p for g = -R improper. */
function character(l: number, p: P, g: Float64Array): number {
  const improper = det3(g) < 0;
  const r = improper ? g.map((v) => -v) : g;
  const omega = Math.acos(Math.min(1, Math.max(-1, (r[0]! + r[4]! + r[8]! - 1) / 2)));
  const chi = Math.abs(Math.sin(omega / 2)) < 1e-9 ? 2 * l + 1 : Math.sin(((2 * l + 1) * omega) / 2) / Math.sin(omega / 2);
  return improper ? p * chi : chi;
}

const FINITE = [
  "C1", "Ci", "Cs", "C2", "C3", "C6", "C2v", "C3v", "C4v", "C3h", "C6h", "D2", "D3", "D6", "D2h", "D4h", "D6h",
  "D2d", "D3d", "D5d", "S4", "S6", "S8", "T", "Td", "Th", "O", "Oh", "I", "Ih",
];

describe("invariantBasis of finite groups", () => {
  it("has orthonormal rows fixed by every element, for 30 groups x l <= 6 x both parities", () => {
    for (const name of FINITE) {
      const g = pointGroup(name, name.length > 2 ? { axis: [1, 2, 2], secondary: [2, 1, -2] } : {});
      for (let l = 0; l <= 6; l++)
        for (const p of PARITIES) {
          const basis = invariantBasis(g, l, p), d = 2 * l + 1;
          expect(orthonormalityError(basis, d), `${name} ${l} ${p}`).toBeLessThan(1e-13);
          for (const e of g.elements()) expect(invarianceError(basis, l, p, e), `${name} ${l} ${p}`).toBeLessThan(1e-12);
        }
    }
  });

  it("has the dimension given independently by character averaging, (1/|G|) Σ χ_{l,p}(g)", () => {
    for (const name of FINITE) {
      const g = pointGroup(name);
      const els = g.elements();
      for (let l = 0; l <= 6; l++)
        for (const p of PARITIES) {
          const avg = els.reduce((s, e) => s + character(l, p, e), 0) / els.length;
          expect(Math.abs(avg - Math.round(avg))).toBeLessThan(1e-9);
          const want = Math.round(avg) + 0; // + 0: no -0 from a sum of -1e-17
          expect(invariantDimension(g, l, p), `${name} l=${l} p=${p}`).toBe(want);
          expect(invariantBasis(g, l, p).length).toBe(want * (2 * l + 1));
        }
    }
  });

  it("gives the known invariants: Oh one 4e and no 2e, D4h one 2e and two 4e, Td the 3o xyz", () => {
    const oh = pointGroup("Oh"), d4h = pointGroup("D4h"), td = pointGroup("Td");
    expect([invariantDimension(oh, 4, 1), invariantDimension(oh, 2, 1), invariantDimension(oh, 6, 1), invariantDimension(oh, 4, -1)]).toEqual([1, 0, 1, 0]);
    expect([invariantDimension(d4h, 2, 1), invariantDimension(d4h, 4, 1), invariantDimension(d4h, 1, -1), invariantDimension(d4h, 2, -1)]).toEqual([1, 2, 0, 0]);
    expect([invariantDimension(td, 3, -1), invariantDimension(td, 3, 1), invariantDimension(td, 1, -1)]).toEqual([1, 0, 0]);
    expect(invariantDimension(pointGroup("Ih"), 6, 1)).toBe(1);
    expect([1, 2, 3, 4, 5].map((l) => invariantDimension(pointGroup("I"), l, 1))).toEqual([0, 0, 0, 0, 0]);
    // D4h with axis z: its 2e invariant is the zonal harmonic about z, i.e. Y^2(z) normalised.
    const y2 = sphericalHarmonics(2, [0, 0, 1]);
    const yn = y2.map((v) => v / Math.hypot(...y2));
    const row = invariantBasis(d4h, 2, 1);
    expect(Math.min(maxAbsDiff(row, yn), maxAbsDiff(row, yn.map((v) => -v)))).toBeLessThan(1e-14);
  });

  it("reads the paper's fields: Cs with mirror xz (normal y) keeps E along x or z (1o) and B along y (1e)", () => {
    const cs = pointGroup("Cs", { axis: [0, 1, 0] });
    const polar = invariantBasis(cs, 1, -1);
    expect(polar.length).toBe(6);
    expect(Math.abs(polar[1]!) + Math.abs(polar[4]!)).toBeLessThan(1e-15);
    expect(maxAbsDiff(invariantBasis(cs, 1, 1), [0, 1, 0])).toBeLessThan(1e-15);
  });

  it("rotates with the group: P(Q H Qᵀ) = D(Q) P(H) D(Q)ᵀ (property)", () => {
    fc.assert(
      fc.property(fc.integer(), fc.constantFrom("D4h", "C3v", "Td", "D3d"), fc.integer({ min: 0, max: 4 }), fc.constantFrom<P>(1, -1), (seed, name, l, p) => {
        const q = randomRotation(seededRng(seed));
        const rotated = pointGroup(name, { axis: [q[2]!, q[5]!, q[8]!], secondary: [q[0]!, q[3]!, q[6]!] });
        const d = 2 * l + 1, D = wignerD(l, p, q), P0 = invariantProjector(pointGroup(name), l, p);
        const want = new Float64Array(d * d);
        for (let i = 0; i < d; i++)
          for (let j = 0; j < d; j++)
            for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) want[i * d + j] += D[i * d + a]! * P0[a * d + b]! * D[j * d + b]!;
        expect(maxAbsDiff(invariantProjector(rotated, l, p), want)).toBeLessThan(1e-13);
      }),
      { numRuns: 25 },
    );
  });

  it("is deterministic: same rows on every call, positive pivots, the identity for C1, empty when nothing is fixed", () => {
    const a = invariantBasis(pointGroup("D4h"), 4, 1), b = invariantBasis(pointGroup("D4h"), 4, 1);
    expect(Array.from(a)).toEqual(Array.from(b));
    a[0] = 99; // callers get copies
    expect(invariantBasis(pointGroup("D4h"), 4, 1)[0]).not.toBe(99);
    // A one-dimensional invariant space has its largest entry (the pivot) positive.
    for (const [name, l, p] of [["Oh", 4, 1], ["D6h", 2, 1], ["Td", 3, -1], ["C3v", 3, 1], ["Ih", 6, 1]] as const) {
      const row = invariantBasis(pointGroup(name, { axis: [1, 1, 1] }), l, p);
      expect(row.length, name).toBe(2 * l + 1);
      const j = row.reduce((best, v, i) => (Math.abs(v) > Math.abs(row[best]!) * (1 + 1e-9) ? i : best), 0);
      expect(row[j]!, name).toBeGreaterThan(0);
    }
    const c1 = invariantBasis(pointGroup("C1"), 3, -1);
    expect(maxAbsDiff(c1, Float64Array.from({ length: 49 }, (_, k) => (k % 8 === 0 ? 1 : 0)))).toBeLessThan(1e-15);
    const none = invariantBasis(pointGroup("Oh"), 2, 1);
    expect(none).toBeInstanceOf(Float64Array);
    expect(none.length).toBe(0);
    expect(() => invariantBasis(pointGroup("Oh"), -1, 1)).toThrow("non-negative integer");
    expect(() => invariantBasis(pointGroup("Oh"), 1, 0 as P)).toThrow("parity");
  });
});

describe("invariantBasis of continuous groups", () => {
  const axisGroups: [string, (l: number, p: P) => number][] = [
    // C∞: every (l, p) keeps the zonal harmonic about the axis.
    ["C∞", () => 1],
    // A mirror containing the axis is -C2 about its normal: it acts on the zonal harmonic as p (-1)^l.
    ["C∞v", (l, p) => (p === (l % 2 === 0 ? 1 : -1) ? 1 : 0)],
    // The horizontal mirror is -C2 about the axis: it acts as p.
    ["C∞h", (_l, p) => (p === 1 ? 1 : 0)],
    // A two-fold axis normal to the axis flips it: (-1)^l.
    ["D∞", (l) => (l % 2 === 0 ? 1 : 0)],
    ["D∞h", (l, p) => (l % 2 === 0 && p === 1 ? 1 : 0)],
    ["SO(3)", (l) => (l === 0 ? 1 : 0)],
    ["O(3)", (l, p) => (l === 0 && p === 1 ? 1 : 0)],
  ];

  it("has the dimensions worked out by hand and rows fixed by random elements, for l <= 8", () => {
    const rng = seededRng(3);
    for (const [name, dim] of axisGroups) {
      const g = pointGroup(name, { axis: [-1, 3, 2] });
      const samples = Array.from({ length: 40 }, () => g.randomElement(rng));
      for (let l = 0; l <= 8; l++)
        for (const p of PARITIES) {
          const basis = invariantBasis(g, l, p);
          expect(basis.length / (2 * l + 1), `${name} l=${l} p=${p}`).toBe(dim(l, p));
          expect(orthonormalityError(basis, 2 * l + 1)).toBeLessThan(1e-13);
          for (const s of samples) expect(invarianceError(basis, l, p, s), `${name} l=${l} p=${p}`).toBeLessThan(1e-12);
        }
    }
  });

  it("keeps the zonal harmonic Y^l(axis) for the axial groups", () => {
    const axis = [0.3, -0.5, 0.8];
    for (let l = 0; l <= 8; l++) {
      const y = sphericalHarmonics(l, axis);
      const yn = y.map((v) => v / Math.hypot(...y));
      const row = invariantBasis(pointGroup("C∞", { axis }), l, l % 2 === 0 ? -1 : 1);
      expect(Math.min(maxAbsDiff(row, yn), maxAbsDiff(row, yn.map((v) => -v))), `l=${l}`).toBeLessThan(1e-13);
    }
  });

  it("has C∞v's 1o invariant along the axis (1o's D is the matrix itself, so the row is the Cartesian axis)", () => {
    expect(maxAbsDiff(invariantBasis(pointGroup("C∞v"), 1, -1), [0, 0, 1])).toBeLessThan(1e-15);
    expect(invariantDimension(pointGroup("C∞v"), 1, 1)).toBe(0);
    // The sign rule makes the pivot (largest entry, first on ties: -2/3) positive.
    const axis = [-1, 2, -2].map((v) => v / 3);
    expect(maxAbsDiff(invariantBasis(pointGroup("Cinfv", { axis: [1, -2, 2] }), 1, -1), axis)).toBeLessThan(1e-15);
    expect(maxAbsDiff(invariantBasis(pointGroup("Cinfh", { axis: [1, -2, 2] }), 1, 1), axis)).toBeLessThan(1e-15);
  });

  it("agrees with its finite proxy and with a large finite subgroup at every l <= 6", () => {
    const pairs: [string, string][] = [["C∞v", "C12v"], ["D∞h", "D12h"], ["C∞h", "C12h"], ["D∞", "D12"]];
    for (const [cont, fin] of pairs)
      for (let l = 0; l <= 6; l++)
        for (const p of PARITIES) {
          const a = invariantProjector(pointGroup(cont), l, p), b = invariantProjector(pointGroup(fin), l, p);
          expect(maxAbsDiff(a, b), `${cont} ${l} ${p}`).toBeLessThan(1e-13);
        }
  });
});
