// Data that used to train silently on garbage (exit 0) is refused with the field's path, or warned about.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileOrThrow } from "../../test/test-models.js";
import { parseDataset } from "./dataset.js";
import { readDataset } from "./read.js";

const nodeWise = compileOrThrow(`model D {
  input x: 0e + 1o
  target t: 0e + 1o per graph
  layer p = pool(x)
  output y = p per graph
  train { loss: sse(y, t) }
}`);

const molecule = (graph: string) => compileOrThrow(`model Mol {
  ${graph}
  input z: 0e
  input pos: positions
  target e: 0e per graph
  edge sh = spherical_harmonics(lmax: 1)
  edge emb = bessel(count: 4, cutoff: 2.0)
  layer h = conv(z, sh, emb) -> 0e
  layer p = pool(h)
  output y = p per graph
  train { loss: sse(y, e) }
}`);

const json = (graphs: unknown[], extra: object = {}) => JSON.stringify({ ...extra, graphs });
const message = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  return "(no error)";
};

describe("rows, counts and ranges", () => {
  const parse = (x: unknown, nodes = 2) => parseDataset(json([{ nodes, inputs: { x }, targets: { t: [1, 0, 0, 0] } }]), "data.json", nodeWise);

  it("refuses ragged rows even when the total count is right", () => {
    expect(message(() => parse([[1, 0, 0, 1, 2], [1, 0, 0]]))).toBe("data.json: graphs[0].inputs.x[0]: expected a row of 4 numbers (irreps 1x0e+1x1o), got 5");
    expect(message(() => parse([[1, 0, 0, 1], 2, 1, 0, 0]))).toBe("data.json: graphs[0].inputs.x[1]: a single number among rows; give every node's 4 numbers as an array, or all numbers flat");
    expect(message(() => parse([[1, 0, 0, 1]]))).toBe("data.json: graphs[0].inputs.x: expected 2 rows (2 nodes x 4, irreps 1x0e+1x1o), got 1");
    expect(parse([[1, 0, 0, 1], [2, 1, 0, 0]])[0]!.features.x).toEqual([1, 0, 0, 1, 2, 1, 0, 0]);
  });

  it("refuses graphs without nodes", () => {
    expect(message(() => parse([], 0))).toBe("data.json: graphs[0].nodes: a graph needs at least one node (one without any has no outputs and adds nothing to the loss)");
  });

  it("refuses numbers beyond float32's range, and says what 1e400 is", () => {
    expect(message(() => parse([1, 0, 0, 1, 2, 1e39, 0, 0]))).toBe("data.json: graphs[0].inputs.x[5]: 1e+39 is beyond float32's range (±3.4028235e38), in which the model computes");
    expect(message(() => parse([[1, 0, 0, 1], [2, -1e39, 0, 0]]))).toBe("data.json: graphs[0].inputs.x[1][1]: -1e+39 is beyond float32's range (±3.4028235e38), in which the model computes");
    expect(parse([1, 0, 0, 3.4e38, 2, 1, 0, 0])[0]!.features.x![3]).toBe(3.4e38);
    const text = '{"graphs": [{"nodes": 2, "inputs": {"x": [1, 0, 0, 1, 2, 1e400, 0, 0]}, "targets": {"t": [1, 0, 0, 0]}}]}';
    expect(message(() => parseDataset(text, "data.json", nodeWise))).toBe(
      "data.json: graphs[0].inputs.x[5]: a number beyond float64's range (it reads as Infinity; a literal such as 1e400 is too large for float64, let alone float32, in which the model computes)",
    );
  });

  it("names the expected format", () => {
    expect(message(() => parseDataset(json([], { format: "regnn-dataset-2" }), "data.json", nodeWise))).toBe('data.json: format: must be "regnn-dataset-1", found "regnn-dataset-2"');
  });
});

