import { describe, expect, it } from "vitest";
import { compileOrThrow } from "../../test/test-models.js";
import { parseDataset } from "./dataset.js";

const ir = compileOrThrow(`model D {
  input x: 0e + 1o
  input e: 2x0e per edge
  target t: 0e + 1o per graph
  layer p = pool(x)
  output y = p per graph
  train { loss: sse(y, t) }
}`);

const graph = (over: object = {}) => ({ nodes: 2, edges: [[0, 1], [1, 0]], inputs: { x: [[1, 0, 0, 1], [2, 1, 0, 0]], e: [1, 2, 3, 4] }, targets: { t: [0.5, 0, 0, 1] }, ...over });
const parse = (data: unknown) => parseDataset(JSON.stringify(data), "data.json", ir);

describe("datasets", () => {
  it("reads graphs, flattening per-row arrays, with edges", () => {
    const [g] = parse({ format: "regnn-dataset-1", graphs: [graph()] });
    expect(g!.numNodes).toBe(2);
    expect(g!.features.x).toEqual([1, 0, 0, 1, 2, 1, 0, 0]);
    expect(g!.edges).toEqual({ src: [0, 1], dst: [1, 0] });
  });

  it("names the file, the record and the field of every problem", () => {
    expect(() => parse({ graphs: [graph(), graph({ targets: { t: [1, 2, 3] } })] })).toThrow("data.json: graphs[1].targets.t: expected 4 numbers (1 graph x 4, irreps 1x0e+1x1o), got 3");
    expect(() => parse({ graphs: [graph({ inputs: { x: [1, 0, 0, 1, 2, 1, 0, 0] } })] })).toThrow("data.json: graphs[0].inputs.e: missing (2x0e per edge)");
    expect(() => parseDataset('{"graphs": [{"nodes": 1, "inputs": {"x": [1, NaN]}}]}', "data.json", ir)).toThrow("data.json: not valid JSON");
    expect(() => parse({ graphs: [graph({ nodes: -1 })] })).toThrow("data.json: graphs[0].nodes: must be >= 0");
    expect(() => parse({ graphs: [graph({ extra: 1 })] })).toThrow("data.json: graphs[0]: must NOT have additional properties 'extra'");
    expect(() => parse({ graphs: [graph({ edges: [[0, 5], [1, 0]] })] })).toThrow("data.json: graphs[0].edges: edge 0 -> 5 names a node beyond 1");
    expect(() => parse({ graphs: [graph({ targets: { t: [0.5, 0, 0, 1e400] } })] })).toThrow("data.json: graphs[0].targets.t[3]: must be number");
    expect(() => parse({ graphs: [{ nodes: 2, inputs: graph().inputs, targets: graph().targets }] })).toThrow("data.json: graphs[0].inputs.e: expected 0 numbers");
  });
});

describe("periodic cells in datasets", () => {
  // The radius reaches the periodic images of the one atom (3 apart): a graph without edges is an error.
  const crystalIr = compileOrThrow(`model C {
    graph radius 3.5
    input z: 0e
    input pos: positions
    target t: 0e
    edge sh = spherical_harmonics(lmax: 1)
    edge emb = bessel(count: 4, cutoff: 3.5)
    layer h = conv(z, sh, emb) -> 0e
    output y = h
    train { loss: sse(y, t) }
  }`);
  const crystal = (over: object = {}) => ({ nodes: 1, inputs: { z: [1], pos: [0, 0, 0] }, targets: { t: [0] }, cell: [[3, 0, 0], [0, 3, 0], [0, 0, 3]], ...over });
  const read = (g: object, model = crystalIr) => parseDataset(JSON.stringify({ graphs: [g] }), "data.json", model);

  it("reads a cell (3 rows or 9 numbers) and its periodic axes", () => {
    expect(read(crystal())[0]!.cell).toEqual({ vectors: [3, 0, 0, 0, 3, 0, 0, 0, 3] });
    expect(read(crystal({ cell: [3, 0, 0, 0, 3, 0, 0, 0, 3], pbc: [true, false, true] }))[0]!.cell).toEqual({ vectors: [3, 0, 0, 0, 3, 0, 0, 0, 3], pbc: [true, false, true] });
  });

  it("names what is wrong with a cell", () => {
    expect(() => read(crystal({ cell: [[3, 0, 0], [6, 0, 0], [0, 0, 3]] }))).toThrow("data.json: graphs[0].cell.vectors: the lattice vectors are not independent (zero volume)");
    expect(() => read(crystal({ cell: [1, 2, 3] }))).toThrow("data.json: graphs[0].cell: must NOT have fewer than 9 items");
    expect(() => read(crystal({ cell: undefined, pbc: [true, true, true] }))).toThrow("data.json: graphs[0].pbc: given without a cell");
    expect(() => read({ ...graph(), cell: [3, 0, 0, 0, 3, 0, 0, 0, 3] }, ir)).toThrow("data.json: graphs[0].cell: a periodic cell needs a radius or knn graph, but the spec's graph is 'edges'");
  });
});
