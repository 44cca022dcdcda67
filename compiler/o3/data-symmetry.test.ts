import { describe, expect, it } from "vitest";
import { dataSymmetry } from "./data-symmetry.js";
import { sameElements } from "./group-identify.js";
import { pointGroup } from "./point-groups.js";
import { applyMatrix3, matmul3, randomRotation, seededRng, transpose3 } from "./rotation.js";
import { crystalSymmetry, moleculeSymmetry } from "./structure-symmetry.js";

const CUBE = [-1, 1].flatMap((x) => [-1, 1].flatMap((y) => [-1, 1].flatMap((z) => [x, y, z])));
const perNode = (n: number, v: number[]) => Array.from({ length: n }, () => v).flat();
const orientation = (s: { axis: number[] | null; secondary: number[] | null }) => ({ ...(s.axis ? { axis: s.axis } : {}), ...(s.secondary ? { secondary: s.secondary } : {}) });

describe("dataSymmetry", () => {
  const cube = moleculeSymmetry(CUBE, Array(8).fill("A"));

  it("a cube whose nodes all move along z keeps C4v about z", () => {
    expect(cube.name).toBe("Oh");
    const s = dataSymmetry(cube, [{ irreps: "1o", values: perNode(8, [0, 0, 0.1]), perNode: true }]);
    expect([s.name, s.axis, s.secondary, s.operations.length]).toEqual(["C4v", [0, 0, 1], [1, 0, 0], 8]);
  });

  it("an invariant target keeps the whole input group; a zero target keeps everything", () => {
    expect(dataSymmetry(cube, [{ irreps: "0e", values: perNode(8, [2]), perNode: true }]).name).toBe("Oh");
    expect(dataSymmetry(cube, [{ irreps: "1o", values: new Array(24).fill(0), perNode: true }]).name).toBe("Oh");
    expect(dataSymmetry(cube, []).name).toBe("Oh");
  });

  it("a square stretched into a rectangle keeps D2h; a cube pulled into a prism D4h", () => {
    const square = [1, 1, 0, -1, 1, 0, -1, -1, 0, 1, -1, 0];
    const sq = moleculeSymmetry(square, Array(4).fill(0));
    expect([sq.name, sq.axis, sq.secondary]).toEqual(["D4h", [0, 0, 1], [1, 0, 0]]);
    // Displacement to the rectangle: x stretched by 0.2, y unchanged.
    const disp = square.map((v, i) => (i % 3 === 0 ? 0.2 * v : 0));
    const s = dataSymmetry(sq, [{ irreps: "1o", values: disp, perNode: true }]);
    expect([s.name, s.axis, s.secondary]).toEqual(["D2h", [0, 0, 1], [1, 0, 0]]);
    const prism = CUBE.map((v, i) => (i % 3 === 2 ? 0.3 * v : 0));
    const p = dataSymmetry(cube, [{ irreps: "1o", values: prism, perNode: true }]);
    expect([p.name, p.axis, p.secondary]).toEqual(["D4h", [0, 0, 1], [1, 0, 0]]);
  });

  it("atoms of a cubic crystal shifting along (0, 1, 1)/√2 keep C2v about that axis", () => {
    const a = 4;
    const cell = [a, 0, 0, 0, a, 0, 0, 0, a];
    const input = crystalSymmetry(cell, [0, 0, 0, 2, 2, 2], ["A", "B"]);
    expect(input.name).toBe("Oh");
    const u = Math.SQRT1_2;
    const s = dataSymmetry(input, [{ irreps: "1o", values: [0, 0.1 * u, 0.1 * u, 0, 0.1 * u, 0.1 * u], perNode: true }]);
    expect(s.name).toBe("C2v");
    expect(s.axis![0]).toBe(0);
    expect(s.axis![1]).toBeCloseTo(u, 14);
    expect(s.axis![2]).toBeCloseTo(u, 14);
    expect(s.secondary).toEqual([1, 0, 0]);
  });

  it("per-graph fields of a charged particle: E along x (1o) and B along y (1e) keep the mirror with normal y", () => {
    const e = dataSymmetry(cube, [{ irreps: "1o", values: [1, 0, 0], perNode: false }]);
    // Mirrors containing x: the planes normal to y, z and the diagonals; the canonical secondary is y.
    expect([e.name, e.axis, e.secondary]).toEqual(["C4v", [1, 0, 0], [0, 1, 0]]);
    const b = dataSymmetry(cube, [{ irreps: "1e", values: [0, 1, 0], perNode: false }]);
    expect([b.name, b.axis]).toEqual(["C4h", [0, 1, 0]]);
    const both = dataSymmetry(cube, [
      { irreps: "1o", values: [1, 0, 0], perNode: false },
      { irreps: "1e", values: [0, 1, 0], perNode: false },
    ]);
    expect([both.name, both.axis, both.secondary]).toEqual(["Cs", [0, 1, 0], null]);
  });

  it("reads higher irreps through the Wigner D: the 2e quadrupole about y (e3nn's m = 0 entry) keeps D4h about y", () => {
    // e3nn's polar axis is y, so index 2 of "2e" is the quadrupole 3y² - r², symmetric about y.
    const s = dataSymmetry(cube, [{ irreps: "2e", values: [0, 0, 1, 0, 0], perNode: false }]);
    expect([s.name, s.axis, s.secondary]).toEqual(["D4h", [0, 1, 0], [1, 0, 0]]);
  });

  it("follows a rotated input: the rotated cube moving along the rotated z keeps the rotated C4v", () => {
    const q = randomRotation(seededRng(8));
    const positions: number[] = [];
    for (let i = 0; i < 8; i++) positions.push(...applyMatrix3(q, CUBE.slice(3 * i, 3 * i + 3)));
    const input = moleculeSymmetry(positions, Array(8).fill("A"));
    const dz = Array.from(applyMatrix3(q, [0, 0, 0.1]));
    const s = dataSymmetry(input, [{ irreps: "1o", values: perNode(8, dz), perNode: true }]);
    expect(s.name).toBe("C4v");
    const expected = pointGroup("C4v").elements().map((m) => matmul3(matmul3(q, m), transpose3(q)));
    expect(sameElements(pointGroup(s.name, orientation(s)).elements(), expected, 1e-9)).toBe(true);
  });

  it("applies the relative tolerance: a 1e-8 wobble passes at 1e-6 and breaks the symmetry at 1e-10", () => {
    const values = perNode(8, [0, 0, 0.1]);
    values[0] += 1e-9;
    expect(dataSymmetry(cube, [{ irreps: "1o", values, perNode: true }]).name).toBe("C4v");
    expect(dataSymmetry(cube, [{ irreps: "1o", values, perNode: true }], { tolerance: 1e-10 }).name).not.toBe("C4v");
  });

  it("rejects targets of the wrong size, bad irreps and non-finite values, naming the field", () => {
    expect(() => dataSymmetry(cube, [{ irreps: "1o", values: [1, 0, 0], perNode: true }])).toThrow(/targets\[0\]\.values has 3 numbers; expected 8 nodes x 3/);
    expect(() => dataSymmetry(cube, [{ irreps: "1x", values: [1, 0, 0], perNode: false }])).toThrow(/targets\[0\]\.irreps/);
    expect(() => dataSymmetry(cube, [{ irreps: "0e", values: [NaN], perNode: false }])).toThrow(/targets\[0\]\.values\[0\]/);
    expect(() => dataSymmetry(cube, [], { tolerance: 2 })).toThrow(/tolerance/);
  });
});
