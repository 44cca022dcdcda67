// The generated module's graph building and data reading against regnn's own (runtime/graph, compiler/data):
// radius (with max_neighbors), knn and full graphs, given edges, periodic radius and knn graphs with their
// lattice shifts, identical edge for edge; a JSON dataset and an extended XYZ file batched identically; and a
// spec whose names try to break out of the generated Python. Needs Debian's python3-torch (`npm run setup`).
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { requireTorch, runPython } from "../../../test/pytorch.js";
import { batchGraphs, type GraphInput } from "../../../runtime/graph/batching.js";
import { randomNormal, seededRng } from "../../../util/random.js";
import { readDataset } from "../../data/read.js";
import type { ModelIR } from "../../ir/types.js";
import { compileOrThrow } from "../../../test/test-models.js";
import { emitPyTorchModule, pytorchClassName } from "./emit.js";

const dir = mkdtempSync(join(tmpdir(), "regnn-pytorch-graph-"));

function emit(ir: ModelIR): string {
  const path = join(dir, `${pytorchClassName(ir)}.py`);
  writeFileSync(path, emitPyTorchModule(ir));
  return path;
}

const model = (graph: string) =>
  compileOrThrow(`model G {
    graph ${graph}
    input x: 0e
    input pos: positions
    target t: 0e
    edge sh = spherical_harmonics(lmax: 1)
    edge emb = gaussian(count: 3, cutoff: 2.0)
    layer c = conv(x, sh, emb) -> 0e
    output y = c
  }`);

/** Python: for each case (module file, graphs) the batch the module builds: src, dst, shifts, features. */
const BATCH = String.raw`
import importlib.util as u, json, sys
out = []
for k, c in enumerate(json.load(open(sys.argv[1]))):
    s = u.spec_from_file_location("m%d" % k, c["module"]); m = u.module_from_spec(s); s.loader.exec_module(m)
    b = m.batch_graphs(m.MODEL_CLASS.DATA, c["graphs"])
    out.append({"src": b["edge_src"].tolist(), "dst": b["edge_dst"].tolist(), "shift": b["edge_shift"].reshape(-1).tolist() if "edge_shift" in b else None,
                "features": {k: v.reshape(-1).tolist() for k, v in b["features"].items()}})
print(json.dumps(out))
`;

const READ = String.raw`
import importlib.util as u, json, sys
s = u.spec_from_file_location("m", sys.argv[1]); m = u.module_from_spec(s); s.loader.exec_module(m)
d = m.MODEL_CLASS.DATA
graphs = m.read_dataset(d, sys.argv[2])
b = m.batch_graphs(d, graphs)
print(json.dumps({"src": b["edge_src"].tolist(), "dst": b["edge_dst"].tolist(), "shift": b["edge_shift"].reshape(-1).tolist() if "edge_shift" in b else None,
                  "features": {k: v.reshape(-1).tolist() for k, v in b["features"].items()}}))
`;

function graphsJson(graphs: GraphInput[]) {
  return graphs.map((g) => ({
    num_nodes: g.numNodes,
    features: Object.fromEntries(Object.entries(g.features).map(([k, v]) => [k, Array.from(v)])),
    ...(g.edges ? { edges: [Array.from(g.edges.src), Array.from(g.edges.dst)] } : {}),
    ...(g.cell ? { cell: { vectors: Array.from(g.cell.vectors), pbc: g.cell.pbc ? Array.from(g.cell.pbc) : [true, true, true] } } : {}),
  }));
}

/** Batches of each case, by the module generated for its model, in one Python process. */
function pyBatches(cases: { ir: ModelIR; graphs: GraphInput[] }[]) {
  const job = cases.map((c, k) => {
    const module = join(dir, `case${k}.py`);
    writeFileSync(module, emitPyTorchModule(c.ir));
    return { module, graphs: graphsJson(c.graphs) };
  });
  writeFileSync(join(dir, "batches.json"), JSON.stringify(job));
  writeFileSync(join(dir, "batch.py"), BATCH);
  const r = runPython([join(dir, "batch.py"), join(dir, "batches.json")]);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as { src: number[]; dst: number[]; shift: number[] | null; features: Record<string, number[]> }[];
}

function pyBatch(ir: ModelIR, graphs: GraphInput[]) {
  return pyBatches([{ ir, graphs }])[0]!;
}

function tsBatch(ir: ModelIR, graphs: GraphInput[]) {
  return batchGraphs(graphs, { positions: "pos", graph: { mode: ir.graph.mode, radius: ir.graph.radius, maxNeighbors: ir.graph.maxNeighbors, k: ir.graph.k }, fields: [{ name: "x", dim: 1, domain: "node" }, { name: "pos", dim: 3, domain: "node" }] });
}

function randomGraphs(seed: number, cell = false): GraphInput[] {
  const rng = seededRng(seed);
  return [9, 6].map((n, gi) => ({
    numNodes: n,
    features: { x: Array.from({ length: n }, () => randomNormal(rng)), pos: Array.from({ length: 3 * n }, () => 1.2 * randomNormal(rng)) },
    ...(cell ? { cell: { vectors: [2.5, 0, 0, 0.3, 2.2, 0, 0, 0.4, 3.0], pbc: gi === 0 ? [true, true, true] : [true, true, false] } } : {}),
  }));
}

