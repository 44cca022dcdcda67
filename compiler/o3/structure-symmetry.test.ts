import { describe, expect, it } from "vitest";
import { sameElements } from "./group-identify.js";
import { pointGroup } from "./point-groups.js";
import { applyMatrix3, det3, matmul3, randomRotation, seededRng, transpose3, type Matrix3 } from "./rotation.js";
import { ContinuousSymmetryError, crystalSymmetry, moleculeSymmetry, type StructureSymmetry } from "./structure-symmetry.js";

const deg = Math.PI / 180;
/** k points on a circle of radius r at height z, the first at angle `start` degrees, `step` degrees apart. */
const ring = (r: number, z: number, start: number, k: number, step: number) =>
  Array.from({ length: k }, (_, i) => [r * Math.cos((start + i * step) * deg), r * Math.sin((start + i * step) * deg), z]).flat();
const rotate = (p: number[], q: Matrix3) => {
  const out: number[] = [];
  for (let i = 0; i < p.length; i += 3) out.push(...applyMatrix3(q, p.slice(i, i + 3)));
  return out;
};
const conj = (q: Matrix3, ms: Float64Array[]) => ms.map((m) => matmul3(matmul3(q, m), transpose3(q)));
const orientation = (s: { axis: number[] | null; secondary: number[] | null }) => ({ ...(s.axis ? { axis: s.axis } : {}), ...(s.secondary ? { secondary: s.secondary } : {}) });

/** Molecules (Å, approximate experimental geometries) with their point group in the frame they are written in. */
const MOLECULES: { name: string; positions: number[]; species: string[]; group: string; axis: number[]; secondary: number[] | null }[] = [
  // Water in the xz plane, C2 along z: mirrors xz and yz, so the secondary (in-plane direction of a mirror) is x.
  { name: "water", positions: [0, 0, 0, 0.757, 0, 0.587, -0.757, 0, 0.587], species: ["O", "H", "H"], group: "C2v", axis: [0, 0, 1], secondary: [1, 0, 0] },
  // Ammonia: C3 along z, one H on the x axis so the xz plane is a mirror.
  { name: "ammonia", positions: [0, 0, 0.38, ...ring(0.94, 0, 0, 3, 120)], species: ["N", "H", "H", "H"], group: "C3v", axis: [0, 0, 1], secondary: [1, 0, 0] },
  // Methane: H on alternate cube corners, the tetrahedron of pointGroup("Td").
  { name: "methane", positions: [0, 0, 0, 1, 1, 1, 1, -1, -1, -1, 1, -1, -1, -1, 1].map((x) => x * 0.629), species: ["C", "H", "H", "H", "H"], group: "Td", axis: [0, 0, 1], secondary: [1, 0, 0] },
  // Benzene in the xy plane, a C atom on the x axis: the two-fold axes through atoms include x.
  { name: "benzene", positions: [...ring(1.39, 0, 0, 6, 60), ...ring(2.48, 0, 0, 6, 60)], species: [..."CCCCCCHHHHHH"], group: "D6h", axis: [0, 0, 1], secondary: [1, 0, 0] },
  // Staggered ethane: top H at 0°, 120°, 240°, bottom H at 60°, 180°, 300°; the two-fold axes lie at 30°, 90°, 150°, so y.
  { name: "staggered ethane", positions: [0, 0, 0.765, 0, 0, -0.765, ...ring(1.01, 1.16, 0, 3, 120), ...ring(1.01, -1.16, 60, 3, 120)], species: [..."CCHHHHHH"], group: "D3d", axis: [0, 0, 1], secondary: [0, 1, 0] },
  { name: "SF6", positions: [0, 0, 0, 1.56, 0, 0, -1.56, 0, 0, 0, 1.56, 0, 0, -1.56, 0, 0, 0, 1.56, 0, 0, -1.56], species: ["S", ..."FFFFFF"], group: "Oh", axis: [0, 0, 1], secondary: [1, 0, 0] },
];

