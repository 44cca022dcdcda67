/**
 * The JSON dataset format (dataset.schema.json beside this file): graphs with a node count, optional edges,
 * and per-name inputs and targets as declared by the spec. JSON has no NaN or Infinity, and the schema admits
 * only finite numbers (a 1e400 is rejected there). Errors name the file, the record and the field,
 * e.g. `data.json: graphs[3].targets.t: expected 9 numbers (3 nodes x 3, irreps 1x0e+1x1o), got 8`.
 */
import { Ajv } from "ajv";
import type { GraphInput } from "../../runtime/graph/batching.js";
import { checkCell } from "../../runtime/graph/periodic.js";
import type { ModelIR } from "../ir/types.js";
import { modelUsesEdges } from "../ir/uses-edges.js";
import { Irreps } from "../o3/irreps.js";
import schema from "./dataset.schema.json" with { type: "json" };

export class DatasetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DatasetError";
  }
}

interface RawGraph {
  nodes: number;
  edges?: [number, number][];
  inputs?: Record<string, (number | number[])[]>;
  targets?: Record<string, (number | number[])[]>;
  cell?: number[] | number[][];
  pbc?: boolean[];
}

const validate = new Ajv({ allErrors: false, strict: true }).compile(schema);

/** Reads a dataset for `ir`: every declared input (and, when `withTargets`, every target) of every graph. */
export function parseDataset(text: string, file: string, ir: ModelIR, options: { withTargets?: boolean } = {}): GraphInput[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new DatasetError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  return datasetGraphs(data, file, ir, options);
}

/** The graphs of an already-parsed dataset object (JSON, or what another reader such as extended XYZ built). */
export function datasetGraphs(data: unknown, file: string, ir: ModelIR, options: { withTargets?: boolean } = {}): GraphInput[] {
  if (!validate(data)) {
    const e = validate.errors![0]!;
    const where = e.instancePath.replace(/^\//, "").replace(/\/(\d+)/g, "[$1]").replace(/\//g, ".") || "(top level)";
    throw new DatasetError(`${file}: ${where}: ${e.message}${e.keyword === "additionalProperties" ? ` '${String((e.params as { additionalProperty?: string }).additionalProperty)}'` : ""}`);
  }
  const graphs = (data as { graphs: RawGraph[] }).graphs;
  const withTargets = options.withTargets ?? true;
  const usesEdges = modelUsesEdges(ir);
  return graphs.map((g, gi): GraphInput => {
    const at = `${file}: graphs[${gi}]`;
    const rows = (domain: "node" | "edge" | "graph") => (domain === "node" ? g.nodes : domain === "edge" ? (g.edges?.length ?? 0) : 1);
    const features: Record<string, number[]> = {};
    const read = (kind: "inputs" | "targets", f: { name: string; irreps: string; domain: "node" | "edge" | "graph" }) => {
      const values = g[kind]?.[f.name];
      if (!values) throw new DatasetError(`${at}.${kind}.${f.name}: missing (${f.irreps} per ${f.domain})`);
      const flat = values.flat();
      const dim = Irreps.parse(f.irreps).dim;
      const want = rows(f.domain) * dim;
      if (flat.length !== want) {
        throw new DatasetError(`${at}.${kind}.${f.name}: expected ${want} numbers (${rows(f.domain)} ${f.domain}${rows(f.domain) === 1 ? "" : "s"} x ${dim}, irreps ${f.irreps}), got ${flat.length}`);
      }
      features[f.name] = flat;
    };
    for (const f of ir.inputs) read("inputs", f);
    if (withTargets) for (const f of ir.targets) read("targets", f);
    for (const [s, d] of g.edges ?? []) {
      if (s >= g.nodes || d >= g.nodes) throw new DatasetError(`${at}.edges: edge ${s} -> ${d} names a node beyond ${g.nodes - 1}`);
    }
    const out: GraphInput = { numNodes: g.nodes, features };
    if (g.pbc && !g.cell) throw new DatasetError(`${at}.pbc: given without a cell`);
    if (g.cell) {
      if (ir.graph.mode !== "radius" && ir.graph.mode !== "knn") throw new DatasetError(`${at}.cell: a periodic cell needs a radius or knn graph, but the spec's graph is '${ir.graph.mode}'`);
      const vectors = g.cell.flat();
      try {
        checkCell({ vectors, ...(g.pbc ? { pbc: g.pbc } : {}) }, `${at}.cell`);
      } catch (e) {
        throw new DatasetError((e as Error).message);
      }
      out.cell = { vectors, ...(g.pbc ? { pbc: g.pbc } : {}) };
    }
    if (g.edges) out.edges = { src: g.edges.map((e) => e[0]), dst: g.edges.map((e) => e[1]) };
    else if (ir.graph.mode === "edges") {
      // A model that never looks at edges (a node-wise one) needs none; one that does must be given them.
      if (usesEdges) throw new DatasetError(`${at}.edges: missing (the spec's graph takes its edges from the data)`);
      out.edges = { src: [], dst: [] };
    }
    return out;
  });
}
