// batchGraphs under an edge allowance (the memory budget's share for edges) and with positions no
// neighbour search can take: typed errors naming the numbers or the field, never raw RangeErrors.
import { describe, expect, it } from "vitest";
import { BatchInputError, batchGraphs, type BatchSpec } from "./batching.js";
import { EdgeLimitError } from "./neighbors.js";

const spec = (mode: "full" | "radius" | "knn", maxEdges?: number): BatchSpec => ({
  positions: "pos",
  graph: { mode, radius: 10, k: 4 },
  fields: [{ name: "pos", dim: 3, domain: "node" }],
  ...(maxEdges === undefined ? {} : { maxEdges }),
});
const line = (n: number, step = 1) => ({ numNodes: n, features: { pos: Array.from({ length: 3 * n }, (_, i) => (i % 3 === 0 ? step * (i / 3) : 0)) } });

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe("batchGraphs edge allowance", () => {
  it("counts full and knn graphs before building them", () => {
    const e = thrown(() => batchGraphs([line(10), line(1000)], spec("full", 1000)));
    expect(e).toBeInstanceOf(EdgeLimitError);
    expect((e as EdgeLimitError).edges).toBe(90 + 1000 * 999);
    expect(thrown(() => batchGraphs([line(300)], spec("knn", 1199)))).toBeInstanceOf(EdgeLimitError);
    expect(batchGraphs([line(300)], spec("knn", 1200)).numEdges).toBe(1200);
    expect(batchGraphs([line(10)], spec("full", 90)).numEdges).toBe(90);
  });

  it("stops a radius graph once it passes the allowance", () => {
    const e = thrown(() => batchGraphs([line(5000, 0.001)], spec("radius", 50_000)));
    expect(e).toBeInstanceOf(EdgeLimitError);
    expect((e as EdgeLimitError).edges).toBeGreaterThan(50_000);
    expect((e as EdgeLimitError).edges).toBeLessThan(60_000); // it stopped, rather than building all 25M
  });

  it("names the positions a neighbour search cannot take", () => {
    const far = { numNodes: 2, features: { pos: [0, 0, 0, 1e12, 0, 0] } };
    const e = thrown(() => batchGraphs([line(2), far], { ...spec("radius"), graph: { mode: "radius", radius: 1e-3 } }));
    expect(e).toBeInstanceOf(BatchInputError);
    expect((e as BatchInputError).path).toBe("graphs[1].features.pos");
    expect((e as Error).message).toContain("is the radius far too small for the coordinates?");
  });
});

describe("batchGraphs for a model that reads edges", () => {
  it("refuses a built graph without edges, naming the graph", () => {
    const used = (mode: "radius" | "full") => ({ ...spec(mode), graph: { mode, radius: 0.5, edgesUsed: true } });
    expect(thrown(() => batchGraphs([line(3, 0.1), line(3, 2)], used("radius")))).toEqual(
      new BatchInputError("graphs[1]", "its radius graph has no edges (3 nodes, none closer than the radius 0.5 to another), but the model reads edges"),
    );
    expect((thrown(() => batchGraphs([line(1)], used("full"))) as Error).message).toBe("graphs[0]: its full graph has no edges (1 node), but the model reads edges");
    expect(batchGraphs([line(3, 2)], { ...spec("radius"), graph: { mode: "radius", radius: 0.5, edgesUsed: false } }).numEdges).toBe(0);
  });
});
