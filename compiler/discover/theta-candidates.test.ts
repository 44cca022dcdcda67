import { describe, expect, it } from "vitest";
import { pointGroup } from "../o3/point-groups.js";
import { isSubgroup } from "./group-order.js";
import { candidateFrame, groupsContaining } from "./theta-candidates.js";

describe("candidates from the relaxed model's θ", () => {
  // The charged particle's θ (0e + 0o + 1o + 1e): 1o along E = x, 1e along B = y; it keeps Cs, normal y.
  const theta = { theta: [1, 0, 0.8, 0, 0, 0, 0.5, 0], irreps: "0e + 0o + 1o + 1e" };
  const cs = pointGroup("Cs", { axis: [0, 1, 0] });

  it("the frame: the mirror normal, then θ's vector in the plane, then their cross product", () => {
    const f = candidateFrame({ axis: [0, 1, 0], secondary: null }, [theta])!;
    expect(f[0]).toEqual([0, 1, 0]);
    expect(f[1]!.map((v) => Math.abs(v))).toEqual([1, 0, 0]);
    expect(Math.abs(f[2]![2]!)).toBeCloseTo(1, 12);
  });

  it("every candidate contains Cs (normal y), none equals it, and the small overgroups are there", () => {
    const c = groupsContaining(cs, candidateFrame({ axis: [0, 1, 0], secondary: null }, [theta]));
    expect(c.length).toBeGreaterThan(10);
    for (const x of c) {
      expect(isSubgroup(cs, x.group), `${x.name}`).toBe(true);
      expect(isSubgroup(x.group, cs), `${x.name}`).toBe(false);
    }
    const has = (name: string, axis: number[]) => c.some((x) => x.name === name && x.axis && Math.abs(x.axis.reduce((s, v, i) => s + v * axis[i]!, 0)) > 0.999);
    expect(has("C2h", [0, 1, 0])).toBe(true);
    expect(has("C2v", [1, 0, 0])).toBe(true);
    expect(has("C2v", [0, 0, 1])).toBe(true);
    expect(c.some((x) => x.name === "O(3)")).toBe(true);
    // No duplicates: two candidates are never the same set of matrices.
    for (let i = 0; i < c.length; i++) for (let j = i + 1; j < c.length; j++) expect(isSubgroup(c[i]!.group, c[j]!.group) && isSubgroup(c[j]!.group, c[i]!.group)).toBe(false);
  });
});
