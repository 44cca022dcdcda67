/**
 * Stacking several graphs into one {@link GraphBatch}: validating each graph's data against the model's
 * declared fields, building or sorting its edges, shifting node indices by the graph's node offset and
 * concatenating features, then indexing the whole batch (CSR by destination and by source).
 *
 * Edges come out sorted by destination, then source, globally: each graph's edges are sorted, and graphs
 * occupy increasing node ranges. Per-edge feature rows follow their edges through the sort.
 */
import { checkCell, periodicKnnGraph, periodicRadiusGraph, type Cell, type PeriodicEdges } from "./periodic.js";
import type { GraphBatch } from "./batch.js";
import { buildCsr, sortEdgesByDestination } from "./csr.js";
import { EdgeLimitError, fullGraph, knnGraph, radiusGraph, type EdgeList } from "./neighbors.js";

/** One graph as data: node count, optional explicit edges, and named flat feature arrays (row-major). */
export interface GraphInput {
  numNodes: number;
  /** Directed edges src -> dst in the graph's own node indices, in any order (used in mode "edges"). */
  edges?: { src: ArrayLike<number>; dst: ArrayLike<number> };
  features: Record<string, ArrayLike<number>>;
  /**
   * A periodic cell (crystals, slabs): radius and knn graphs then connect nodes to the periodic images of
   * all nodes, and each edge carries its lattice shift (periodic.ts). Not allowed with full or explicit edges.
   */
  cell?: Cell;
}

export type FieldDomain = "node" | "edge" | "graph";

/** A named input: `dim` numbers per node, per edge or per graph. */
export interface FieldSpec {
  name: string;
  dim: number;
  domain: FieldDomain;
}

/**
 * How edges are made: from positions within a radius (strictly closer than `radius`, at most `maxNeighbors`
 * nearest sources per node when given), from the `k` nearest nodes, between all pairs of distinct nodes,
 * or taken from each graph's own `edges`.
 */
export interface ConnectivitySpec {
  mode: "radius" | "knn" | "full" | "edges";
  radius?: number | null;
  maxNeighbors?: number | null;
  k?: number | null;
  /**
   * False for a model that never reads an edge (node-wise layers only): then graphs may come without edges.
   * True: a radius / knn / full graph that comes out without any edge is refused (BatchInputError).
   */
  edgesUsed?: boolean;
}

export interface BatchSpec {
  /** Name of the node feature holding positions (3 per node); when given, the batch has `edgeVectors`. */
  positions?: string;
  graph: ConnectivitySpec;
  /** The fields copied into `GraphBatch.features`; other features of the data are ignored. */
  fields: FieldSpec[];
  /**
   * The most edges the whole batch may have (a memory budget, plan-size.ts). Full and knn graphs are
   * counted before they are built, radius graphs stop building there: {@link EdgeLimitError}. Default: none.
   */
  maxEdges?: number;
}

/** Bad input to {@link batchGraphs}; `path` names the offending field, e.g. `graphs[3].features.x`. */
export class BatchInputError extends Error {
  readonly path: string;

  constructor(path: string, detail: string) {
    super(`${path}: ${detail}`);
    this.name = "BatchInputError";
    this.path = path;
  }
}

