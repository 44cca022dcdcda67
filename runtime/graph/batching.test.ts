import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { GraphBatch } from "./batch.js";
import { BatchInputError, batchGraphs, type BatchSpec, type GraphInput } from "./batching.js";

const list = (a: ArrayLike<number> | undefined) => (a === undefined ? undefined : Array.from(a));

/** The index arrays of a batch as plain arrays, for exact comparison. */
function indexArrays(b: GraphBatch) {
  return {
    numGraphs: b.numGraphs,
    numNodes: b.numNodes,
    numEdges: b.numEdges,
    nodeGraph: list(b.nodeGraph),
    graphNodeOffsets: list(b.graphNodeOffsets),
    edgeSrc: list(b.edgeSrc),
    edgeDst: list(b.edgeDst),
    dstOffsets: list(b.dstOffsets),
    srcOffsets: list(b.srcOffsets),
    srcEdges: list(b.srcEdges),
  };
}

/** Three graphs with explicit, unsorted edges (2, 4 and 0 of them) and a per-edge feature w. */
const threeGraphs: GraphInput[] = [
  {
    numNodes: 2,
    edges: { src: [0, 1], dst: [1, 0] },
    features: { pos: [0, 0, 0, 1, 0, 0], x: [1, 2], u: [0.5, 1.5], w: [10, 11, 20, 21], ignored: [99] },
  },
  {
    numNodes: 3,
    edges: { src: Int32Array.from([2, 0, 1, 0]), dst: [1, 2, 2, 1] },
    features: { pos: [0, 1, 0, 0, 0, 2, 3, 0, 0], x: Float32Array.from([3, 4, 5]), u: [2.5, 3.5], w: [30, 31, 40, 41, 50, 51, 60, 61] },
  },
  { numNodes: 1, edges: { src: [], dst: [] }, features: { pos: [5, 5, 5], x: [6], u: [4.5, 5.5], w: [] } },
];

const edgesSpec: BatchSpec = {
  positions: "pos",
  graph: { mode: "edges" },
  fields: [
    { name: "x", dim: 1, domain: "node" },
    { name: "w", dim: 2, domain: "edge" },
    { name: "u", dim: 2, domain: "graph" },
    { name: "pos", dim: 3, domain: "node" },
  ],
};

