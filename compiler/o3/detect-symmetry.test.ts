import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_SYMMETRY_TOLERANCE, detectSymmetry, symmetryResidual, type DetectedSymmetry } from "./detect-symmetry.js";
import { invariantBasis } from "./invariant-basis.js";
import { Irreps } from "./irreps.js";
import { pointGroup, type PointGroup } from "./point-groups.js";
import { applyMatrix3, axisAngleToMatrix, randomOrthogonal, randomRotation, seededRng, type Rng } from "./rotation.js";
import { sphericalHarmonics } from "./spherical-harmonics.js";
import { ThetaSpectra } from "./symmetry-search.js";
import { thetaIrreps } from "./theta.js";
import { irrepsD, wignerD } from "./wigner-d.js";

const DEG = Math.PI / 180;

/** Angle between the lines spanned by two vectors, in degrees. */
function lineAngleDeg(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const na = Math.hypot(a[0]!, a[1]!, a[2]!), nb = Math.hypot(b[0]!, b[1]!, b[2]!);
  const c = Math.abs(a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]!) / (na * nb);
  return Math.acos(Math.min(1, c)) / DEG;
}

function mirror(normal: ArrayLike<number>): Float64Array {
  return Float64Array.from(axisAngleToMatrix(normal, Math.PI), (v) => -v);
}

function blockNorms(theta: ArrayLike<number>, irreps: Irreps): number[] {
  const offsets = irreps.offsets;
  return irreps.entries.map((_, i) => Math.hypot(...Array.from(theta).slice(offsets[i], offsets[i + 1])));
}

/**
 * A random θ = thetaIrreps(lmax, mul) in the invariant subspace of `name` in a random orientation: every
 * invariant direction gets a coefficient of random sign and magnitude in [0.5, 1.5] (bounded away from 0,
 * so the true stabilizer is the group itself and not a larger one by accident); then `noise` × ‖θ_ns‖ of
 * isotropic Gaussian noise on the non-scalar part.
 */
function drawInvariant(name: string, lmax: number, rng: Rng, noise = 0, mul = 1): { theta: Float64Array; irreps: Irreps; truth: PointGroup } {
  const q = randomRotation(rng);
  const truth = pointGroup(name, { axis: applyMatrix3(q, [0, 0, 1]), secondary: applyMatrix3(q, [1, 0, 0]) });
  const irreps = thetaIrreps(lmax, mul);
  const theta = new Float64Array(irreps.dim);
  let off = 0;
  for (const e of irreps) {
    const d = 2 * e.l + 1, basis = invariantBasis(truth, e.l, e.p), k = basis.length / d;
    for (let u = 0; u < e.mul; u++, off += d)
      for (let r = 0; r < k; r++) {
        const c = (rng() < 0.5 ? -1 : 1) * (0.5 + rng());
        for (let i = 0; i < d; i++) theta[off + i] += c * basis[r * d + i]!;
      }
  }
  if (noise > 0) {
    const scalar = (i: number) => {
      let o = 0;
      for (const e of irreps) {
        if (i < o + e.dim) return e.l === 0 && e.p === 1;
        o += e.dim;
      }
      return false;
    };
    const nz = Float64Array.from(theta, (_, i) => (scalar(i) ? 0 : gaussian(rng)));
    const ns = Math.hypot(...Array.from(theta).filter((_, i) => !scalar(i)));
    const nn = Math.hypot(...nz);
    for (let i = 0; i < theta.length; i++) theta[i] += (noise * ns * nz[i]!) / nn;
  }
  return { theta, irreps, truth };
}

function gaussian(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
}

/** Groups whose principal axis is unique (so it must match the truth's within 1°). */
function hasUniqueAxis(g: PointGroup): boolean {
  if (!g.axis) return false;
  if (["T", "Td", "Th", "O", "Oh", "I", "Ih"].includes(g.family)) return false;
  return !((g.family === "Dn" || g.family === "Dnh") && g.n === 2);
}

/**
 * The detected group must be the true one: same name; for finite groups the same set of matrices (every
 * true element within 0.035 per entry, i.e. about 1°, of a detected one: with equal orders this is
 * equality); a unique principal axis within 1°; the secondary direction a two-fold axis (Dn, Dnh, Dnd) or
 * the in-plane direction of a mirror (Cnv) of the true group, within 1°.
 */
