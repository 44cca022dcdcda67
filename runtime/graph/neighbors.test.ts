import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fullGraph, knnGraph, radiusGraph, type EdgeList } from "./neighbors.js";

// ---- brute-force references, O(N^2), with the documented distance expression ----

function squaredDistance(pos: ArrayLike<number>, dst: number, src: number): number {
  const dx = pos[3 * dst] - pos[3 * src];
  const dy = pos[3 * dst + 1] - pos[3 * src + 1];
  const dz = pos[3 * dst + 2] - pos[3 * src + 2];
  return dx * dx + dy * dy + dz * dz;
}

/**
 * For each dst: the sources passing `keep`, the first `limit` of them by (distance, index), listed by index
 * (plus dst itself with selfLoops).
 */
function bruteForce(pos: number[], keep: (d2: number) => boolean, limit: number, selfLoops = false): [number, number][] {
  const n = pos.length / 3;
  const edges: [number, number][] = [];
  for (let dst = 0; dst < n; dst++) {
    // Sorted insertion into the best `limit` so far: O(N * limit), fast enough for a few thousand points.
    const best: { src: number; d2: number }[] = [];
    for (let src = 0; src < n; src++) {
      if (src === dst) continue;
      const d2 = squaredDistance(pos, dst, src);
      if (!keep(d2)) continue;
      let slot = best.length;
      while (slot > 0 && best[slot - 1].d2 > d2) slot--; // equal d2: the earlier (lower) src stays first
      if (slot < limit) {
        best.splice(slot, 0, { src, d2 });
        if (best.length > limit) best.pop();
      }
    }
    const kept = best.map((s) => s.src);
    if (selfLoops) kept.push(dst);
    kept.sort((a, b) => a - b);
    for (const src of kept) edges.push([src, dst]);
  }
  return edges;
}

const bruteRadius = (pos: number[], radius: number, maxNeighbors = Infinity, selfLoops = false) =>
  bruteForce(pos, (d2) => d2 < radius * radius, maxNeighbors, selfLoops);
const bruteKnn = (pos: number[], k: number) => bruteForce(pos, () => true, k);

function pairs(edges: EdgeList): [number, number][] {
  expect(edges.src.length).toBe(edges.dst.length);
  return Array.from(edges.src, (s, e) => [s, edges.dst[e]] as [number, number]);
}

/** Same edges in the same order; on a mismatch, shows the neighbourhood of the first difference only. */
function expectEdges(got: EdgeList, want: [number, number][]): void {
  const have = pairs(got);
  const n = Math.max(have.length, want.length);
  for (let e = 0; e < n; e++) {
    if (have[e]?.[0] !== want[e]?.[0] || have[e]?.[1] !== want[e]?.[1]) {
      expect({ from: e, got: have.slice(e, e + 5) }).toEqual({ from: e, got: want.slice(e, e + 5) });
    }
  }
}

// ---- point sets: uniform, lattice (many equal distances), duplicates, and widely spread clusters ----

const point = (coord: fc.Arbitrary<number>) => fc.tuple(coord, coord, coord);
const flat = (points: [number, number, number][]) => points.flat();

const uniformPoints = fc.array(point(fc.double({ min: -3, max: 3, noNaN: true })), { maxLength: 50 }).map(flat);
/** Integer lattice points, scaled by 1 or 0.5 (exact) or 0.1 (inexact), so distances repeat and tie. */
const latticePoints = fc
  .tuple(fc.array(point(fc.integer({ min: 0, max: 3 })), { maxLength: 50 }), fc.constantFrom(1, 0.5, 0.1))
  .map(([points, scale]) => flat(points).map((v) => v * scale));
/** Points drawn from a pool of at most 5 positions: many coincide. */
const duplicatePoints = fc
  .tuple(fc.array(point(fc.double({ min: -1, max: 1, noNaN: true })), { minLength: 1, maxLength: 5 }), fc.array(fc.nat(), { maxLength: 40 }))
  .map(([pool, picks]) => flat(picks.map((i) => pool[i % pool.length])));
