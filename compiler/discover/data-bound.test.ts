import { describe, expect, it } from "vitest";
import { pointGroup } from "../o3/point-groups.js";
import { irrepsD } from "../o3/wigner-d.js";
import { Irreps } from "../o3/irreps.js";
import { seededRng, randomNormal } from "../o3/rotation.js";
import { epochLossBound, symmetrisationDistance } from "./data-bound.js";

// Two nodes at (±1, 0, 0): the mirror x -> -x swaps them.
const mirror = pointGroup("Cs", { axis: [1, 0, 0] });
const ops = [
  { matrix: [1, 0, 0, 0, 1, 0, 0, 0, 1], permutation: [0, 1] },
  { matrix: [-1, 0, 0, 0, 1, 0, 0, 0, 1], permutation: [1, 0] },
];

describe("symmetrisationDistance", () => {
  it("is 0 for a symmetric target and ||t − P t||² otherwise", () => {
    expect(symmetrisationDistance({ numNodes: 2, target: [1, 0, 0, -1, 0, 0], operations: ops }, "1o", "node", mirror)).toBeCloseTo(0, 12);
    // t0 = t1 = x: the mirror images disagree in x; the average keeps only (0, 0, 0) at both nodes.
    expect(symmetrisationDistance({ numNodes: 2, target: [1, 0, 0, 1, 0, 0], operations: ops }, "1o", "node", mirror)).toBeCloseTo(2, 12);
    // A pseudovector (1e) along x is mirror-even: (x, 0, 0) at both nodes is symmetric.
    expect(symmetrisationDistance({ numNodes: 2, target: [1, 0, 0, 1, 0, 0], operations: ops }, "1e", "node", mirror)).toBeCloseTo(0, 12);
  });

  it("is a lower bound: every mirror-symmetric prediction is at least as far from the target", () => {
    const rng = seededRng(3);
    const irreps = "0e + 1o + 2e", dim = Irreps.parse(irreps).dim;
    const t = Array.from({ length: 2 * dim }, () => randomNormal(rng));
    const bound = symmetrisationDistance({ numNodes: 2, target: t, operations: ops }, irreps, "node", mirror);
    const D = irrepsD(Irreps.parse(irreps), ops[1]!.matrix);
    for (let k = 0; k < 20; k++) {
      const y0 = Array.from({ length: dim }, () => randomNormal(rng));
      const y1 = Array.from({ length: dim }, (_, a) => y0.reduce((s, v, b) => s + D[a * dim + b]! * v, 0));
      const y = [...y0, ...y1];
      expect(y.reduce((s, v, i) => s + (v - t[i]!) ** 2, 0)).toBeGreaterThanOrEqual(bound - 1e-12);
    }
  });

  it("refuses a group that is no symmetry of the input", () => {
    expect(() => symmetrisationDistance({ numNodes: 2, target: [1, 0, 0, 1, 0, 0], operations: ops }, "1o", "node", pointGroup("C2", { axis: [0, 0, 1] }))).toThrow(/not a symmetry of the input/);
  });
});

describe("epochLossBound", () => {
  it("adds per batch: sse sums, mse divides each batch by its entries", () => {
    expect(epochLossBound([1, 2, 3], [3, 3, 6], "sse", 2, [2, 0, 1])).toBe(6);
    expect(epochLossBound([1, 2, 3], [3, 3, 6], "mse", 2, [2, 0, 1])).toBeCloseTo(4 / 9 + 2 / 3, 12);
  });
});