describe("graphs for models that read edges", () => {
  const read = (ir: ReturnType<typeof molecule>, pos: number[], warnings: string[] = [], cell?: number[]) =>
    parseDataset(json([{ nodes: pos.length / 3, inputs: { z: pos.filter((_, i) => i % 3 === 0).map(() => 1), pos }, targets: { e: [0] }, ...(cell ? { cell } : {}) }]), "data.json", ir, { onWarning: (w) => warnings.push(w) });

  it("refuses a radius graph with no edges, naming the closest distance and the radius", () => {
    expect(message(() => read(molecule("graph radius 2.0"), [0, 0, 0, 0, 0, 5]))).toBe(
      "data.json: graphs[0]: its radius graph has no edges: the closest two of its 2 nodes are 5.000 apart, not closer than the radius 2, but the model reads edges (are the positions in the spec's units?)",
    );
    expect(read(molecule("graph radius 2.0"), [0, 0, 0, 0, 0, 1.5])).toHaveLength(1);
    // A periodic image within the radius is an edge.
    expect(read(molecule("graph radius 2.0"), [0, 0, 0, 0, 0, 5], [], [6, 0, 0, 0, 6, 0, 0, 0, 1.5])).toHaveLength(1);
  });

  it("refuses one-node full and knn graphs (no pair to connect)", () => {
    expect(message(() => read(molecule("graph full"), [0, 0, 0]))).toBe("data.json: graphs[0]: its full graph has no edges (a graph of 1 node and no periodic cell), but the model reads edges");
    expect(message(() => read(molecule("graph knn 3"), [0, 0, 0]))).toBe("data.json: graphs[0]: its knn graph has no edges (a graph of 1 node and no periodic cell), but the model reads edges");
  });

  it("accepts edge-less graphs for a model that never reads edges", () => {
    const ir = compileOrThrow(`model N {
      graph radius 1.0
      input z: 0e
      input pos: positions
      target e: 0e per graph
      layer p = pool(z)
      output y = p per graph
      train { loss: sse(y, e) }
    }`);
    expect(read(ir, [0, 0, 0, 0, 0, 5])).toHaveLength(1);
  });

  it("warns about coincident nodes (zero-length edges), at most 5 lines", () => {
    const warnings: string[] = [];
    read(molecule("graph radius 2.0"), [0, 0, 0, 1, 0, 0, 1, 0, 0], warnings);
    expect(warnings).toEqual(["data.json: graphs[0].inputs.pos: nodes 1 and 2 are at the same position: edges between them have length 0 and no direction"]);
    const many: string[] = [];
    const g = { nodes: 2, inputs: { z: [1, 1], pos: [0, 0, 0, 0, 0, 0] }, targets: { e: [0] } };
    parseDataset(json(Array.from({ length: 8 }, () => g)), "data.json", molecule("graph radius 2.0"), { onWarning: (w) => many.push(w) });
    expect(many).toHaveLength(6);
    expect(many[5]).toBe("data.json: 3 more graphs with coincident nodes");
  });

  it("refuses an empty extended XYZ frame, naming the line", () => {
    const dir = mkdtempSync(join(tmpdir(), "regnn-checks-"));
    const path = join(dir, "d.xyz");
    writeFileSync(path, "2\nProperties=species:S:1:pos:R:3:z:I:1 e=1\nH 0 0 0 1\nH 0 0 1 1\n0\nProperties=species:S:1:pos:R:3:z:I:1 e=1\n");
    expect(message(() => readDataset(path, molecule("graph radius 2.0")))).toBe("d.xyz:5: frame 1 has no atoms (a graph without nodes has no outputs and adds nothing to the loss)");
  });
});

// Targets named like inherited members (`constructor`, `toString`) are refused by the checker (E133), so
// here those names are inputs and `__proto__` is the target.
describe("field names that are Object.prototype's", () => {
  const ir = compileOrThrow(`model P {
    input constructor: 0e + 1o
    input toString: 0e
    target __proto__: 0e + 1o per graph
    layer a = linear(constructor) -> 0e + 1o
    layer p = pool(a)
    output y = p per graph
    train { loss: sse(y, __proto__) }
  }`);

  it("reads them as data (own properties), in JSON and extended XYZ", () => {
    const text = '{"graphs": [{"nodes": 1, "inputs": {"constructor": [1, 2, 3, 4], "toString": [5]}, "targets": {"__proto__": [6, 7, 8, 9]}}]}';
    const [g] = parseDataset(text, "data.json", ir);
    expect(Object.hasOwn(g!.features, "__proto__")).toBe(true);
    expect(g!.features["__proto__"]).toEqual([6, 7, 8, 9]);
    expect(g!.features.toString).toEqual([5]);
    expect(g!.features.constructor).toEqual([1, 2, 3, 4]);
    const dir = mkdtempSync(join(tmpdir(), "regnn-names-"));
    const path = join(dir, "d.xyz");
    writeFileSync(path, '1\nProperties=species:S:1:constructor:R:4:toString:R:1 __proto__="6 7 8 9"\nH 1 2 3 4 5\n');
    const [x] = readDataset(path, ir);
    expect(Object.hasOwn(x!.features, "__proto__")).toBe(true);
    expect(x!.features["__proto__"]).toEqual([6, 7, 8, 9]);
    expect(x!.features.toString).toEqual([5]);
    expect(x!.features.constructor).toEqual([1, 2, 3, 4]);
  });

  it("reports a missing 'constructor' or '__proto__' as missing", () => {
    const noConstructor = '{"graphs": [{"nodes": 1, "inputs": {"toString": [5]}, "targets": {"__proto__": [6, 7, 8, 9]}}]}';
    expect(message(() => parseDataset(noConstructor, "data.json", ir))).toBe("data.json: graphs[0].inputs.constructor: missing (1x0e+1x1o per node)");
    const noProto = '{"graphs": [{"nodes": 1, "inputs": {"constructor": [1, 2, 3, 4], "toString": [5]}, "targets": {}}]}';
    expect(message(() => parseDataset(noProto, "data.json", ir))).toBe("data.json: graphs[0].targets.__proto__: missing (1x0e+1x1o per graph)");
  });
});