/** A few tight clusters a million apart: the cell grid stores only occupied cells. */
const spreadPoints = fc
  .tuple(
    fc.array(point(fc.double({ min: -1e6, max: 1e6, noNaN: true })), { minLength: 1, maxLength: 4 }),
    fc.array(fc.tuple(fc.nat(), point(fc.double({ min: -2, max: 2, noNaN: true }))), { maxLength: 40 }),
  )
  .map(([centres, members]) =>
    flat(members.map(([c, off]) => {
      const centre = centres[c % centres.length];
      return [centre[0] + off[0], centre[1] + off[1], centre[2] + off[2]] as [number, number, number];
    })),
  );
const anyPoints = fc.oneof(uniformPoints, latticePoints, duplicatePoints, spreadPoints);

/** Radii that often equal a lattice distance exactly (1, 2, 0.5, sqrt 2, sqrt 3...) or fall anywhere. */
const radius = fc.oneof(
  fc.constantFrom(1, 2, 0.5, 1.5, 3, Math.SQRT2, Math.sqrt(3), 0.1, 0.2, 0.30000000000000004),
  fc.double({ min: 1e-3, max: 5, noNaN: true }),
);

describe("radiusGraph", () => {
  it("matches brute force on random point sets, with and without maxNeighbors and self loops (property)", () => {
    fc.assert(
      fc.property(
        anyPoints,
        radius,
        fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }),
        fc.boolean(),
        (pos, r, maxNeighbors, selfLoops) => {
          const got = pairs(radiusGraph(Float64Array.from(pos), r, { maxNeighbors, selfLoops }));
          expect(got).toEqual(bruteRadius(pos, r, maxNeighbors ?? Infinity, selfLoops));
        },
      ),
      { numRuns: 400 },
    );
  });

  it("matches brute force on 1500 lattice points with many ties", () => {
    const pos: number[] = [];
    for (let i = 0; i < 1500; i++) pos.push((i * 7) % 13, (i * 5) % 11, (i * 3) % 9);
    for (const r of [1, Math.SQRT2, 2]) {
      expectEdges(radiusGraph(pos, r), bruteRadius(pos, r));
      expectEdges(radiusGraph(pos, r, { maxNeighbors: 4 }), bruteRadius(pos, r, 4));
    }
  });

  it("excludes pairs exactly one radius apart (the comparison is strict)", () => {
    const line = [0, 0, 0, 1, 0, 0, 2, 0, 0];
    expect(pairs(radiusGraph(line, 1))).toEqual([]);
    expect(pairs(radiusGraph(line, 1.5))).toEqual([
      [1, 0],
      [0, 1],
      [2, 1],
      [1, 2],
    ]);
    expect(pairs(radiusGraph(line, 2.5, { selfLoops: true }))).toEqual([
      [0, 0], [1, 0], [2, 0],
      [0, 1], [1, 1], [2, 1],
      [0, 2], [1, 2], [2, 2],
    ]);
  });

  it("keeps the maxNeighbors nearest sources, ties to the lower index, self loops on top", () => {
    // Node 0 at the origin; nodes 1..4 at distances 2, 1, 1, 1.5; node 5 coincides with node 0.
    const pos = [0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, -1, 0, 0, 1.5, 0, 0, 0];
    const intoNode0 = (edges: EdgeList) => pairs(edges).filter(([, d]) => d === 0).map(([s]) => s);
    expect(intoNode0(radiusGraph(pos, 3))).toEqual([1, 2, 3, 4, 5]);
    expect(intoNode0(radiusGraph(pos, 3, { maxNeighbors: 1 }))).toEqual([5]);
    expect(intoNode0(radiusGraph(pos, 3, { maxNeighbors: 2 }))).toEqual([2, 5]);
    expect(intoNode0(radiusGraph(pos, 3, { maxNeighbors: 3 }))).toEqual([2, 3, 5]);
    expect(intoNode0(radiusGraph(pos, 3, { maxNeighbors: 4 }))).toEqual([2, 3, 4, 5]);
    expect(intoNode0(radiusGraph(pos, 3, { maxNeighbors: 3, selfLoops: true }))).toEqual([0, 2, 3, 5]);
    expect(intoNode0(radiusGraph(pos, 3, { maxNeighbors: 0, selfLoops: true }))).toEqual([0]);
    expect(pairs(radiusGraph(pos, 3, { maxNeighbors: 0 }))).toEqual([]);
  });

  it("handles empty and single-node inputs", () => {
    expect(pairs(radiusGraph([], 1))).toEqual([]);
    expect(pairs(radiusGraph([1, 2, 3], 1))).toEqual([]);
    expect(pairs(radiusGraph([1, 2, 3], 1, { selfLoops: true }))).toEqual([[0, 0]]);
  });

  it("rejects bad positions, radius and maxNeighbors", () => {
    expect(() => radiusGraph([0, 0], 1)).toThrow("pos: expected 3 numbers per node, got 2 numbers");
    expect(() => radiusGraph([0, 0, 0, 0, NaN, 0], 1)).toThrow("pos[4]: not a finite number");
    expect(() => radiusGraph([0, 0, Infinity], 1)).toThrow("pos[2]: not a finite number");
    expect(() => radiusGraph([0, 0, 0], 0)).toThrow("radius must be a finite positive number, got 0");
    expect(() => radiusGraph([0, 0, 0], Infinity)).toThrow("radius must be a finite positive number, got Infinity");
    expect(() => radiusGraph([0, 0, 0], 1, { maxNeighbors: 1.5 })).toThrow("maxNeighbors must be a non-negative integer, got 1.5");
  });
});