/** Every operation maps every node onto its image (modulo the lattice for crystals), and the matrices are the group's elements. */
function checkOperations(sym: StructureSymmetry, positions: number[], tol: number, cell?: number[]) {
  const els = sym.group.elements();
  expect(sym.operations.length).toBe(els.length);
  expect(sameElements(sym.operations.map((o) => o.matrix), els, 1e-12)).toBe(true);
  expect(Array.from(sym.operations[0]!.matrix)).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
  const n = positions.length / 3;
  const centre = [0, 1, 2].map((k) => (cell ? 0 : positions.filter((_, i) => i % 3 === k).reduce((a, b) => a + b, 0) / n));
  const inv = cell ? invert(cell) : null;
  for (const op of sym.operations) {
    expect(new Set(op.permutation).size).toBe(n);
    for (let i = 0; i < n; i++) {
      const p = applyMatrix3(op.matrix, positions.slice(3 * i, 3 * i + 3).map((x, k) => x - centre[k]!));
      const j = op.permutation[i]!;
      let d = p.map((x, k) => x + centre[k]! + (op.translation ? op.translation[k]! : 0) - positions[3 * j + k]!);
      if (inv && cell) {
        // Reduce by the lattice: fractional coordinates rounded.
        const f = [0, 1, 2].map((c) => d[0]! * inv[c]! + d[1]! * inv[3 + c]! + d[2]! * inv[6 + c]!).map((x) => x - Math.round(x));
        d = Float64Array.from([0, 1, 2], (k) => f[0]! * cell[k]! + f[1]! * cell[3 + k]! + f[2]! * cell[6 + k]!);
      }
      expect(Math.hypot(...d)).toBeLessThanOrEqual(tol);
    }
  }
}

