/**
 * What a graph's positions mean for a model that reads edges, checked when the data is read: a graph whose
 * radius / knn / full graph has no edge gives such a model nothing to learn from (its loss stays flat, and
 * the learned symmetry reads "keeps O(3)"), so it is an error; coincident nodes give zero-length edges,
 * which have no direction (only their l = 0 harmonics are non-zero), so they are a warning.
 *
 * A nearest-neighbour search per graph (a k-d tree, O(N log N)) finds the closest pair; a radius graph is
 * also started as training will build it (stopping at its second edge), so that positions it cannot take
 * (spread over more than 2^31 radii) are reported here, with the file, rather than in the middle of training.
 */
import type { GraphInput } from "../../runtime/graph/batching.js";
import { EdgeLimitError, knnGraph, radiusGraph } from "../../runtime/graph/neighbors.js";
import { periodicKnnGraph, periodicRadiusGraph, type PeriodicEdges } from "../../runtime/graph/periodic.js";
import type { ModelIR } from "../ir/types.js";
import { modelUsesEdges } from "../ir/uses-edges.js";

/** The closest pair of distinct nodes (or of a node and a periodic image), or undefined for fewer than two. */
function closestPair(pos: ArrayLike<number>, cell: GraphInput["cell"]): { a: number; b: number; distance: number } | undefined {
  const g = cell ? periodicKnnGraph(pos, cell, 1) : knnGraph(pos, 1);
  let best: { a: number; b: number; distance: number } | undefined;
  for (let e = 0; e < g.src.length; e++) {
    const s = 3 * g.src[e]!, d = 3 * g.dst[e]!;
    const shift = (g as Partial<PeriodicEdges>).shift;
    const v = [0, 1, 2].map((c) => pos[d + c]! - pos[s + c]! + (shift ? shift[3 * e + c]! : 0));
    const distance = Math.hypot(v[0]!, v[1]!, v[2]!);
    if (!best || distance < best.distance) best = { a: Math.min(g.src[e]!, g.dst[e]!), b: Math.max(g.src[e]!, g.dst[e]!), distance };
  }
  return best;
}

/**
 * The error (a message without the file) for a graph whose built graph has no edges while the model reads
 * edges, and the warning for coincident nodes; `at` names the graph (`graphs[3]`).
 */
export function graphGeometry(ir: ModelIR, graph: GraphInput, at: string): { error?: string; warning?: string } {
  const { mode, positions, radius } = ir.graph;
  if (!positions || mode === "edges" || !modelUsesEdges(ir)) return {};
  const pos = graph.features[positions]!;
  const field = `${at}${graph.cell ? ".cell" : `.inputs.${positions}`}`;
  let pair: ReturnType<typeof closestPair>;
  try {
    pair = closestPair(pos, graph.cell);
  } catch (e) {
    // Positions or a cell that a neighbour search cannot take (a cell far smaller than the distances).
    if (e instanceof RangeError) return { error: `${field}: ${e.message}` };
    throw e;
  }
  const n = graph.numNodes;
  const nodes = `${n} node${n === 1 ? "" : "s"}`;
  if (!pair) return { error: `${at}: its ${mode} graph has no edges (a graph of ${nodes}${graph.cell ? "" : " and no periodic cell"}), but the model reads edges` };
  if (mode === "radius") {
    const trouble = radiusGraphTrouble(pos, graph.cell, radius!);
    if (trouble) return { error: `${field}: ${trouble}` };
  }
  if (mode === "radius" && !(pair.distance < radius!)) {
    return { error: `${at}: its radius graph has no edges: the closest two of its ${nodes} are ${pair.distance.toPrecision(4)} apart, not closer than the radius ${radius}, but the model reads edges (are the positions in the spec's units?)` };
  }
  if (pair.distance === 0) {
    return { warning: `${at}.inputs.${positions}: nodes ${pair.a} and ${pair.b} are at the same position: edges between them have length 0 and no direction` };
  }
  return {};
}

/** Why the radius graph cannot be built from these positions, or undefined when it can. */
function radiusGraphTrouble(pos: ArrayLike<number>, cell: GraphInput["cell"], radius: number): string | undefined {
  try {
    if (cell) periodicRadiusGraph(pos, cell, radius);
    else radiusGraph(pos, radius, { maxEdges: 1 });
  } catch (e) {
    if (e instanceof EdgeLimitError) return undefined;
    if (e instanceof RangeError) return e.message;
    throw e;
  }
  return undefined;
}