describe("knnGraph", () => {
  it("matches brute force on random point sets (property)", () => {
    fc.assert(
      fc.property(anyPoints, fc.integer({ min: 0, max: 12 }), (pos, k) => {
        expect(pairs(knnGraph(Float64Array.from(pos), k))).toEqual(bruteKnn(pos, k));
      }),
      { numRuns: 400 },
    );
  });

  it("matches brute force on 2000 points with ties (deep tree, sampled selection)", () => {
    const pos: number[] = [];
    for (let i = 0; i < 2000; i++) pos.push((i * 7) % 13, (i * 5) % 11, ((i * 3) % 9) * 0.5);
    for (const k of [1, 6, 17]) expectEdges(knnGraph(pos, k), bruteKnn(pos, k));
  });

  it("gives every other node when there are fewer than k, and nothing for k = 0", () => {
    const pos = [0, 0, 0, 5, 0, 0, 1, 0, 0];
    expect(pairs(knnGraph(pos, 10))).toEqual(pairs(fullGraph(3)));
    expect(pairs(knnGraph(pos, 1))).toEqual([
      [2, 0],
      [2, 1],
      [0, 2],
    ]);
    expect(pairs(knnGraph(pos, 0))).toEqual([]);
    expect(pairs(knnGraph([], 3))).toEqual([]);
  });

  it("rejects a bad k", () => {
    expect(() => knnGraph([0, 0, 0], -1)).toThrow("k must be a non-negative integer, got -1");
    expect(() => knnGraph([0, 0, 0], 2.5)).toThrow("k must be a non-negative integer, got 2.5");
  });
});

describe("fullGraph", () => {
  it("lists every ordered pair of distinct nodes, by destination then source", () => {
    expect(pairs(fullGraph(3))).toEqual([
      [1, 0],
      [2, 0],
      [0, 1],
      [2, 1],
      [0, 2],
      [1, 2],
    ]);
    expect(pairs(fullGraph(0))).toEqual([]);
    expect(pairs(fullGraph(1))).toEqual([]);
    expect(fullGraph(50).src.length).toBe(50 * 49);
  });

  it("rejects a bad node count", () => {
    expect(() => fullGraph(-2)).toThrow("numNodes must be a non-negative integer, got -2");
    expect(() => fullGraph(100_000)).toThrow("a full graph on 100000 nodes has 9999900000 edges, more than 4294967295");
  });
});
