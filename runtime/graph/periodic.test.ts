// Periodic radius and knn graphs against brute force over a generous block of images, and their use in batches.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { batchGraphs, BatchInputError } from "./batching.js";
import { periodicKnnGraph, periodicRadiusGraph } from "./periodic.js";

/** Every (src, dst, shift) with |pos[dst] - pos[src] + shift| < r over images |m| <= 6, as sorted strings. */
function bruteRadius(pos: number[], cell: number[], pbc: boolean[], r: number): string[] {
  const n = pos.length / 3, out: string[] = [];
  const R = pbc.map((p) => (p ? 6 : 0));
  for (let d = 0; d < n; d++)
    for (let s = 0; s < n; s++)
      for (let i = -R[0]!; i <= R[0]!; i++)
        for (let j = -R[1]!; j <= R[1]!; j++)
          for (let k = -R[2]!; k <= R[2]!; k++) {
            const shift = [0, 1, 2].map((c) => -(i * cell[c]! + j * cell[3 + c]! + k * cell[6 + c]!));
            const v = [0, 1, 2].map((c) => pos[3 * d + c]! - pos[3 * s + c]! + shift[c]!);
            const len = Math.hypot(v[0]!, v[1]!, v[2]!);
            if (len > 0 && len < r) out.push(`${s}>${d}@${shift.map((x) => x.toFixed(6)).join(",")}`);
          }
  return out.sort();
}

const asStrings = (g: { src: Uint32Array; dst: Uint32Array; shift: Float64Array }) =>
  Array.from(g.src, (s, e) => `${s}>${g.dst[e]}@${Array.from(g.shift.subarray(3 * e, 3 * e + 3), (x) => (x + 0).toFixed(6)).join(",")}`).sort();

const SKEWED = [2, 0, 0, 0.7, 1.8, 0, 0.3, -0.4, 2.2];

describe("periodic graphs", () => {
  it("radius: exactly the images within the radius, for skewed cells, partial periodicity and atoms outside the cell", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -3, max: 5, noNaN: true }), { minLength: 3, maxLength: 15 }).filter((a) => a.length % 3 === 0),
        fc.constantFrom<boolean[]>([true, true, true], [true, true, false], [false, false, true]),
        fc.double({ min: 0.5, max: 3.5, noNaN: true }),
        (pos, pbc, r) => {
          expect(asStrings(periodicRadiusGraph(pos, { vectors: SKEWED, pbc }, r))).toEqual(bruteRadius(pos, SKEWED, pbc, r));
        },
      ),
      { numRuns: 60, seed: 3 },
    );
  });

  it("radius: one atom in a cubic cell of side 1 has its 6 nearest images at distance 1 (and 12 more within 1.5)", () => {
    const g = periodicRadiusGraph([0.2, 0.3, 0.4], { vectors: [1, 0, 0, 0, 1, 0, 0, 0, 1] }, 1.01);
    expect(g.src.length).toBe(6);
    expect(periodicRadiusGraph([0.2, 0.3, 0.4], { vectors: [1, 0, 0, 0, 1, 0, 0, 0, 1] }, 1.5).src.length).toBe(18);
  });

  it("knn: each node's k nearest images (distances equal to brute force)", () => {
    const pos = [0.1, 0.2, 0.3, 1.1, 0.9, 1.7, 1.6, 1.2, 0.2];
    const g = periodicKnnGraph(pos, { vectors: SKEWED }, 20);
    const all = bruteRadius(pos, SKEWED, [true, true, true], 4.5);
    for (let d = 0; d < 3; d++) {
      const lengths = (edges: string[]) => edges.filter((e) => e.split("@")[0]!.endsWith(`>${d}`)).map((e) => {
        const [st, sh] = e.split("@");
        const s = Number(st!.split(">")[0]);
        const shift = sh!.split(",").map(Number);
        return Math.hypot(...[0, 1, 2].map((c) => pos[3 * d + c]! - pos[3 * s + c]! + shift[c]!)).toFixed(9);
      }).sort();
      expect(lengths(asStrings(g))).toEqual(lengths(all).slice(0, 20));
    }
  });

  it("batches carry the shifts and shifted edge vectors; a cell needs a radius or knn graph and a real volume", () => {
    const spec = { positions: "pos", graph: { mode: "radius" as const, radius: 1.01 }, fields: [{ name: "pos", dim: 3, domain: "node" as const }] };
    const b = batchGraphs([{ numNodes: 1, features: { pos: [0, 0, 0] } }, { numNodes: 1, features: { pos: [0.5, 0.5, 0.5] }, cell: { vectors: [1, 0, 0, 0, 1, 0, 0, 0, 1] } }], spec);
    expect(b.numEdges).toBe(6);
    expect(Array.from(b.edgeDst)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(b.edgeVectors!.map((v, i) => v - b.edgeShifts![i]!).every((v) => v === 0)).toBe(true);
    expect(new Set(Array.from({ length: 6 }, (_, e) => Array.from(b.edgeVectors!.subarray(3 * e, 3 * e + 3)).join(",")))).toEqual(
      new Set(["-1,0,0", "0,-1,0", "0,0,-1", "0,0,1", "0,1,0", "1,0,0"]),
    );
    const flat = { numNodes: 1, features: { pos: [0, 0, 0] }, cell: { vectors: [1, 0, 0, 2, 0, 0, 0, 0, 1] } };
    expect(() => batchGraphs([flat], spec)).toThrow(new BatchInputError("graphs[0].cell.vectors", "the lattice vectors are not independent (zero volume)"));
    expect(() => batchGraphs([{ ...flat, cell: { vectors: [1, 0, 0, 0, 1, 0, 0, 0, 1] } }], { ...spec, graph: { mode: "full" } })).toThrow(
      'graphs[0].cell: a periodic cell needs a radius or knn graph (spec.graph.mode is "full")',
    );
    expect(() => batchGraphs([{ ...flat, cell: { vectors: [1e-3, 0, 0, 0, 1e-3, 0, 0, 0, 1e-3] } }], spec)).toThrow(/graphs\[0\]\.cell: the cell is too small/);
  });
});