function expectSameGroup(found: DetectedSymmetry, truth: PointGroup, label: string): void {
  expect(found.group, label).toBe(truth.name);
  expect(found.residual, label).toBeLessThanOrEqual(DEFAULT_SYMMETRY_TOLERANCE);
  if (truth.axis) {
    expect(found.axis, label).toBeDefined();
    expect(Math.hypot(...found.axis!), label).toBeCloseTo(1, 12);
  }
  if (hasUniqueAxis(truth)) expect(lineAngleDeg(found.axis!, truth.axis!), label).toBeLessThan(1);
  if (truth.continuous) return;
  const detected = pointGroup(found.group, { axis: found.axis, secondary: found.secondary });
  for (const e of truth.elements()) expect(detected.contains(e, 0.035), `${label}: element of the true group missing`).toBe(true);
  if (found.secondary && ["Dn", "Dnh", "Dnd"].includes(truth.family))
    expect(truth.contains(axisAngleToMatrix(found.secondary, Math.PI), 0.035), `${label}: secondary is a two-fold axis`).toBe(true);
  if (found.secondary && truth.family === "Cnv")
    expect(truth.contains(mirror(crossArr(found.axis!, found.secondary)), 0.035), `${label}: secondary lies in a mirror`).toBe(true);
}

function crossArr(a: ArrayLike<number>, b: ArrayLike<number>): number[] {
  return [a[1]! * b[2]! - a[2]! * b[1]!, a[2]! * b[0]! - a[0]! * b[2]!, a[0]! * b[1]! - a[1]! * b[0]!];
}

/** [group, lmax]: lmax high enough for a generic invariant to have exactly that stabilizer. */
const CATALOGUE: [string, number][] = [
  ["C1", 6], ["Ci", 6], ["Cs", 6],
  ["C2", 6], ["C3", 6], ["C4", 6], ["C5", 6], ["C6", 6],
  ["C2v", 6], ["C3v", 6], ["C4v", 6], ["C6v", 6],
  ["C2h", 6], ["C3h", 6], ["C4h", 6], ["C6h", 6],
  ["D2", 6], ["D3", 6], ["D4", 6], ["D6", 6],
  ["D2h", 6], ["D3h", 6], ["D4h", 6], ["D5h", 6], ["D6h", 6],
  ["D2d", 6], ["D3d", 6], ["D4d", 8],
  ["S4", 6], ["S6", 6], ["S8", 8],
  ["T", 6], ["Td", 6], ["Th", 6], ["O", 6], ["Oh", 6], ["I", 6], ["Ih", 6],
  ["C∞", 6], ["C∞v", 6], ["C∞h", 6], ["D∞", 6], ["D∞h", 6],
  ["SO(3)", 4], ["O(3)", 4],
];