describe("batchGraphs", () => {
  it("stacks three graphs with explicit edges: offsets, sorted edges, CSRs, permuted edge rows, edge vectors", () => {
    const b = batchGraphs(threeGraphs, edgesSpec);
    expect(indexArrays(b)).toEqual({
      numGraphs: 3,
      numNodes: 6,
      numEdges: 6,
      nodeGraph: [0, 0, 1, 1, 1, 2],
      graphNodeOffsets: [0, 2, 5, 6],
      // Graph 0: 1->0, 0->1. Graph 1 (shifted by 2): local 0->1, 2->1, 0->2, 1->2.
      edgeSrc: [1, 0, 2, 4, 2, 3],
      edgeDst: [0, 1, 3, 3, 4, 4],
      dstOffsets: [0, 1, 2, 2, 4, 6, 6],
      srcOffsets: [0, 1, 2, 4, 5, 6, 6],
      srcEdges: [1, 0, 2, 4, 5, 3],
    });
    expect(Object.keys(b.features)).toEqual(["x", "w", "u", "pos"]);
    for (const f of Object.values(b.features)) expect(f).toBeInstanceOf(Float64Array);
    expect(list(b.features.x)).toEqual([1, 2, 3, 4, 5, 6]);
    // Rows follow their edges: graph 0 permutation [1, 0], graph 1 permutation [3, 0, 1, 2].
    expect(list(b.features.w)).toEqual([20, 21, 10, 11, 60, 61, 30, 31, 40, 41, 50, 51]);
    expect(list(b.features.u)).toEqual([0.5, 1.5, 2.5, 3.5, 4.5, 5.5]);
    expect(list(b.features.pos)).toEqual([0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 2, 3, 0, 0, 5, 5, 5]);
    expect(list(b.edgeVectors)).toEqual([-1, 0, 0, 1, 0, 0, 0, -1, 2, -3, 0, 2, 3, -1, 0, 3, 0, -2]);
  });

  it("copies the data: later changes to the inputs do not reach the batch", () => {
    const x = [1, 2];
    const b = batchGraphs([{ numNodes: 2, features: { x } }], { graph: { mode: "full" }, fields: [{ name: "x", dim: 1, domain: "node" }] });
    x[0] = 100;
    expect(list(b.features.x)).toEqual([1, 2]);
    expect(b.edgeVectors).toBeUndefined();
  });

  const lineGraphs: GraphInput[] = [
    { numNodes: 3, features: { p: [0, 0, 0, 1, 0, 0, 2.5, 0, 0], h: [1, 2, 3] } },
    { numNodes: 2, features: { p: [0, 0, 0, 0, 1, 0], h: [4, 5] } },
    { numNodes: 1, features: { p: [7, 7, 7], h: [6] } },
  ];
  const builtSpec = (graph: BatchSpec["graph"]): BatchSpec => ({ positions: "p", graph, fields: [{ name: "h", dim: 1, domain: "node" }] });

  it("builds radius graphs per graph, never across graphs, with edge vectors", () => {
    const b = batchGraphs(lineGraphs, builtSpec({ mode: "radius", radius: 1.2, maxNeighbors: null }));
    expect(indexArrays(b)).toEqual({
      numGraphs: 3,
      numNodes: 6,
      numEdges: 4,
      nodeGraph: [0, 0, 0, 1, 1, 2],
      graphNodeOffsets: [0, 3, 5, 6],
      edgeSrc: [1, 0, 4, 3],
      edgeDst: [0, 1, 3, 4],
      dstOffsets: [0, 1, 2, 2, 3, 4, 4],
      srcOffsets: [0, 1, 2, 2, 3, 4, 4],
      srcEdges: [1, 0, 3, 2],
    });
    expect(list(b.edgeVectors)).toEqual([-1, 0, 0, 1, 0, 0, 0, -1, 0, 0, 1, 0]);
    // Positions are not a declared field here: used for edges and edge vectors only.
    expect(Object.keys(b.features)).toEqual(["h"]);
    expect(list(b.features.h)).toEqual([1, 2, 3, 4, 5, 6]);
    const limited = batchGraphs(lineGraphs, builtSpec({ mode: "radius", radius: 3, maxNeighbors: 1 }));
    expect([list(limited.edgeSrc), list(limited.edgeDst)]).toEqual([
      [1, 0, 1, 4, 3],
      [0, 1, 2, 3, 4],
    ]);
  });

  it("builds knn and full graphs per graph", () => {
    const knn = batchGraphs(lineGraphs, builtSpec({ mode: "knn", k: 1 }));
    expect([list(knn.edgeSrc), list(knn.edgeDst)]).toEqual([
      [1, 0, 1, 4, 3],
      [0, 1, 2, 3, 4],
    ]);
    const full = batchGraphs(lineGraphs, builtSpec({ mode: "full" }));
    expect(indexArrays(full)).toMatchObject({
      numEdges: 8,
      edgeSrc: [1, 2, 0, 2, 0, 1, 4, 3],
      edgeDst: [0, 0, 1, 1, 2, 2, 3, 4],
      dstOffsets: [0, 2, 4, 6, 7, 8, 8],
      srcOffsets: [0, 2, 4, 6, 7, 8, 8],
      srcEdges: [2, 4, 0, 5, 1, 3, 7, 6],
    });
    expect(list(full.edgeVectors)?.slice(0, 6)).toEqual([-1, 0, 0, -2.5, 0, 0]);
  });

  it("batches zero graphs and graphs without nodes", () => {
    const spec = builtSpec({ mode: "full" });
    expect(indexArrays(batchGraphs([], spec))).toEqual({
      numGraphs: 0, numNodes: 0, numEdges: 0, nodeGraph: [], graphNodeOffsets: [0],
      edgeSrc: [], edgeDst: [], dstOffsets: [0], srcOffsets: [0], srcEdges: [],
    });
    const b = batchGraphs([{ numNodes: 0, features: { p: [], h: [] } }, lineGraphs[2]], spec);
    expect(list(b.graphNodeOffsets)).toEqual([0, 0, 1]);
    expect(list(b.nodeGraph)).toEqual([1]);
  });

  it("keeps edges globally sorted, CSRs consistent and edge rows attached to their edges (property)", () => {
    const graphArb = fc.integer({ min: 0, max: 6 }).chain((numNodes) =>
      fc
        .array(numNodes === 0 ? fc.constant<[number, number]>([0, 0]) : fc.tuple(fc.nat(numNodes - 1), fc.nat(numNodes - 1)), { maxLength: numNodes === 0 ? 0 : 15 })
        .map((edges): GraphInput => ({
          numNodes,
          edges: { src: edges.map((e) => e[0]), dst: edges.map((e) => e[1]) },
          // Each edge row encodes its own endpoints, so a misplaced row is visible.
          features: { tag: edges.flatMap(([s, d]) => [s, d]), n: Array.from({ length: numNodes }, (_, i) => i) },
        })),
    );
    const spec: BatchSpec = {
      graph: { mode: "edges" },
      fields: [
        { name: "tag", dim: 2, domain: "edge" },
        { name: "n", dim: 1, domain: "node" },
      ],
    };
    fc.assert(
      fc.property(fc.array(graphArb, { maxLength: 5 }), (graphs) => {
        const b = batchGraphs(graphs, spec);
        expect(b.numEdges).toBe(graphs.reduce((sum, g) => sum + g.edges!.src.length, 0));
        for (let e = 1; e < b.numEdges; e++) {
          const order = b.edgeDst[e] - b.edgeDst[e - 1] || b.edgeSrc[e] - b.edgeSrc[e - 1];
          expect(order).toBeGreaterThanOrEqual(0);
        }
        for (let e = 0; e < b.numEdges; e++) {
          const g = b.nodeGraph[b.edgeDst[e]];
          expect(b.nodeGraph[b.edgeSrc[e]]).toBe(g);
          const shift = b.graphNodeOffsets[g];
          expect([b.features.tag[2 * e], b.features.tag[2 * e + 1]]).toEqual([b.edgeSrc[e] - shift, b.edgeDst[e] - shift]);
          expect(b.features.n[b.edgeDst[e]]).toBe(b.edgeDst[e] - shift);
        }
        for (let i = 0; i < b.numNodes; i++) {
          for (let e = b.dstOffsets[i]; e < b.dstOffsets[i + 1]; e++) expect(b.edgeDst[e]).toBe(i);
          for (let p = b.srcOffsets[i]; p < b.srcOffsets[i + 1]; p++) expect(b.edgeSrc[b.srcEdges[p]]).toBe(i);
        }
        expect(b.dstOffsets[b.numNodes]).toBe(b.numEdges);
        expect(b.srcOffsets[b.numNodes]).toBe(b.numEdges);
      }),
      { numRuns: 200 },
    );
  });
});

