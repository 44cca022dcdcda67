import { describe, expect, it } from "vitest";
import { sameElements } from "./group-identify.js";
import { pointGroup, type PointGroup } from "./point-groups.js";
import { matmul3, randomRotation, seededRng, transpose3 } from "./rotation.js";
import { subgroupClasses, subgroups } from "./subgroups.js";

/**
 * Known counts (subgroups, conjugacy classes of subgroups):
 * - Td ≅ O ≅ S4: 30 subgroups in 11 classes (groupprops, "Subgroup structure of symmetric group:S4").
 *   T ≅ A4: 10 in 5; I ≅ A5: 59 in 9 (groupprops, alternating groups A4 and A5).
 * - Oh ≅ S4 × C2: 98 in 33 (issue 15).
 * - For G × C2 (Dnh with n even, Oh, Ih, the inversion or σh being the C2) Goursat's lemma gives the
 *   subgroups H × 1, H × C2 and one "twisted" {(h, φ(h))} per pair K < H of index 2, so
 *   #sub(G × C2) = 2 #sub(G) + #(index-2 pairs), and the classes likewise (twisted pairs up to conjugacy):
 *   D4h ≅ D4 × C2: D4 has 10 subgroups in 8 classes and 15 index-2 pairs in 11 classes: 35 in 27.
 *   D6h ≅ D6 × C2: D6 has 16 subgroups in 10 classes and 22 index-2 pairs in 12 classes: 54 in 32.
 *   Ih ≅ A5 × C2: A5 has 59 in 9 and 46 index-2 pairs (15 C2>1, 15 V4>C2, 10 S3>C3, 6 D5>C5) in 4
 *   classes: 164 in 22.
 */
const KNOWN: [string, number, number][] = [
  ["Oh", 98, 33], ["D4h", 35, 27], ["D6h", 54, 32], ["Td", 30, 11], ["Ih", 164, 22],
  ["O", 30, 11], ["T", 10, 5], ["I", 59, 9],
];

function orientationOf(s: { axis: number[] | null; secondary: number[] | null }) {
  return { ...(s.axis ? { axis: s.axis } : {}), ...(s.secondary ? { secondary: s.secondary } : {}) };
}

function checkAll(parent: PointGroup) {
  const list = subgroups(parent);
  const elements = parent.elements();
  for (const s of list) {
    const own = s.elementIndices.map((k) => elements[k]!);
    expect(s.order).toBe(own.length);
    expect(sameElements(pointGroup(s.name, orientationOf(s)).elements(), own, 1e-9), `${parent.name} ⊃ ${s.name}`).toBe(true);
    expect(sameElements(s.group.elements(), own, 1e-9)).toBe(true);
  }
  return list;
}

describe("subgroups", () => {
  for (const [name, count, classes] of KNOWN) {
    it(`${name}: ${count} subgroups in ${classes} conjugacy classes, each rebuilt exactly by pointGroup(name, orientation)`, () => {
      const parent = pointGroup(name);
      const list = checkAll(parent);
      expect(list.length).toBe(count);
      expect(subgroupClasses(parent).length).toBe(classes);
      expect(list[0]!.name).toBe(name);
      expect(list[list.length - 1]!.name).toBe("C1");
      for (let i = 1; i < list.length; i++) expect(list[i]!.order).toBeLessThanOrEqual(list[i - 1]!.order);
    });
  }

  it("lists conjugates separately: Oh has C4v about x, y and z in one class, three classes of C2v, two of Cs", () => {
    const classes = subgroupClasses(pointGroup("Oh"));
    const c4v = classes.filter((c) => c.name === "C4v");
    expect(c4v.length).toBe(1);
    expect(c4v[0]!.members.map((m) => m.axis)).toEqual([[0, 0, 1], [0, 1, 0], [1, 0, 0]]);
    // C2v: about a four-fold axis with the coordinate mirrors (3) or the diagonal ones (3), about a two-fold axis (6).
    expect(classes.filter((c) => c.name === "C2v").map((c) => c.members.length).sort()).toEqual([3, 3, 6]);
    expect(classes.filter((c) => c.name === "Cs").map((c) => c.members.length).sort()).toEqual([3, 6]);
    const d4h = classes.find((c) => c.name === "D4h")!;
    expect(d4h.members[0]).toMatchObject({ axis: [0, 0, 1], secondary: [1, 0, 0] });
    // Members of a class have one name and order; classIndex matches the position.
    classes.forEach((c, i) => {
      for (const m of c.members) expect([m.name, m.order, m.classIndex]).toEqual([c.name, c.members[0]!.order, i]);
    });
  });

  it("works in the user's frame: a randomly rotated Oh and Ih give the same counts with concrete rotated axes", () => {
    const rng = seededRng(7);
    for (const [name, count] of [["Oh", 98], ["Ih", 164]] as const) {
      const q = randomRotation(rng);
      const parent = pointGroup(name, { axis: [q[2]!, q[5]!, q[8]!], secondary: [q[0]!, q[3]!, q[6]!] });
      expect(sameElements(parent.elements(), pointGroup(name).elements().map((m) => matmul3(matmul3(q, m), transpose3(q))), 1e-12)).toBe(true);
      expect(checkAll(parent).length).toBe(count);
    }
  });

  it("takes well under a second for Oh and Ih", () => {
    for (const name of ["Oh", "Ih"]) {
      const parent = pointGroup(name);
      const t0 = performance.now();
      subgroups(parent);
      expect(performance.now() - t0, name).toBeLessThan(1000);
    }
  });

  it("rejects continuous groups", () => {
    expect(() => subgroups(pointGroup("D∞h"))).toThrow(/continuous/);
  });
});