describe("graphs and data in the PyTorch module match regnn's", () => {
  beforeAll(() => requireTorch());

  const modes = [["radius 1.9", false], ["radius 2.1 max_neighbors 3", false], ["knn 4", false], ["full", false], ["radius 1.7", true], ["knn 5", true]] as const;
  // One Python run for every mode (each run pays torch's import).
  let results: { src: number[]; dst: number[]; shift: number[] | null; features: Record<string, number[]> }[] = [];
  const cases = modes.map(([graph, cell]) => ({ ir: model(graph), graphs: randomGraphs(graph.length + (cell ? 100 : 0), cell) }));
  beforeAll(() => {
    results = pyBatches(cases);
  });

  modes.forEach(([graph, cell], k) => {
    it(`graph ${graph}${cell ? " in a periodic cell" : ""}: the same edges, in the same order, with the same shifts`, () => {
      const { ir, graphs } = cases[k]!;
      const ts = tsBatch(ir, graphs), py = results[k]!;
      expect(ts.numEdges).toBeGreaterThan(0);
      expect(py.src).toEqual(Array.from(ts.edgeSrc));
      expect(py.dst).toEqual(Array.from(ts.edgeDst));
      if (cell) expect(py.shift).toEqual(Array.from(ts.edgeShifts!));
      expect(py.features.pos).toEqual(Array.from(ts.features.pos!));
    });
  });

  it("graph edges: given edges sorted by destination; a JSON dataset and its extended XYZ twin read like regnn's readers", () => {
    const ir = model("radius 1.9");
    const rng = seededRng(3);
    const frames = [5, 4].map((n) => ({ n, pos: Array.from({ length: 3 * n }, () => randomNormal(rng)), x: Array.from({ length: n }, () => randomNormal(rng)), t: Array.from({ length: n }, () => randomNormal(rng)) }));
    const json = join(dir, "d.json"), xyz = join(dir, "d.extxyz");
    writeFileSync(json, JSON.stringify({ format: "regnn-dataset-1", graphs: frames.map((f) => ({ nodes: f.n, inputs: { x: f.x, pos: f.pos }, targets: { t: f.t } })) }));
    writeFileSync(xyz, frames.map((f) => [`${f.n}`, 'Properties=species:S:1:pos:R:3:x:R:1:t:R:1 energy=1.5 pbc="F F F"', ...Array.from({ length: f.n }, (_, i) => `H ${f.pos.slice(3 * i, 3 * i + 3).map((v) => v.toPrecision(17)).join(" ")} ${f.x[i]!.toPrecision(17)} ${f.t[i]!.toPrecision(17)}`)].join("\n")).join("\n") + "\n");
    writeFileSync(join(dir, "read.py"), READ);
    for (const file of [json, xyz]) {
      const ts = batchGraphs(readDataset(file, ir), { positions: "pos", graph: { mode: "radius", radius: 1.9 }, fields: [{ name: "x", dim: 1, domain: "node" }, { name: "pos", dim: 3, domain: "node" }, { name: "t", dim: 1, domain: "node" }] });
      const r = runPython([join(dir, "read.py"), emit(ir), file]);
      expect(r.status, r.stderr).toBe(0);
      const py = JSON.parse(r.stdout) as { src: number[]; dst: number[]; features: Record<string, number[]> };
      expect(py.src).toEqual(Array.from(ts.edgeSrc));
      expect(py.dst).toEqual(Array.from(ts.edgeDst));
      for (const k of ["x", "pos", "t"]) expect(py.features[k], `${file}: ${k}`).toEqual(Array.from(ts.features[k]!));
    }
    const given = compileOrThrow(`model E {
      graph edges
      input x: 0e
      input w: 0e per edge
      layer l = linear(x) -> 0e
      output y = l
    }`);
    const graphs: GraphInput[] = [{ numNodes: 3, edges: { src: [2, 0, 1, 0], dst: [0, 1, 0, 2] }, features: { x: [1, 2, 3], w: [10, 11, 12, 13] } }];
    const ts = batchGraphs(graphs, { graph: { mode: "edges" }, fields: [{ name: "x", dim: 1, domain: "node" }, { name: "w", dim: 1, domain: "edge" }] });
    const py = pyBatch(given, graphs);
    expect(py.src).toEqual(Array.from(ts.edgeSrc));
    expect(py.dst).toEqual(Array.from(ts.edgeDst));
    expect(py.features.w).toEqual(Array.from(ts.features.w!));
  });

  it("spec names cannot inject Python: the module imports, and its names are data", () => {
    const ir = model("radius 1.9");
    const hostile = JSON.parse(JSON.stringify(ir)) as ModelIR;
    hostile.model = 'print"""\\\n__import__("os").system("touch PWNED")#';
    hostile.layers[0]!.name = '"); __import__("os").system("touch PWNED"); ("\u2028\u{1F600}';
    hostile.outputs[0]!.source = hostile.layers[0]!.name;
    const py = join(dir, "Hostile.py");
    writeFileSync(py, emitPyTorchModule(hostile));
    const r = runPython(["-c", "import importlib.util as u, sys; s = u.spec_from_file_location('m', sys.argv[1]); m = u.module_from_spec(s); s.loader.exec_module(m); d = m.MODEL_CLASS.DATA; import json; print(json.dumps([m.MODEL_CLASS.__name__, d['model'], d['layers'][0]['name']]))", py], { cwd: dir });
    expect(r.status, r.stderr).toBe(0);
    const [cls, name, layer] = JSON.parse(r.stdout) as string[];
    expect(cls).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
    expect(name).toBe(hostile.model);
    expect(layer).toBe(hostile.layers[0]!.name);
    expect(existsSync(join(dir, "PWNED"))).toBe(false);
  });
});
