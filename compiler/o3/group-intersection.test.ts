import { describe, expect, it } from "vitest";
import { sameElements } from "./group-identify.js";
import { intersectGroups, namedGroup } from "./group-intersection.js";
import { pointGroup } from "./point-groups.js";

const s2 = Math.SQRT1_2, s3 = 1 / Math.sqrt(3);
const round = (v: number[] | null) => v && v.map((x) => +x.toFixed(12));

describe("intersectGroups", () => {
  it("D∞h about z with the input's Oh is D4h about z (the paper's cube → prism)", () => {
    const r = intersectGroups(pointGroup("D∞h"), pointGroup("Oh"));
    expect([r.name, r.axis, r.secondary]).toEqual(["D4h", [0, 0, 1], [1, 0, 0]]);
  });

  it("C∞v about (0, 1, 1) with Oh is C2v about (0, 1, 1)/√2; about (1, 1, 1) it is C3v", () => {
    const a = intersectGroups(pointGroup("C∞v", { axis: [0, 1, 1] }), pointGroup("Oh"));
    expect([a.name, round(a.axis), a.secondary]).toEqual(["C2v", round([0, s2, s2]), [1, 0, 0]]);
    const b = intersectGroups(pointGroup("C∞v", { axis: [1, 1, 1] }), pointGroup("Oh"));
    expect([b.name, round(b.axis)]).toEqual(["C3v", round([s3, s3, s3])]);
    // Its mirrors contain (1, 1, 1) and a face diagonal: the secondary is (1, -1, 0)/√2 or a rotation of it by 60°.
    expect(sameElements(b.group.elements(), pointGroup("Oh").elements().filter((m) => pointGroup("C∞v", { axis: [1, 1, 1] }).contains(m)), 1e-12)).toBe(true);
  });

  it("is symmetric, tolerates an axis measured to a few digits, and keeps continuous groups whole with O(3)", () => {
    const near = pointGroup("D∞h", { axis: [1e-6, -2e-6, 1] });
    const r = intersectGroups(pointGroup("Oh"), near);
    expect([r.name, r.axis, r.secondary]).toEqual(["D4h", [0, 0, 1], [1, 0, 0]]);
    expect(() => intersectGroups(pointGroup("Oh"), near, { tolerance: 1e-9 })).not.toThrow();
    expect(intersectGroups(pointGroup("Oh"), near, { tolerance: 1e-9 }).name).not.toBe("D4h");
    expect(intersectGroups(pointGroup("O(3)"), pointGroup("C∞v", { axis: [0, 1, 0] }))).toMatchObject({ name: "C∞v", axis: [0, 1, 0], secondary: null });
    expect(intersectGroups(pointGroup("O(3)"), pointGroup("SO(3)")).name).toBe("SO(3)");
    expect(intersectGroups(pointGroup("SO(3)"), pointGroup("Oh")).name).toBe("O");
    expect(intersectGroups(pointGroup("SO(3)"), pointGroup("D∞h")).name).toBe("D∞");
  });

  it("intersects two axial groups about one axis component by component", () => {
    const cases: [string, string, string][] = [
      ["C∞v", "C∞h", "C∞"], ["D∞h", "C∞v", "C∞v"], ["D∞h", "C∞h", "C∞h"], ["D∞", "C∞v", "C∞"], ["D∞h", "D∞", "D∞"], ["D∞h", "D∞h", "D∞h"],
    ];
    for (const [x, y, want] of cases) {
      const r = intersectGroups(pointGroup(x, { axis: [0, 0, -1] }), pointGroup(y));
      expect([r.name, r.axis], `${x} ∩ ${y}`).toEqual([want, [0, 0, 1]]);
    }
  });

  it("intersects axial groups about different axes inside the groups that keep both lines", () => {
    // Mirrors containing z and x: only the plane y = 0.
    expect(intersectGroups(pointGroup("C∞v"), pointGroup("C∞v", { axis: [1, 0, 0] }))).toMatchObject({ name: "Cs", axis: [0, 1, 0] });
    expect(intersectGroups(pointGroup("D∞h"), pointGroup("D∞h", { axis: [1, 0, 0] }))).toMatchObject({ name: "D2h", axis: [0, 0, 1], secondary: [1, 0, 0] });
    // Oblique axes z and (1, 0, 1): the inversion, the half turn about y and the mirror y = 0.
    expect(intersectGroups(pointGroup("D∞h"), pointGroup("D∞h", { axis: [1, 0, 1] }))).toMatchObject({ name: "C2h", axis: [0, 1, 0] });
    expect(intersectGroups(pointGroup("C∞"), pointGroup("C∞", { axis: [1, 0, 1] })).name).toBe("C1");
  });

  it("namedGroup gives any group its canonical orientation", () => {
    expect(namedGroup(pointGroup("C4v", { axis: [0, 0, -1], secondary: [0, 1, 0] }))).toMatchObject({ name: "C4v", axis: [0, 0, 1], secondary: [1, 0, 0] });
    expect(namedGroup(pointGroup("C∞v", { axis: [0, -1, 0] }))).toMatchObject({ name: "C∞v", axis: [0, 1, 0], secondary: null });
    expect(namedGroup(pointGroup("O(3)"))).toMatchObject({ name: "O(3)", axis: null, secondary: null });
  });
});