describe("batchGraphs errors", () => {
  const nodeSpec: BatchSpec = { positions: "pos", graph: { mode: "full" }, fields: [{ name: "x", dim: 3, domain: "node" }] };
  const good = (numNodes: number): GraphInput => ({
    numNodes,
    features: { pos: new Array(3 * numNodes).fill(0), x: new Array(3 * numNodes).fill(1) },
  });

  function message(run: () => unknown): string {
    try {
      run();
    } catch (error) {
      expect(error).toBeInstanceOf(BatchInputError);
      return (error as Error).message;
    }
    throw new Error("expected batchGraphs to throw");
  }

  it("names the graph and field of a feature of the wrong length", () => {
    const graphs = [good(1), good(2), good(2), { numNodes: 3, features: { pos: new Array(9).fill(0), x: new Array(8).fill(0) } }];
    expect(message(() => batchGraphs(graphs, nodeSpec))).toBe("graphs[3].features.x: expected 9 numbers (3 nodes x 3), got 8");
    const one = [{ numNodes: 1, features: { pos: [0, 0, 0], x: [1, 2] } }];
    expect(message(() => batchGraphs(one, nodeSpec))).toBe("graphs[0].features.x: expected 3 numbers (1 node x 3), got 2");
    const graphSpec: BatchSpec = { graph: { mode: "full" }, fields: [{ name: "u", dim: 3, domain: "graph" }] };
    expect(message(() => batchGraphs([{ numNodes: 1, features: { u: [1, 2] } }], graphSpec))).toBe(
      "graphs[0].features.u: expected 3 numbers (1 graph x 3), got 2",
    );
    const edgeSpec: BatchSpec = { graph: { mode: "edges" }, fields: [{ name: "w", dim: 2, domain: "edge" }] };
    const withEdges: GraphInput = { numNodes: 2, edges: { src: [0, 1], dst: [1, 0] }, features: { w: [1, 2, 3] } };
    expect(message(() => batchGraphs([withEdges], edgeSpec))).toBe("graphs[0].features.w: expected 4 numbers (2 edges x 2), got 3");
  });

  it("rejects NaN, Infinity and non-numbers with the index", () => {
    const nan = { numNodes: 2, features: { pos: [0, 0, 0, 0, 0, NaN], x: new Array(6).fill(0) } };
    expect(message(() => batchGraphs([nan], nodeSpec))).toBe("graphs[0].features.pos[5]: not a finite number");
    const inf = { numNodes: 1, features: { pos: [0, 0, 0], x: [0, -Infinity, 0] } };
    expect(message(() => batchGraphs([good(1), inf], nodeSpec))).toBe("graphs[1].features.x[1]: not a finite number");
    const text = { numNodes: 1, features: { pos: [0, 0, 0], x: [0, "1", 0] as unknown as number[] } };
    expect(message(() => batchGraphs([text], nodeSpec))).toBe("graphs[0].features.x[1]: not a finite number");
  });

  it("rejects missing features, bad node counts and bad explicit edges", () => {
    expect(message(() => batchGraphs([{ numNodes: 1, features: { pos: [0, 0, 0] } }], nodeSpec))).toBe("graphs[0].features.x: missing");
    expect(message(() => batchGraphs([{ numNodes: 1, features: { x: [0, 0, 0] } }], nodeSpec))).toBe("graphs[0].features.pos: missing");
    expect(message(() => batchGraphs([{ numNodes: 1, features: { toString: [0, 0, 0] } as never }], { graph: { mode: "full" }, fields: [{ name: "valueOf", dim: 1, domain: "node" }] }))).toBe(
      "graphs[0].features.valueOf: missing",
    );
    expect(message(() => batchGraphs([{ numNodes: 1.5, features: {} }], nodeSpec))).toBe("graphs[0].numNodes: expected a non-negative integer, got 1.5");
    const edgeSpec: BatchSpec = { graph: { mode: "edges" }, fields: [] };
    expect(message(() => batchGraphs([{ numNodes: 2, features: {} }], edgeSpec))).toBe('graphs[0].edges: missing (spec.graph.mode is "edges")');
    // A node-wise model reads no edges: its graphs may come without them (and then have none).
    const nodeWise = batchGraphs([{ numNodes: 2, features: {} }], { graph: { mode: "edges", edgesUsed: false }, fields: [] });
    expect([nodeWise.numNodes, nodeWise.numEdges]).toEqual([2, 0]);
    expect(message(() => batchGraphs([{ numNodes: 2, edges: { src: [0], dst: [1, 0] }, features: {} }], edgeSpec))).toBe(
      "graphs[0].edges: src has 1 entries but dst has 2",
    );
    expect(message(() => batchGraphs([{ numNodes: 2, edges: { src: [0, 1], dst: [1, 2] }, features: {} }], edgeSpec))).toBe(
      "graphs[0].edges.dst[1]: 2 is not a node index (the graph has 2 nodes)",
    );
    expect(message(() => batchGraphs([{ numNodes: 1, edges: { src: [-1], dst: [0] }, features: {} }], edgeSpec))).toBe(
      "graphs[0].edges.src[0]: -1 is not a node index (the graph has 1 node)",
    );
  });

  it("rejects bad specs", () => {
    const graphs = [good(1)];
    expect(message(() => batchGraphs(graphs, { positions: "pos", graph: { mode: "radius", radius: null }, fields: [] }))).toBe(
      'spec.graph.radius: mode "radius" needs a finite positive radius, got null',
    );
    expect(message(() => batchGraphs(graphs, { positions: "pos", graph: { mode: "radius", radius: 1, maxNeighbors: -1 }, fields: [] }))).toBe(
      "spec.graph.maxNeighbors: expected a non-negative integer or null, got -1",
    );
    expect(message(() => batchGraphs(graphs, { positions: "pos", graph: { mode: "knn" }, fields: [] }))).toBe(
      'spec.graph.k: mode "knn" needs a non-negative integer k, got undefined',
    );
    expect(message(() => batchGraphs(graphs, { graph: { mode: "knn", k: 3 }, fields: [] }))).toBe(
      'spec.positions: mode "knn" builds edges from positions: name the positions field',
    );
    expect(message(() => batchGraphs(graphs, { graph: { mode: "mesh" as never }, fields: [] }))).toBe(
      'spec.graph.mode: expected "radius", "knn", "full" or "edges", got "mesh"',
    );
    expect(message(() => batchGraphs(graphs, { positions: "pos", graph: { mode: "radius", radius: 2 }, fields: [{ name: "w", dim: 1, domain: "edge" }] }))).toBe(
      'spec.fields[0]: per-edge field "w" cannot come from the data: mode "radius" builds the edges (use mode "edges" to give them with the data)',
    );
    expect(message(() => batchGraphs(graphs, { positions: "pos", graph: { mode: "full" }, fields: [{ name: "pos", dim: 2, domain: "node" }] }))).toBe(
      'spec.positions: field "pos" holds positions, so it must be declared per node with dim 3, not per node with dim 2',
    );
    const dup: BatchSpec = { graph: { mode: "full" }, fields: [{ name: "x", dim: 3, domain: "node" }, { name: "x", dim: 1, domain: "node" }] };
    expect(message(() => batchGraphs(graphs, dup))).toBe('spec.fields[1].name: duplicate field name "x"');
    expect(message(() => batchGraphs(graphs, { graph: { mode: "full" }, fields: [{ name: "x", dim: 0, domain: "node" }] }))).toBe(
      "spec.fields[0].dim: expected a positive integer, got 0",
    );
  });

  it("checks all data before building any edges", () => {
    // Graph 0 is huge for a full graph; graph 1 is bad. The error comes at once, without building graph 0.
    const big: GraphInput = { numNodes: 70_000, features: { pos: new Float64Array(210_000), x: new Float64Array(210_000) } };
    const bad: GraphInput = { numNodes: 1, features: { pos: [0, 0, 0], x: [0, 0] } };
    expect(message(() => batchGraphs([big, bad], nodeSpec))).toBe("graphs[1].features.x: expected 3 numbers (1 node x 3), got 2");
  });
});
