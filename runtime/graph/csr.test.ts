import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildCsr, sortEdgesByDestination } from "./csr.js";

/** A random multigraph: node count and edges (duplicates and self loops allowed). */
const randomGraph = fc.integer({ min: 0, max: 25 }).chain((numNodes) =>
  fc
    .array(
      numNodes === 0 ? fc.constant<[number, number]>([0, 0]) : fc.tuple(fc.nat(numNodes - 1), fc.nat(numNodes - 1)),
      { maxLength: numNodes === 0 ? 0 : 80 },
    )
    .map((edges) => ({ numNodes, src: edges.map((e) => e[0]), dst: edges.map((e) => e[1]) })),
);

function referenceOrder(src: number[], dst: number[]): number[] {
  return src.map((_, e) => e).sort((a, b) => dst[a] - dst[b] || src[a] - src[b] || a - b);
}

describe("sortEdgesByDestination", () => {
  it("orders by destination, then source, stably, and returns the permutation", () => {
    const sorted = sortEdgesByDestination([2, 0, 1, 0, 2, 0], [1, 2, 1, 1, 0, 2]);
    expect([...sorted.permutation]).toEqual([4, 3, 2, 0, 1, 5]);
    expect([...sorted.src]).toEqual([2, 0, 1, 2, 0, 0]);
    expect([...sorted.dst]).toEqual([0, 1, 1, 1, 2, 2]);
  });

  it("matches a reference comparison sort on random multigraphs (property)", () => {
    fc.assert(
      fc.property(randomGraph, ({ numNodes, src, dst }) => {
        const expected = referenceOrder(src, dst);
        for (const n of [numNodes, undefined]) {
          const sorted = sortEdgesByDestination(src, dst, n);
          expect([...sorted.permutation]).toEqual(expected);
          expect([...sorted.src]).toEqual(expected.map((e) => src[e]));
          expect([...sorted.dst]).toEqual(expected.map((e) => dst[e]));
        }
      }),
      { numRuns: 200 },
    );
  });

  it("sorts few edges with huge node indices by comparison, with the same result", () => {
    const src = [4_000_000_000, 7, 3_000_000_000, 7];
    const dst = [5, 4_000_000_000, 5, 5];
    const sorted = sortEdgesByDestination(src, dst);
    expect([...sorted.permutation]).toEqual(referenceOrder(src, dst));
    expect([...sorted.permutation]).toEqual([3, 2, 0, 1]);
  });

  it("rejects bad indices, naming the edge and the value", () => {
    expect(() => sortEdgesByDestination([0, 1], [1])).toThrow("edge arrays differ in length: 2 sources, 1 destinations");
    expect(() => sortEdgesByDestination([0, 1, 5], [1, 0, 0], 5)).toThrow("edge 2 has src 5, out of range for 5 nodes");
    expect(() => sortEdgesByDestination([0, 1], [1, -1])).toThrow(
      "edge 1 has dst -1, which is not a node index (a non-negative integer)",
    );
    expect(() => sortEdgesByDestination([0, 1.5], [1, 0])).toThrow("edge 1 has src 1.5, which is not a node index");
    expect(() => sortEdgesByDestination([NaN], [0])).toThrow("edge 0 has src NaN, which is not a node index");
    expect(() => sortEdgesByDestination([0], [2 ** 32])).toThrow("edge 0 has dst 4294967296, out of range for a Uint32 index");
  });
});

describe("buildCsr", () => {
  it("builds both indexes of a small graph", () => {
    // Edges (sorted): 1->0, 2->0, 0->1, 2->1, 2->2; node 3 is isolated.
    const csr = buildCsr(4, [1, 2, 0, 2, 2], [0, 0, 1, 1, 2]);
    expect([...csr.dstOffsets]).toEqual([0, 2, 4, 5, 5]);
    expect([...csr.srcOffsets]).toEqual([0, 1, 2, 5, 5]);
    expect([...csr.srcEdges]).toEqual([2, 0, 1, 3, 4]);
  });

  it("handles graphs without nodes or edges", () => {
    const empty = buildCsr(0, [], []);
    expect([...empty.dstOffsets]).toEqual([0]);
    expect([...empty.srcOffsets]).toEqual([0]);
    expect(empty.srcEdges.length).toBe(0);
    const isolated = buildCsr(3, new Uint32Array(0), new Uint32Array(0));
    expect([...isolated.dstOffsets]).toEqual([0, 0, 0, 0]);
    expect([...isolated.srcOffsets]).toEqual([0, 0, 0, 0]);
  });

  it("satisfies the CSR invariants on random multigraphs (property)", () => {
    fc.assert(
      fc.property(randomGraph, ({ numNodes, src: rawSrc, dst: rawDst }) => {
        const { src, dst } = sortEdgesByDestination(rawSrc, rawDst, numNodes);
        const numEdges = src.length;
        const { dstOffsets, srcOffsets, srcEdges } = buildCsr(numNodes, src, dst);
        for (const offsets of [dstOffsets, srcOffsets]) {
          expect(offsets.length).toBe(numNodes + 1);
          expect(offsets[0]).toBe(0);
          expect(offsets[numNodes]).toBe(numEdges);
          for (let i = 0; i < numNodes; i++) expect(offsets[i + 1]).toBeGreaterThanOrEqual(offsets[i]);
        }
        // By destination: every edge exactly once, in the range of its own destination.
        const seenByDst = new Uint8Array(numEdges);
        for (let i = 0; i < numNodes; i++) {
          for (let e = dstOffsets[i]; e < dstOffsets[i + 1]; e++) {
            expect(dst[e]).toBe(i);
            seenByDst[e]++;
          }
        }
        expect([...seenByDst].every((c) => c === 1)).toBe(true);
        // By source: every edge id exactly once, under its own source, increasing per node.
        expect(srcEdges.length).toBe(numEdges);
        const seenBySrc = new Uint8Array(numEdges);
        for (let i = 0; i < numNodes; i++) {
          for (let p = srcOffsets[i]; p < srcOffsets[i + 1]; p++) {
            const e = srcEdges[p];
            expect(src[e]).toBe(i);
            if (p > srcOffsets[i]) expect(e).toBeGreaterThan(srcEdges[p - 1]);
            seenBySrc[e]++;
          }
        }
        expect([...seenBySrc].every((c) => c === 1)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it("rejects unsorted edges and bad indices with the edge and value", () => {
    expect(() => buildCsr(3, [0, 1], [2, 1])).toThrow(
      "edges are not sorted by destination, then source: edge 1 (1 -> 1) comes after edge 0 (0 -> 2); sort them with sortEdgesByDestination first",
    );
    expect(() => buildCsr(3, [2, 1], [0, 0])).toThrow("edge 1 (1 -> 0) comes after edge 0 (2 -> 0)");
    expect(() => buildCsr(3, [0, 3], [0, 1])).toThrow("edge 1 has src 3, out of range for 3 nodes");
    expect(() => buildCsr(1, [0], [0.5])).toThrow("edge 0 has dst 0.5, which is not a node index (a non-negative integer)");
    expect(() => buildCsr(-1, [], [])).toThrow("numNodes must be an integer in [0, 4294967295], got -1");
  });
});
