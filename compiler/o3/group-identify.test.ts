import { describe, expect, it } from "vitest";
import { identifyGroup, sameElements } from "./group-identify.js";
import { pointGroup } from "./point-groups.js";
import { axisAngleToMatrix, matmul3, randomRotation, seededRng, transpose3 } from "./rotation.js";

const FINITE = [
  "C1", "Ci", "Cs", "C2", "C3", "C4", "C5", "C6", "C7", "C8", "C2v", "C3v", "C4v", "C5v", "C6v", "C2h", "C3h", "C4h", "C5h", "C6h",
  "D2", "D3", "D4", "D5", "D6", "D2h", "D3h", "D4h", "D5h", "D6h", "D2d", "D3d", "D4d", "D5d", "D6d", "S4", "S6", "S8", "S10", "S12",
  "T", "Td", "Th", "O", "Oh", "I", "Ih",
];
const conj = (q: Float64Array, ms: Float64Array[]) => ms.map((m) => matmul3(matmul3(q, m), transpose3(q)));
const firstNonZeroPositive = (v: number[]) => v.find((x) => Math.abs(x) > 1e-9)! > 0;

describe("identifyGroup", () => {
  it("reads back every finite group of the catalogue in its default orientation, axes as built", () => {
    for (const name of FINITE) {
      const g = pointGroup(name);
      const id = identifyGroup(g.elements());
      expect(id.name, name).toBe(name);
      expect(id.axis, name).toEqual(g.axis ? [0, 0, 1] : null);
      expect(id.secondary, name).toEqual(g.secondary ? [1, 0, 0] : null);
      expect(sameElements(id.group.elements(), g.elements(), 1e-12), name).toBe(true);
    }
  });

  it("names every group in a random orientation, with an orientation that rebuilds exactly its elements", () => {
    const rng = seededRng(11);
    for (const name of FINITE) {
      const q = randomRotation(rng);
      const elements = conj(q, pointGroup(name).elements());
      const id = identifyGroup(elements);
      expect(id.name, name).toBe(name);
      const rebuilt = pointGroup(id.name, { ...(id.axis ? { axis: id.axis } : {}), ...(id.secondary ? { secondary: id.secondary } : {}) });
      expect(sameElements(rebuilt.elements(), elements, 1e-9), name).toBe(true);
      if (id.axis) expect(firstNonZeroPositive(id.axis), name).toBe(true);
      if (id.secondary) expect(firstNonZeroPositive(id.secondary), name).toBe(true);
    }
  });

  it("closes generators first: a four-fold turn and a mirror make C4v", () => {
    const c4 = axisAngleToMatrix([0, 0, 1], Math.PI / 2);
    const mirrorY = Float64Array.of(1, 0, 0, 0, -1, 0, 0, 0, 1);
    const id = identifyGroup([c4, mirrorY]);
    expect(id.name).toBe("C4v");
    expect(id.axis).toEqual([0, 0, 1]);
    expect(id.secondary).toEqual([1, 0, 0]);
    expect(id.group.order).toBe(8);
  });

  it("reports a readable orientation: C2v about (0, 1, 1)/√2 with the mirror containing x", () => {
    const g = pointGroup("C2v", { axis: [0, -1, -1], secondary: [0, 1, -1] });
    const id = identifyGroup(g.elements());
    expect(id.name).toBe("C2v");
    expect(id.axis![0]).toBe(0);
    expect(id.axis![1]).toBeCloseTo(Math.SQRT1_2, 14);
    expect(id.axis![2]).toBeCloseTo(Math.SQRT1_2, 14);
    expect(id.secondary).toEqual([1, 0, 0]);
  });

  it("D2h and the cubic groups pick z as axis and x as secondary when those are among their axes", () => {
    for (const name of ["D2", "D2h", "T", "Th", "Td", "O", "Oh"]) {
      const g = pointGroup(name, { axis: [1, 0, 0], secondary: [0, 1, 0] });
      const id = identifyGroup(g.elements());
      expect([id.name, id.axis, id.secondary]).toEqual([name, [0, 0, 1], [1, 0, 0]]);
    }
  });

  it("takes noisy matrices with a matching tolerance", () => {
    const rng = seededRng(5);
    const q = randomRotation(rng);
    const noisy = conj(q, pointGroup("D6h").elements()).map((m) => m.map((x) => x + 1e-7 * (rng() - 0.5)));
    const id = identifyGroup(noisy, 1e-5);
    expect(id.name).toBe("D6h");
    const axis = Array.from({ length: 3 }, (_, i) => q[3 * i + 2]!);
    expect(Math.abs(axis[0]! * id.axis![0]! + axis[1]! * id.axis![1]! + axis[2]! * id.axis![2]!)).toBeGreaterThan(1 - 1e-10);
  });

  it("rejects non-orthogonal matrices, malformed input and matrices that generate no finite group", () => {
    expect(() => identifyGroup([Float64Array.of(2, 0, 0, 0, 1, 0, 0, 0, 1)])).toThrow(/matrix 0 is not orthogonal/);
    expect(() => identifyGroup([[1, 0, 0]])).toThrow(/9 numbers/);
    expect(() => identifyGroup([[NaN, 0, 0, 0, 1, 0, 0, 0, 1]])).toThrow(/non-finite/);
    expect(() => identifyGroup([axisAngleToMatrix([0, 0, 1], 1)])).toThrow(/do not form a finite point group/);
    expect(() => identifyGroup([], 0)).toThrow(/tolerance/);
  });

  it("names the trivial group from an empty list", () => {
    expect(identifyGroup([]).name).toBe("C1");
  });
});