describe("detectSymmetry on random invariants of the catalogue", () => {
  it(`names ${CATALOGUE.length} groups, each in a random orientation, with axes within 1 degree`, () => {
    const rng = seededRng(20240729);
    let slowest = 0;
    for (const [name, lmax] of CATALOGUE) {
      const { theta, irreps, truth } = drawInvariant(name, lmax, rng);
      const t0 = performance.now();
      const found = detectSymmetry(theta, irreps.toString());
      const ms = performance.now() - t0;
      if (lmax <= 6) slowest = Math.max(slowest, ms);
      expectSameGroup(found, truth, name);
    }
    // The target is < 0.5 s for lmax 6; a generous bound keeps slow CI machines green.
    expect(slowest).toBeLessThan(1500);
  });

  it("names them with 1e-3 relative noise on θ's non-scalar part (default tolerance)", () => {
    const rng = seededRng(7);
    for (const [name, lmax] of CATALOGUE) {
      const { theta, irreps, truth } = drawInvariant(name, lmax, rng, 1e-3);
      const found = detectSymmetry(theta, irreps);
      expectSameGroup(found, truth, `${name} + noise`);
      // The noise shows in the residual (C1 has nothing to break, O(3) has no non-scalar part to add noise to).
      if (name !== "O(3)" && name !== "C1") expect(found.residual, name).toBeGreaterThan(1e-5);
    }
  });

  it("names them with two copies of every irrep (mul = 2)", () => {
    const rng = seededRng(99);
    for (const name of ["C3v", "D2d", "S6", "Th", "D∞h", "C∞"]) {
      const { theta, irreps, truth } = drawInvariant(name, 6, rng, 0, 2);
      expectSameGroup(detectSymmetry(theta, irreps), truth, `${name} mul 2`);
    }
  });

  it("is equivariant: rotating or reflecting θ by any g moves the detected axes by g (property)", () => {
    fc.assert(
      fc.property(fc.integer(), fc.constantFrom("C4v", "D3d", "S4", "C2h", "Td", "C∞v", "D6"), (seed, name) => {
        const rng = seededRng(seed);
        const { theta, irreps, truth } = drawInvariant(name, 6, rng);
        const g = randomOrthogonal(rng);
        const moved = new Float64Array(theta.length);
        const D = irrepsD(irreps, g), n = theta.length;
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) moved[i] += D[i * n + j]! * theta[j]!;
        const gTruth = pointGroup(name, { axis: applyMatrix3(g, truth.axis!), secondary: applyMatrix3(g, truth.secondary ?? crossArr([1, 0, 0], truth.axis!)) });
        expectSameGroup(detectSymmetry(moved, irreps), gTruth, `${name} moved`);
      }),
      { numRuns: 12 },
    );
  });

  it("reads a group in the default orientation back with axis z and secondary x", () => {
    const rng = seededRng(5);
    const irreps = thetaIrreps(6, 1);
    for (const name of ["D4h", "C3v", "D3d", "Oh", "Td", "I", "C6", "D2h"]) {
      const def = pointGroup(name);
      const theta = new Float64Array(irreps.dim);
      let off = 0;
      for (const e of irreps) {
        const d = 2 * e.l + 1, basis = invariantBasis(def, e.l, e.p);
        for (let r = 0; r < basis.length / d; r++) {
          const c = 0.5 + rng();
          for (let i = 0; i < d; i++) theta[off + i] += c * basis[r * d + i]!;
        }
        off += d;
      }
      const found = detectSymmetry(theta, irreps);
      expect(found.group).toBe(name);
      for (let i = 0; i < 3; i++) expect(found.axis![i], `${name} axis`).toBeCloseTo([0, 0, 1][i]!, 9);
      if (def.secondary) for (let i = 0; i < 3; i++) expect(found.secondary![i], `${name} secondary`).toBeCloseTo([1, 0, 0][i]!, 9);
    }
  });
});