const MAX_INDEX = 0xffffffff;

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? "" : "s"}`;

function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= MAX_INDEX;
}

function isArrayLike(value: unknown): value is ArrayLike<unknown> {
  return value != null && typeof value !== "function" && typeof (value as { length?: unknown }).length === "number";
}

/** Throws unless every entry of `values` is a finite number. */
function checkFinite(values: ArrayLike<unknown>, path: string): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== "number" || !Number.isFinite(v)) throw new BatchInputError(`${path}[${i}]`, "not a finite number");
  }
}

/** Validated connectivity: what each graph's edges are built with. */
type EdgeBuilder = ((pos: Float64Array | undefined, numNodes: number, cell: Cell | undefined, maxEdges: number) => EdgeList | PeriodicEdges) | "data";

/** Refuses a graph whose edge count, known before it is built, is over `limit`. */
function within(edges: number, limit: number): void {
  if (edges > limit) throw new EdgeLimitError(edges, limit);
}

function checkSpec(spec: BatchSpec): EdgeBuilder {
  if (spec == null || typeof spec !== "object") throw new BatchInputError("spec", "expected an object");
  if (!Array.isArray(spec.fields)) throw new BatchInputError("spec.fields", "expected an array");
  const names = new Set<string>();
  spec.fields.forEach((field, i) => {
    const path = `spec.fields[${i}]`;
    if (field == null || typeof field.name !== "string" || field.name === "") throw new BatchInputError(`${path}.name`, "expected a non-empty string");
    if (names.has(field.name)) throw new BatchInputError(`${path}.name`, `duplicate field name "${field.name}"`);
    names.add(field.name);
    if (!Number.isInteger(field.dim) || field.dim < 1) throw new BatchInputError(`${path}.dim`, `expected a positive integer, got ${String(field.dim)}`);
    if (field.domain !== "node" && field.domain !== "edge" && field.domain !== "graph") {
      throw new BatchInputError(`${path}.domain`, `expected "node", "edge" or "graph", got ${JSON.stringify(field.domain)}`);
    }
  });
  const { positions } = spec;
  if (positions !== undefined) {
    if (typeof positions !== "string" || positions === "") throw new BatchInputError("spec.positions", "expected a non-empty string");
    const declared = spec.fields.find((f) => f.name === positions);
    if (declared && (declared.domain !== "node" || declared.dim !== 3)) {
      throw new BatchInputError(
        "spec.positions",
        `field "${positions}" holds positions, so it must be declared per node with dim 3, not per ${declared.domain} with dim ${declared.dim}`,
      );
    }
  }
  const graph = spec.graph;
  if (graph == null || typeof graph !== "object") throw new BatchInputError("spec.graph", "expected an object");
  const mode = graph.mode;
  if (mode !== "radius" && mode !== "knn" && mode !== "full" && mode !== "edges") {
    throw new BatchInputError("spec.graph.mode", `expected "radius", "knn", "full" or "edges", got ${JSON.stringify(mode)}`);
  }
  if (mode === "edges") return "data";
  const edgeField = spec.fields.find((f) => f.domain === "edge");
  if (edgeField) {
    throw new BatchInputError(
      `spec.fields[${spec.fields.indexOf(edgeField)}]`,
      `per-edge field "${edgeField.name}" cannot come from the data: mode "${mode}" builds the edges (use mode "edges" to give them with the data)`,
    );
  }
  if ((mode === "radius" || mode === "knn") && positions === undefined) {
    throw new BatchInputError("spec.positions", `mode "${mode}" builds edges from positions: name the positions field`);
  }
  if (mode === "full") return (_pos, numNodes, _cell, limit) => (within(numNodes * Math.max(0, numNodes - 1), limit), fullGraph(numNodes));
  if (mode === "knn") {
    const k = graph.k;
    if (!isCount(k)) throw new BatchInputError("spec.graph.k", `mode "knn" needs a non-negative integer k, got ${String(k)}`);
    return (pos, n, cell, limit) => (within(n * (cell ? k : Math.min(k, Math.max(0, n - 1))), limit), cell ? periodicKnnGraph(pos!, cell, k) : knnGraph(pos!, k));
  }
  const radius = graph.radius;
  if (typeof radius !== "number" || !Number.isFinite(radius) || !(radius > 0)) {
    throw new BatchInputError("spec.graph.radius", `mode "radius" needs a finite positive radius, got ${String(radius)}`);
  }
  const maxNeighbors = graph.maxNeighbors ?? undefined;
  if (maxNeighbors !== undefined && !isCount(maxNeighbors)) {
    throw new BatchInputError("spec.graph.maxNeighbors", `expected a non-negative integer or null, got ${String(maxNeighbors)}`);
  }
  // A periodic graph is built over the images, whose edge count is not the graph's: it is checked once built.
  return (pos, _n, cell, limit) => (cell ? periodicRadiusGraph(pos!, cell, radius, maxNeighbors === undefined ? {} : { maxNeighbors }) : radiusGraph(pos!, radius, { maxNeighbors, maxEdges: limit }));
}

/** Checks a graph's explicit edges and sorts them; the permutation reorders per-edge rows. */
function sortDataEdges(graph: GraphInput, g: number, required: boolean): ReturnType<typeof sortEdgesByDestination> {
  const path = `graphs[${g}].edges`;
  const edges = graph.edges ?? (required ? undefined : { src: [], dst: [] });
  if (edges == null) throw new BatchInputError(path, `missing (spec.graph.mode is "edges")`);
  if (!isArrayLike(edges.src)) throw new BatchInputError(`${path}.src`, "expected an array of node indices");
  if (!isArrayLike(edges.dst)) throw new BatchInputError(`${path}.dst`, "expected an array of node indices");
  if (edges.src.length !== edges.dst.length) {
    throw new BatchInputError(path, `src has ${edges.src.length} entries but dst has ${edges.dst.length}`);
  }
  for (const end of ["src", "dst"] as const) {
    const indices = edges[end];
    for (let e = 0; e < indices.length; e++) {
      const v = indices[e];
      if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v >= graph.numNodes) {
        throw new BatchInputError(`${path}.${end}[${e}]`, `${String(v)} is not a node index (the graph has ${plural(graph.numNodes, "node")})`);
      }
    }
  }
  return sortEdgesByDestination(edges.src, edges.dst, graph.numNodes);
}

/** Returns graph g's feature `name`, checked to be `count` rows of `dim` finite numbers. */
function checkedFeature(graph: GraphInput, g: number, name: string, dim: number, count: number, rowNoun: string): ArrayLike<number> {
  const path = `graphs[${g}].features.${name}`;
  const value: unknown = Object.hasOwn(graph.features, name) ? graph.features[name] : undefined;
  if (value === undefined) throw new BatchInputError(path, "missing");
  if (!isArrayLike(value) || typeof value === "string") throw new BatchInputError(path, "expected an array of numbers");
  const expected = count * dim;
  if (value.length !== expected) {
    throw new BatchInputError(path, `expected ${expected} numbers (${plural(count, rowNoun)} x ${dim}), got ${value.length}`);
  }
  checkFinite(value, path);
  return value as ArrayLike<number>;
}

/** Per graph, what validation established. */
interface CheckedGraph {
  numNodes: number;
  positions: Float64Array | undefined;
  /** Sorted explicit edges (mode "edges"), else undefined until built. */
  sorted: ReturnType<typeof sortEdgesByDestination> | undefined;
  features: Map<string, ArrayLike<number>>;
  cell: Cell | undefined;
}

/**
 * Stacks `graphs` into one batch, as `spec` describes: edges built from positions (radius, knn), between
 * all pairs (full) or taken from the data (edges); every declared field checked for shape and finiteness and
 * copied to a Float64Array. Throws {@link BatchInputError} naming the path of the first bad value, before
 * any edge is built.
 */
export function batchGraphs(graphs: readonly GraphInput[], spec: BatchSpec): GraphBatch {
  const buildEdges = checkSpec(spec);
  if (!Array.isArray(graphs)) throw new BatchInputError("graphs", "expected an array of graphs");

  // Pass 1: validate everything (cheap), so that bad data fails before any expensive edge building.
  const checked: CheckedGraph[] = graphs.map((graph, g) => {
    if (graph == null || typeof graph !== "object") throw new BatchInputError(`graphs[${g}]`, "expected an object");
    if (!isCount(graph.numNodes)) {
      throw new BatchInputError(`graphs[${g}].numNodes`, `expected a non-negative integer, got ${String(graph.numNodes)}`);
    }
    if (graph.features == null || typeof graph.features !== "object") throw new BatchInputError(`graphs[${g}].features`, "expected an object");
    const numNodes = graph.numNodes;
    const features = new Map<string, ArrayLike<number>>();
    let positions: Float64Array | undefined;
    if (spec.positions !== undefined) {
      positions = Float64Array.from(checkedFeature(graph, g, spec.positions, 3, numNodes, "node"));
    }
    const sorted = buildEdges === "data" ? sortDataEdges(graph, g, spec.graph.edgesUsed !== false) : undefined;
    for (const field of spec.fields) {
      const [count, noun] =
        field.domain === "node" ? [numNodes, "node"] : field.domain === "graph" ? [1, "graph"] : [sorted!.src.length, "edge"];
      features.set(field.name, checkedFeature(graph, g, field.name, field.dim, count, noun));
    }
    let cell: Cell | undefined;
    if (graph.cell !== undefined) {
      try {
        checkCell(graph.cell, `graphs[${g}].cell`);
      } catch (e) {
        const message = (e as Error).message, at = message.indexOf(": ");
        throw new BatchInputError(message.slice(0, at), message.slice(at + 2));
      }
      if (spec.graph.mode !== "radius" && spec.graph.mode !== "knn") {
        throw new BatchInputError(`graphs[${g}].cell`, `a periodic cell needs a radius or knn graph (spec.graph.mode is "${spec.graph.mode}")`);
      }
      cell = graph.cell;
    }
    return { numNodes, positions, sorted, features, cell };
  });

  // Pass 2: edges per graph (local indices, sorted by dst then src).
  const maxEdges = spec.maxEdges ?? Infinity;
  let edgesBuilt = 0;
  const edgeLists: (EdgeList | PeriodicEdges)[] = checked.map((c, g) => {
    let list: EdgeList | PeriodicEdges;
    if (c.sorted) list = c.sorted;
    else {
      try {
        list = (buildEdges as Exclude<EdgeBuilder, "data">)(c.positions, c.numNodes, c.cell, maxEdges - edgesBuilt);
      } catch (e) {
        if (e instanceof EdgeLimitError) throw new EdgeLimitError(edgesBuilt + e.edges, maxEdges);
        if (c.cell && e instanceof RangeError) throw new BatchInputError(`graphs[${g}].cell`, e.message);
        // Positions a neighbour search cannot take (spread over more than 2^31 radii): name the field.
        if (e instanceof RangeError && spec.positions !== undefined) throw new BatchInputError(`graphs[${g}].features.${spec.positions}`, e.message);
        throw e;
      }
    }
    edgesBuilt += list.src.length;
    within(edgesBuilt, maxEdges);
    // A model that reads edges learns nothing from a graph without any (its loss contribution is flat).
    if (list.src.length === 0 && spec.graph.edgesUsed === true && buildEdges !== "data") {
      throw new BatchInputError(`graphs[${g}]`, `its ${spec.graph.mode} graph has no edges (${plural(c.numNodes, "node")}${spec.graph.mode === "radius" ? `, none closer than the radius ${String(spec.graph.radius)} to another` : ""}), but the model reads edges`);
    }
    return list;
  });

  const numGraphs = graphs.length;
  const graphNodeOffsets = new Uint32Array(numGraphs + 1);
  const graphEdgeOffsets = new Array<number>(numGraphs + 1).fill(0);
  for (let g = 0; g < numGraphs; g++) {
    const nodesSoFar = graphNodeOffsets[g] + checked[g].numNodes;
    const edgesSoFar = graphEdgeOffsets[g] + edgeLists[g].src.length;
    if (nodesSoFar > MAX_INDEX) throw new BatchInputError("graphs", `more than ${MAX_INDEX} nodes in one batch`);
    if (edgesSoFar > MAX_INDEX) throw new BatchInputError("graphs", `more than ${MAX_INDEX} edges in one batch`);
    graphNodeOffsets[g + 1] = nodesSoFar;
    graphEdgeOffsets[g + 1] = edgesSoFar;
  }
  const numNodes = graphNodeOffsets[numGraphs];
  const numEdges = graphEdgeOffsets[numGraphs];

  const nodeGraph = new Uint32Array(numNodes);
  const edgeSrc = new Uint32Array(numEdges);
  const edgeDst = new Uint32Array(numEdges);
  for (let g = 0; g < numGraphs; g++) {
    nodeGraph.fill(g, graphNodeOffsets[g], graphNodeOffsets[g + 1]);
    const shift = graphNodeOffsets[g];
    const { src, dst } = edgeLists[g];
    const base = graphEdgeOffsets[g];
    for (let e = 0; e < src.length; e++) {
      edgeSrc[base + e] = src[e] + shift;
      edgeDst[base + e] = dst[e] + shift;
    }
  }

  const features: Record<string, Float64Array> = {};
  for (const field of spec.fields) {
    const { name, dim, domain } = field;
    const rows = domain === "node" ? numNodes : domain === "edge" ? numEdges : numGraphs;
    const out = new Float64Array(rows * dim);
    for (let g = 0; g < numGraphs; g++) {
      const data = checked[g].features.get(name)!;
      if (domain === "edge") {
        // Row e of the sorted edges is row permutation[e] of the data.
        const permutation = checked[g].sorted!.permutation;
        const base = graphEdgeOffsets[g] * dim;
        for (let e = 0; e < permutation.length; e++) {
          const from = permutation[e] * dim;
          for (let j = 0; j < dim; j++) out[base + e * dim + j] = data[from + j];
        }
      } else {
        out.set(data, (domain === "node" ? graphNodeOffsets[g] : g) * dim);
      }
    }
    // defineProperty: a field may be called "__proto__" without touching the object's prototype.
    Object.defineProperty(features, name, { value: out, enumerable: true, writable: true, configurable: true });
  }

  const batch: GraphBatch = {
    numGraphs,
    numNodes,
    numEdges,
    nodeGraph,
    graphNodeOffsets,
    edgeSrc,
    edgeDst,
    ...buildCsr(numNodes, edgeSrc, edgeDst),
    features,
  };

  if (spec.positions !== undefined) {
    const pos = new Float64Array(3 * numNodes);
    for (let g = 0; g < numGraphs; g++) pos.set(checked[g].positions!, 3 * graphNodeOffsets[g]);
    // Lattice shifts of periodic edges (zero for every other edge), in the batch's edge order.
    const edgeShifts = new Float64Array(3 * numEdges);
    for (let g = 0; g < numGraphs; g++) {
      const list = edgeLists[g]!;
      if ("shift" in list) edgeShifts.set(list.shift, 3 * graphEdgeOffsets[g]!);
    }
    const edgeVectors = new Float64Array(3 * numEdges);
    for (let e = 0; e < numEdges; e++) {
      const s = 3 * edgeSrc[e], d = 3 * edgeDst[e];
      edgeVectors[3 * e] = pos[d] - pos[s] + edgeShifts[3 * e];
      edgeVectors[3 * e + 1] = pos[d + 1] - pos[s + 1] + edgeShifts[3 * e + 1];
      edgeVectors[3 * e + 2] = pos[d + 2] - pos[s + 2] + edgeShifts[3 * e + 2];
    }
    batch.edgeVectors = edgeVectors;
    batch.edgeShifts = edgeShifts;
  }
  return batch;
}
