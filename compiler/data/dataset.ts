/**
 * The JSON dataset format (dataset.schema.json beside this file): graphs with a node count, optional edges,
 * and per-name inputs and targets as declared by the spec. JSON has no NaN or Infinity, and the schema admits
 * only finite numbers (a 1e400, which parses as Infinity, is rejected there); the model computes in float32,
 * so numbers past its range (1e39) are refused too. Errors name the file, the record and the field,
 * e.g. `data.json: graphs[3].targets.t: expected 9 numbers (3 nodes x 3, irreps 1x0e+1x1o), got 8`.
 * Field names are looked up as own properties only, so `__proto__` or `constructor` are names like any other.
 */
import { Ajv } from "ajv";
import type { GraphInput } from "../../runtime/graph/batching.js";
import { checkCell } from "../../runtime/graph/periodic.js";
import type { ModelIR } from "../ir/types.js";
import { modelUsesEdges } from "../ir/uses-edges.js";
import { Irreps } from "../o3/irreps.js";
import { graphGeometry } from "./geometry.js";
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

// verbose: errors carry the offending value, so a message can say what was found, not only what was expected.
const validate = new Ajv({ allErrors: false, strict: true, verbose: true }).compile(schema);

export interface DatasetOptions {
  /** Read the targets too (default true). */
  withTargets?: boolean;
  /** Receives warnings such as coincident nodes (default: printed to stderr). */
  onWarning?: (message: string) => void;
}

/** The schema's first complaint in words, with the value found where that helps. */
function schemaMessage(e: NonNullable<typeof validate.errors>[number]): string {
  if (typeof e.data === "number" && !Number.isFinite(e.data)) {
    return `a number beyond float64's range (it reads as ${e.data}; a literal such as 1e400 is too large for float64, let alone float32, in which the model computes)`;
  }
  if (e.keyword === "const") return `must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}, found ${JSON.stringify(e.data)?.slice(0, 60)}`;
  if (e.keyword === "additionalProperties") return `${e.message} '${String((e.params as { additionalProperty?: string }).additionalProperty)}'`;
  return e.message ?? "invalid";
}

/** Own properties only: a field named `constructor` or `toString` must not find Object.prototype's. */
function own<T>(record: Record<string, T> | undefined, name: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, name) ? record[name] : undefined;
}

const F32_MAX = 3.4028234663852886e38;

/** Reads a dataset for `ir`: every declared input (and, when `withTargets`, every target) of every graph. */
export function parseDataset(text: string, file: string, ir: ModelIR, options: DatasetOptions = {}): GraphInput[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new DatasetError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  return datasetGraphs(data, file, ir, options);
}

/** The graphs of an already-parsed dataset object (JSON, or what another reader such as extended XYZ built). */
export function datasetGraphs(data: unknown, file: string, ir: ModelIR, options: DatasetOptions = {}): GraphInput[] {
  if (!validate(data)) {
    const e = validate.errors![0]!;
    const where = e.instancePath.replace(/^\//, "").replace(/\/(\d+)/g, "[$1]").replace(/\//g, ".").replace(/~1/g, "/").replace(/~0/g, "~") || "(top level)";
    throw new DatasetError(`${file}: ${where}: ${schemaMessage(e)}`);
  }
  const graphs = (data as { graphs: RawGraph[] }).graphs;
  const withTargets = options.withTargets ?? true;
  const usesEdges = modelUsesEdges(ir);
  const warnings: string[] = [];
  const result = graphs.map((g, gi): GraphInput => {
    const at = `${file}: graphs[${gi}]`;
    if (g.nodes === 0) throw new DatasetError(`${at}.nodes: a graph needs at least one node (one without any has no outputs and adds nothing to the loss)`);
    const rows = (domain: "node" | "edge" | "graph") => (domain === "node" ? g.nodes : domain === "edge" ? (g.edges?.length ?? 0) : 1);
    // No prototype: a field named __proto__ is stored as data, not as the object's prototype.
    const features: Record<string, number[]> = Object.create(null) as Record<string, number[]>;
    const read = (kind: "inputs" | "targets", f: { name: string; irreps: string; domain: "node" | "edge" | "graph" }) => {
      const path = `${at}.${kind}.${f.name}`;
      const values = own(g[kind], f.name);
      if (!values) throw new DatasetError(`${path}: missing (${f.irreps} per ${f.domain})`);
      const dim = Irreps.parse(f.irreps).dim;
      const count = rows(f.domain);
      const noun = `${f.domain}${count === 1 ? "" : "s"}`;
      // Rows given as arrays must each be one whole row: a short row and a long one can add up to the right total.
      if (values.some(Array.isArray)) {
        values.forEach((row, r) => {
          if (!Array.isArray(row)) throw new DatasetError(`${path}[${r}]: a single number among rows; give every ${f.domain}'s ${dim} numbers as an array, or all numbers flat`);
          if (row.length !== dim) throw new DatasetError(`${path}[${r}]: expected a row of ${dim} numbers (irreps ${f.irreps}), got ${row.length}`);
        });
        if (values.length !== count) throw new DatasetError(`${path}: expected ${count} rows (${count} ${noun} x ${dim}, irreps ${f.irreps}), got ${values.length}`);
      }
      const flat = values.flat();
      const want = count * dim;
      if (flat.length !== want) {
        throw new DatasetError(`${path}: expected ${want} numbers (${count} ${noun} x ${dim}, irreps ${f.irreps}), got ${flat.length}`);
      }
      flat.forEach((v, i) => {
        if (Math.abs(v) > F32_MAX) {
          const index = values.some(Array.isArray) ? `[${Math.floor(i / dim)}][${i % dim}]` : `[${i}]`;
          throw new DatasetError(`${path}${index}: ${v} is beyond float32's range (±3.4028235e38), in which the model computes`);
        }
      });
      Object.defineProperty(features, f.name, { value: flat, enumerable: true, writable: true, configurable: true });
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
    const geometry = graphGeometry(ir, out, at);
    if (geometry.error) throw new DatasetError(geometry.error);
    if (geometry.warning) warnings.push(geometry.warning);
    return out;
  });
  const warn = options.onWarning ?? ((m: string) => process.stderr.write(`warning: ${m}\n`));
  // One line per graph would bury everything else on a large dataset.
  for (const w of warnings.slice(0, 5)) warn(w);
  if (warnings.length > 5) warn(`${file}: ${warnings.length - 5} more graphs with coincident nodes`);
  return result;
}