describe("detectSymmetry on the paper's cases", () => {
  const cubic = invariantBasis(pointGroup("Oh"), 4, 1); // the cubic 4e harmonic (1 row)
  const y2z = sphericalHarmonics(2, [0, 0, 1], { normalization: "norm" }); // z-uniaxial 2e
  const y4z = sphericalHarmonics(4, [0, 0, 1], { normalization: "norm" }); // z-uniaxial 4e
  const irreps = "0e+2e+4e";

  it("cube → cube: the cubic 4e harmonic alone (even tiny next to 0e) is Oh with axes along x, y, z", () => {
    for (const scale of [1, 1e-3]) {
      const found = detectSymmetry([1, 0, 0, 0, 0, 0, ...cubic.map((v) => scale * v)], irreps);
      expect(found.group).toBe("Oh");
      expect(lineAngleDeg(found.axis!, [0, 0, 1])).toBeLessThan(1e-6);
      expect(lineAngleDeg(found.secondary!, [1, 0, 0])).toBeLessThan(1e-6);
      expect(found.breaking).toEqual([{ irrep: "2e", mul: 1, norm: 0 }, { irrep: "4e", mul: 1, norm: expect.closeTo(scale, 12) }]);
      expect(found.residual).toBeLessThan(1e-9);
    }
  });

  it("cube → square prism: z-uniaxial 2e plus 4e mixing the cubic and z-uniaxial harmonics is D4h about z", () => {
    const theta = [1, ...Array.from(y2z, (v) => 0.3 * v), ...Array.from(cubic, (v, i) => 0.2 * v - 0.4 * y4z[i]!)];
    const found = detectSymmetry(theta, irreps);
    expect(found.group).toBe("D4h");
    expect(lineAngleDeg(found.axis!, [0, 0, 1])).toBeLessThan(1e-6);
    // The two-fold axes of this D4h: x, y and the diagonals; the reading picks x.
    expect(lineAngleDeg(found.secondary!, [1, 0, 0])).toBeLessThan(1e-6);
  });

  it("without the cubic part it is D∞h about z", () => {
    const found = detectSymmetry([1, ...Array.from(y2z, (v) => 0.3 * v), ...Array.from(y4z, (v) => -0.4 * v)], irreps);
    expect(found.group).toBe("D∞h");
    expect(found.order).toBe(Infinity);
    expect(lineAngleDeg(found.axis!, [0, 0, 1])).toBeLessThan(1e-6);
    expect(found.secondary).toBeUndefined();
  });

  it("a 1o along x alone is C∞v about x", () => {
    const found = detectSymmetry([1, 0.7, 0, 0], "0e+1o");
    expect(found.group).toBe("C∞v");
    expect(lineAngleDeg(found.axis!, [1, 0, 0])).toBeLessThan(1e-6);
    expect(found.axis![0]).toBeGreaterThan(0);
  });

  it("charged particle: 1o along x (E) with 1e along y (B) is Cs, mirror normal ±y (the x-z plane)", () => {
    const found = detectSymmetry([1, 1, 0, 0, 0, 0.5, 0], "0e+1o+1e");
    expect(found.group).toBe("Cs");
    expect(lineAngleDeg(found.axis!, [0, 1, 0])).toBeLessThan(1e-6);
    expect(found.axis![1]).toBeGreaterThan(0);
  });

  it("a zero non-scalar part is O(3); a 0o alone is SO(3)", () => {
    expect(detectSymmetry([2, 0, 0, 0, 0], "0e+0o+1o")).toEqual({
      group: "O(3)", order: Infinity, residual: 0,
      breaking: [{ irrep: "0o", mul: 1, norm: 0 }, { irrep: "1o", mul: 1, norm: 0 }],
    });
    expect(detectSymmetry(new Float64Array(thetaIrreps(3, 1).dim), thetaIrreps(3, 1)).group).toBe("O(3)");
    const so3 = detectSymmetry([2, -0.5, 0, 0, 0], "0e+0o+1o");
    expect(so3.group).toBe("SO(3)");
    expect(so3.axis).toBeUndefined();
  });

  it("two polar vectors along x and y (two copies of 1o) keep only the mirror z = 0", () => {
    const found = detectSymmetry([1, 0, 0, 0, 1, 0], "2x1o");
    expect(found.group).toBe("Cs");
    expect(lineAngleDeg(found.axis!, [0, 0, 1])).toBeLessThan(1e-6);
    expect(found.breaking).toEqual([{ irrep: "1o", mul: 2, norm: Math.SQRT2 }]);
  });
});

describe("detectSymmetry tolerance, breaking and input checks", () => {
  it("tolerance decides whether a small breaking counts: cubic 4e plus 1e-3 of z-uniaxial 2e", () => {
    const cubic = invariantBasis(pointGroup("Oh"), 4, 1);
    const y2z = sphericalHarmonics(2, [0, 0, 1], { normalization: "norm" });
    const theta = [1, ...Array.from(y2z, (v) => 1e-3 * v), ...cubic];
    expect(detectSymmetry(theta, "0e+2e+4e").group).toBe("Oh");
    const strict = detectSymmetry(theta, "0e+2e+4e", { tolerance: 1e-5 });
    expect(strict.group).toBe("D4h");
    expect(lineAngleDeg(strict.axis!, [0, 0, 1])).toBeLessThan(1e-3);
    expect(strict.residual).toBeLessThan(1e-9);
  });

  it("breaking lists every non-0e entry's norm (all copies together), in irreps order", () => {
    const rng = seededRng(3);
    const irreps = Irreps.parse("2x1o+0e+3x2e+1x0o+2x0e+1e");
    const theta = Float64Array.from({ length: irreps.dim }, () => gaussian(rng));
    const found = detectSymmetry(theta, irreps.toString());
    const norms = blockNorms(theta, irreps);
    expect(found.breaking.map((b) => b.irrep)).toEqual(["1o", "2e", "0o", "1e"]);
    expect(found.breaking.map((b) => b.mul)).toEqual([2, 3, 1, 1]);
    [0, 2, 3, 5].forEach((entry, i) => expect(found.breaking[i]!.norm).toBeCloseTo(norms[entry]!, 14));
    expect(found.group).toBe("C1");
  });

  it("throws clear errors on invalid input", () => {
    expect(() => detectSymmetry([1, 2, 3], "0e+1o")).toThrow("θ has 3 numbers but the irreps '1x0e+1x1o' have dimension 4");
    expect(() => detectSymmetry([1, NaN, 0, 0], "0e+1o")).toThrow("θ[1] is NaN; every entry must be a finite number");
    expect(() => detectSymmetry([1, 0, Infinity, 0], "0e+1o")).toThrow("θ[2] is Infinity");
    expect(() => detectSymmetry([1, 0, 0, 0], "0e+1q")).toThrow("Irreps.parse");
    expect(() => detectSymmetry([1, 0, 0, 0], "0e+1o", { tolerance: 0 })).toThrow("tolerance must be a number in (0, 1)");
    expect(() => detectSymmetry([1, 0, 0, 0], "0e+1o", { tolerance: NaN })).toThrow("tolerance must be a number in (0, 1)");
    expect(() => detectSymmetry([1, 0, 0, 0], "0e+1o", { zeroTolerance: -1 })).toThrow("zeroTolerance must be a finite number >= 0");
  });
});