/** Inverse of the row-major 3x3 matrix (for fractional coordinates: x_frac = x_cart · inv). */
function invert(m: number[]): number[] {
  const [a, b, c, d, e, f, g, h, i] = m as [number, number, number, number, number, number, number, number, number];
  const det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
  return [(e * i - f * h) / det, (c * h - b * i) / det, (b * f - c * e) / det, (f * g - d * i) / det, (a * i - c * g) / det, (c * d - a * f) / det, (d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det];
}

describe("moleculeSymmetry", () => {
  for (const m of MOLECULES) {
    it(`${m.name}: ${m.group}, axis ${m.axis}${m.secondary ? `, secondary ${m.secondary}` : ""}, one operation per element`, () => {
      const sym = moleculeSymmetry(m.positions, m.species);
      expect([sym.name, sym.axis, sym.secondary]).toEqual([m.group, m.axis, m.secondary]);
      checkOperations(sym, m.positions, 1e-9);
    });
  }

  it("finds the rotated group for randomly rotated (and slightly noisy) copies of every molecule", () => {
    const rng = seededRng(42);
    for (const m of MOLECULES) {
      for (const noise of [0, 1e-4]) {
        const q = randomRotation(rng);
        const positions = rotate(m.positions, q).map((x) => x + noise * (rng() - 0.5));
        const sym = moleculeSymmetry(positions, m.species);
        expect(sym.name, m.name).toBe(m.group);
        const expected = conj(q, pointGroup(m.group, orientation(m)).elements());
        // The reported orientation rebuilds the rotated group (to the noise), and the operations are its exact elements.
        expect(sameElements(pointGroup(sym.name, orientation(sym)).elements(), expected, noise ? 1e-3 : 1e-9), m.name).toBe(true);
        const axisLine = applyMatrix3(q, m.axis);
        if (!["Td", "Oh"].includes(m.group)) expect(Math.abs(axisLine.reduce((s, x, k) => s + x * sym.axis![k]!, 0)), m.name).toBeGreaterThan(1 - (noise ? 1e-6 : 1e-12));
        expect(sym.axis!.find((x) => Math.abs(x) > 1e-9)!).toBeGreaterThan(0);
        checkOperations(sym, positions, noise ? 1e-3 : 1e-9);
      }
    }
  });

  it("tells species apart and lowers the symmetry for a distorted structure: CH3Cl is C3v, a stretched C-H bond of methane C3v along it", () => {
    const methane = MOLECULES.find((m) => m.name === "methane")!;
    const ch3cl = moleculeSymmetry(methane.positions, ["C", "Cl", "H", "H", "H"]);
    expect(ch3cl.name).toBe("C3v");
    expect(ch3cl.axis![0]).toBeCloseTo(1 / Math.sqrt(3), 12);
    expect(ch3cl.axis![1]).toBeCloseTo(1 / Math.sqrt(3), 12);
    const stretched = methane.positions.map((x, i) => (i >= 3 && i < 6 ? x * 1.2 : x));
    const s = moleculeSymmetry(stretched, methane.species);
    expect(s.name).toBe("C3v");
    for (const x of s.axis!) expect(x).toBeCloseTo(1 / Math.sqrt(3), 12);
  });

  it("throws a ContinuousSymmetryError carrying the group for one node (O(3)) and linear structures (C∞v, D∞h)", () => {
    const thrown = (p: number[], s: string[]) => {
      try {
        moleculeSymmetry(p, s);
      } catch (e) {
        expect(e).toBeInstanceOf(ContinuousSymmetryError);
        return e as ContinuousSymmetryError;
      }
      throw new Error("no error thrown");
    };
    const co = thrown([0, 0, 0, 0, 0, -1.1], ["C", "O"]);
    expect(co.message).toMatch(/one line.*C∞v, continuous/);
    expect([co.group.name, co.group.axis]).toEqual(["C∞v", [0, 0, 1]]);
    const co2 = thrown([0, 0, 0, -1.16, 1.16, 0, 1.16, -1.16, 0], ["C", "O", "O"]);
    expect([co2.group.name, co2.group.axis!.map((x) => +x.toFixed(12))]).toEqual(["D∞h", [Math.SQRT1_2, -Math.SQRT1_2, 0].map((x) => +x.toFixed(12))]);
    expect(thrown([1, 2, 3], ["X"]).group).toMatchObject({ name: "O(3)", axis: null });
  });

  it("rejects malformed input with clear messages", () => {
    expect(() => moleculeSymmetry([0, 0, 0, 1, 0], ["C", "O"])).toThrow(/n x 3/);
    expect(() => moleculeSymmetry([0, 0, 0, 1, 0, 0, 0, 1, 0], ["C", "O"])).toThrow(/species has 2 entries but there are 3 nodes/);
    expect(() => moleculeSymmetry([0, 0, 0, 1, 0, NaN, 0, 1, 0], ["C", "O", "O"])).toThrow(/positions\[1\]\[2\]/);
    expect(() => moleculeSymmetry([0, 0, 0, 1, 0, 0, 0, 1, 0], ["C", "O", "O"], { tolerance: -1 })).toThrow(/tolerance/);
  });
});

const cubic = (a: number) => [a, 0, 0, 0, a, 0, 0, 0, a];
const toCartesian = (cell: number[], frac: number[][]) =>
  frac.flatMap(([x, y, z]) => [0, 1, 2].map((k) => x! * cell[k]! + y! * cell[3 + k]! + z! * cell[6 + k]!));
const FCC = [[0, 0, 0], [0, 0.5, 0.5], [0.5, 0, 0.5], [0.5, 0.5, 0]];
const HEX_A = 3.25, HEX_C = 5.21, U = 0.382;
const HEX_CELL = [HEX_A, 0, 0, -HEX_A / 2, (HEX_A * Math.sqrt(3)) / 2, 0, 0, 0, HEX_C];
const CRYSTALS: { name: string; cell: number[]; positions: number[]; species: (string | number)[]; group: string; axis: number[]; secondary: number[] }[] = [
  { name: "rock salt (conventional cell)", cell: cubic(5.64), positions: toCartesian(cubic(5.64), [...FCC, ...FCC.map(([x, y, z]) => [(x! + 0.5) % 1, y!, z!])]), species: [11, 11, 11, 11, 17, 17, 17, 17], group: "Oh", axis: [0, 0, 1], secondary: [1, 0, 0] },
  { name: "rock salt (primitive fcc cell)", cell: [0, 2.82, 2.82, 2.82, 0, 2.82, 2.82, 2.82, 0], positions: [0, 0, 0, 2.82, 0, 0], species: ["Na", "Cl"], group: "Oh", axis: [0, 0, 1], secondary: [1, 0, 0] },
  { name: "cubic perovskite SrTiO3", cell: cubic(3.905), positions: toCartesian(cubic(3.905), [[0, 0, 0], [0.5, 0.5, 0.5], [0.5, 0.5, 0], [0.5, 0, 0.5], [0, 0.5, 0.5]]), species: ["Sr", "Ti", "O", "O", "O"], group: "Oh", axis: [0, 0, 1], secondary: [1, 0, 0] },
  // Wurtzite (P6_3mc): the six-fold axis is a 6_3 screw, so half the rotations need the translation c/2.
  { name: "wurtzite ZnO", cell: HEX_CELL, positions: toCartesian(HEX_CELL, [[1 / 3, 2 / 3, 0], [2 / 3, 1 / 3, 0.5], [1 / 3, 2 / 3, U], [2 / 3, 1 / 3, 0.5 + U]]), species: ["Zn", "Zn", "O", "O"], group: "C6v", axis: [0, 0, 1], secondary: [1, 0, 0] },
];

describe("crystalSymmetry", () => {
  for (const c of CRYSTALS) {
    it(`${c.name}: crystal class ${c.group}, axis ${c.axis}, secondary ${c.secondary}`, () => {
      const sym = crystalSymmetry(c.cell, c.positions, c.species);
      expect([sym.name, sym.axis, sym.secondary]).toEqual([c.group, c.axis, c.secondary]);
      checkOperations(sym, c.positions, 1e-9, c.cell);
    });
  }

  it("wurtzite's six-fold rotations by ±60° carry the fractional translation c/2 (the 6_3 screw)", () => {
    const c = CRYSTALS.find((x) => x.name.startsWith("wurtzite"))!;
    const sym = crystalSymmetry(c.cell, c.positions, c.species);
    const sixFold = sym.operations.filter((o) => det3(o.matrix) > 0 && Math.abs(o.matrix[0]! - 0.5) < 1e-12 && Math.abs(o.matrix[8]! - 1) < 1e-12);
    expect(sixFold.length).toBe(2);
    for (const o of sixFold) expect(Array.from(o.translation!).map((x) => +x.toFixed(9))).toEqual([0, 0, +(HEX_C / 2).toFixed(9)]);
  });

  it("finds the rotated crystal class for randomly rotated copies of every crystal", () => {
    const rng = seededRng(9);
    for (const c of CRYSTALS) {
      const q = randomRotation(rng);
      const cell = rotate(c.cell, q);
      const positions = rotate(c.positions, q);
      const sym = crystalSymmetry(cell, positions, c.species);
      expect(sym.name, c.name).toBe(c.group);
      const expected = conj(q, pointGroup(c.group, { axis: c.axis, secondary: c.secondary }).elements());
      expect(sameElements(pointGroup(sym.name, orientation(sym)).elements(), expected, 1e-9), c.name).toBe(true);
      checkOperations(sym, positions, 1e-9, cell);
    }
  });

  it("a tetragonal distortion of the perovskite lowers Oh to D4h about the long axis; shifting Ti along (0, 1, 1) gives C2v about (0, 1, 1)/√2", () => {
    const tetra = [3.9, 0, 0, 0, 3.9, 0, 0, 0, 4.1];
    const sym = crystalSymmetry(tetra, toCartesian(tetra, [[0, 0, 0], [0.5, 0.5, 0.5], [0.5, 0.5, 0], [0.5, 0, 0.5], [0, 0.5, 0.5]]), ["Sr", "Ti", "O", "O", "O"]);
    expect([sym.name, sym.axis, sym.secondary]).toEqual(["D4h", [0, 0, 1], [1, 0, 0]]);
    const a = 3.905;
    const shifted = toCartesian(cubic(a), [[0, 0, 0], [0.5, 0.52, 0.52], [0.5, 0.5, 0], [0.5, 0, 0.5], [0, 0.5, 0.5]]);
    const s2 = crystalSymmetry(cubic(a), shifted, ["Sr", "Ti", "O", "O", "O"]);
    expect(s2.name).toBe("C2v");
    expect(s2.axis![0]).toBe(0);
    expect(s2.axis![1]).toBeCloseTo(Math.SQRT1_2, 12);
    expect(s2.axis![2]).toBeCloseTo(Math.SQRT1_2, 12);
    expect(s2.secondary).toEqual([1, 0, 0]);
  });

  it("treats a structure with no periodic direction as a molecule, and a slab by its two periodic directions", () => {
    const sf6 = MOLECULES.find((m) => m.name === "SF6")!;
    expect(crystalSymmetry(cubic(20), sf6.positions, sf6.species, { pbc: [false, false, false] }).name).toBe("Oh");
    // One square layer of atoms, periodic in x and y only: D4h about z.
    const slab = crystalSymmetry(cubic(3), [0, 0, 0], ["X"], { pbc: [true, true, false] });
    expect([slab.name, slab.axis, slab.secondary]).toEqual(["D4h", [0, 0, 1], [1, 0, 0]]);
    // The same layer periodic in all three directions is simple cubic: Oh.
    expect(crystalSymmetry(cubic(3), [0, 0, 0], ["X"]).name).toBe("Oh");
  });

  it("needs no particular cell: a badly skewed primitive cell, a 2x2x2 supercell and noisy positions of the same crystals", () => {
    const [a1, a2, a3] = [[0, 2.82, 2.82], [2.82, 0, 2.82], [2.82, 2.82, 0]];
    const comb = (x: number, y: number, z: number) => [0, 1, 2].map((k) => x * a1[k]! + y * a2[k]! + z * a3[k]!);
    for (const cell of [[...comb(1, 3, 2), ...comb(0, 1, 4), ...comb(0, 0, 1)], [...comb(1, 5, -7), ...comb(0, 1, 9), ...comb(0, 0, 1)]]) {
      const sym = crystalSymmetry(cell, [0, 0, 0, 2.82, 0, 0], ["Na", "Cl"]);
      expect([sym.name, sym.axis, sym.secondary]).toEqual(["Oh", [0, 0, 1], [1, 0, 0]]);
      checkOperations(sym, [0, 0, 0, 2.82, 0, 0], 1e-9, cell);
    }
    const perovskite = CRYSTALS.find((c) => c.name.includes("perovskite"))!;
    const a = 3.905, positions: number[] = [], species: string[] = [];
    for (const i of [0, 1]) for (const j of [0, 1]) for (const k of [0, 1])
      for (let m = 0; m < 5; m++) {
        positions.push(perovskite.positions[3 * m]! + i * a, perovskite.positions[3 * m + 1]! + j * a, perovskite.positions[3 * m + 2]! + k * a);
        species.push(perovskite.species[m] as string);
      }
    const supercell = crystalSymmetry(cubic(2 * a), positions, species);
    expect([supercell.name, supercell.operations.length]).toEqual(["Oh", 48]);
    checkOperations(supercell, positions, 1e-9, cubic(2 * a));
    const rng = seededRng(2);
    const noisy = positions.map((x) => x + 2e-4 * (rng() - 0.5));
    const sym = crystalSymmetry(cubic(2 * a), noisy, species);
    expect([sym.name, sym.axis, sym.secondary]).toEqual(["Oh", [0, 0, 1], [1, 0, 0]]);
    checkOperations(sym, noisy, 1e-3, cubic(2 * a));
  });

  it("takes a measured cell: perovskite with cell vectors and positions off by up to 1e-4, randomly rotated, is Oh", () => {
    const rng = seededRng(13);
    const perovskite = CRYSTALS.find((c) => c.name.includes("perovskite"))!;
    const frac = [[0, 0, 0], [0.5, 0.5, 0.5], [0.5, 0.5, 0], [0.5, 0, 0.5], [0, 0.5, 0.5]];
    for (let trial = 0; trial < 5; trial++) {
      const q = randomRotation(rng);
      const cell = rotate(cubic(3.905).map((x) => x + 2e-4 * (rng() - 0.5)), q);
      const positions = toCartesian(cell, frac).map((x) => x + 2e-4 * (rng() - 0.5));
      const sym = crystalSymmetry(cell, positions, perovskite.species);
      expect(sym.name).toBe("Oh");
      checkOperations(sym, positions, 1e-3, cell);
    }
  });

  it("rejects malformed cells and a single periodic direction", () => {
    expect(() => crystalSymmetry([1, 0, 0, 0, 1, 0], [0, 0, 0], ["X"])).toThrow(/cell must have 9 numbers/);
    expect(() => crystalSymmetry([1, 0, 0, 2, 0, 0, 0, 0, 1], [0, 0, 0], ["X"])).toThrow(/linearly dependent/);
    expect(() => crystalSymmetry(cubic(3), [0, 0, 0], ["X"], { pbc: [true, false, false] })).toThrow(/wire/);
    expect(() => crystalSymmetry(cubic(3), [0, 0, 0], ["X"], { pbc: [true, true] as unknown as [boolean, boolean, boolean] })).toThrow(/pbc/);
  });
});
