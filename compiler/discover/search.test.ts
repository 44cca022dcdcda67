import { describe, expect, it } from "vitest";
import { pointGroup } from "../o3/point-groups.js";
import { subgroups } from "../o3/subgroups.js";
import { isSubgroup } from "./group-order.js";
import { searchLargestFitting, type Candidate } from "./search.js";

const truth = pointGroup("C4v", { axis: [0, 0, 1], secondary: [1, 0, 0] });
const candidates: Candidate[] = subgroups(pointGroup("D4h"))
  .filter((s) => s.order > 1)
  .map((s) => ({ name: s.name, axis: s.axis, secondary: s.secondary, group: s.group, order: s.order }));
const fitsTruth = (c: Candidate) => isSubgroup(c.group, truth);
const isTruth = (c: Candidate) => fitsTruth(c) && isSubgroup(truth, c.group);

describe("searchLargestFitting", () => {
  it("descending, training only: finds C4v about z, trains no group smaller than it, prunes nothing it should not", async () => {
    const trained: Candidate[] = [];
    const r = await searchLargestFitting(candidates, 0.5, { train: async (c) => (trained.push(c), fitsTruth(c) ? 0 : 1) });
    expect(isTruth(r.best!)).toBe(true);
    expect(r.ties).toEqual([]);
    expect(trained.every((c) => c.order >= 8)).toBe(true);
    // D4h and every other order-8 subgroup of it were tried (each could have been the answer).
    expect(trained.length).toBe(candidates.filter((c) => c.order >= 8).length);
    expect(r.decisions.filter((d) => d.fits).map((d) => d.candidate)).toEqual([r.best]);
  });

  it("descending with the data bound and the witness: nothing is trained when they decide everything", async () => {
    let trainings = 0;
    const r = await searchLargestFitting(candidates, 0.5, {
      bound: (c) => (fitsTruth(c) ? 0 : 2),
      witness: async (c) => (fitsTruth(c) ? 0.1 : 3),
      train: async () => (trainings++, 0),
    });
    expect(trainings).toBe(0);
    expect(isTruth(r.best!)).toBe(true);
    const best = r.decisions.find((d) => d.candidate === r.best)!;
    expect([best.by, best.loss]).toEqual(["witness", 0.1]);
    expect(r.decisions.filter((d) => !d.fits).every((d) => d.by === "bound" && d.loss === 2)).toBe(true);
  });

  it("ascending: a group containing one that does not fit is decided without training", async () => {
    const trained: Candidate[] = [];
    const r = await searchLargestFitting(candidates, 0.5, { train: async (c) => (trained.push(c), fitsTruth(c) ? 0 : 1) }, { order: "ascending" });
    expect(isTruth(r.best!)).toBe(true);
    const implied = r.decisions.filter((d) => d.by === "implied");
    expect(implied.length).toBeGreaterThan(0);
    for (const d of implied) {
      expect(d.fits).toBe(false);
      expect(isSubgroup(d.via!.group, d.candidate.group)).toBe(true);
      expect(trained).not.toContain(d.candidate);
    }
    expect(trained.length).toBeLessThan(candidates.length);
  });

  it("reports groups of the answer's order that fit too, and null when nothing fits", async () => {
    const two = [pointGroup("C2v", { axis: [0, 0, 1], secondary: [1, 0, 0] }), pointGroup("C2v", { axis: [1, 0, 0], secondary: [0, 1, 0] })].map((g) => ({ name: g.name, axis: null, secondary: null, group: g, order: g.order }));
    const r = await searchLargestFitting(two, 0.5, { train: async () => 0 });
    expect([r.best, r.ties]).toEqual([two[0], [two[1]]]);
    const none = await searchLargestFitting(two, 0.5, { train: async () => Number.NaN });
    expect(none.best).toBeNull();
    expect(none.decisions.every((d) => !d.fits)).toBe(true);
  });
});