describe("invariance residuals", () => {
  /** max over the group's elements of ‖D(g)θ - θ‖ / ‖θ_ns‖, straight from wignerD. */
  function directResidual(theta: Float64Array, irreps: Irreps, elements: Float64Array[]): number {
    let ns = 0, off = 0;
    for (const e of irreps) {
      if (!(e.l === 0 && e.p === 1)) for (let i = 0; i < e.dim; i++) ns += theta[off + i]! ** 2;
      off += e.dim;
    }
    let worst = 0;
    for (const g of elements) {
      let sq = 0;
      off = 0;
      for (const e of irreps) {
        const d = 2 * e.l + 1, D = wignerD(e.l, e.p, g);
        for (let u = 0; u < e.mul; u++, off += d)
          for (let i = 0; i < d; i++) {
            let v = 0;
            for (let j = 0; j < d; j++) v += D[i * d + j]! * theta[off + j]!;
            sq += (v - theta[off + i]!) ** 2;
          }
      }
      worst = Math.max(worst, Math.sqrt(sq / ns));
    }
    return worst;
  }

  it("the m-spectrum residual of any O(3) element equals the direct ‖D(g)θ - θ‖² (property)", () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const rng = seededRng(seed);
        const blocks = [];
        for (let l = 0; l <= 5; l++)
          for (const p of [1, -1] as const) if (l > 0 || p === -1) blocks.push({ l, p, data: Float64Array.from({ length: 2 * l + 1 }, () => gaussian(rng)) });
        const spectra = new ThetaSpectra(blocks);
        const g = randomOrthogonal(rng);
        let direct = 0;
        for (const b of blocks) {
          const d = 2 * b.l + 1, D = wignerD(b.l, b.p, g);
          for (let i = 0; i < d; i++) {
            let v = 0;
            for (let j = 0; j < d; j++) v += D[i * d + j]! * b.data[j]!;
            direct += (v - b.data[i]!) ** 2;
          }
        }
        expect(Math.abs(spectra.elementResidualSq(g) - direct)).toBeLessThan(1e-11 * Math.max(1, direct));
      }),
      { numRuns: 40 },
    );
  });

  it("symmetryResidual is the max over the elements of a finite group, and 0 on its invariants", () => {
    const rng = seededRng(11);
    const irreps = thetaIrreps(4, 1);
    const theta = Float64Array.from({ length: irreps.dim }, () => gaussian(rng));
    for (const name of ["D3d", "C4v", "Td"]) {
      const g = pointGroup(name, { axis: [1, 2, 2], secondary: [2, 1, -2] });
      expect(symmetryResidual(theta, irreps, g)).toBeCloseTo(directResidual(theta, irreps, g.elements()), 12);
      const inv = drawInvariant(name, 4, rng);
      expect(symmetryResidual(inv.theta, inv.irreps, inv.truth)).toBeLessThan(1e-13);
    }
  });
});
