/** Row counts of the three domains of a batch: a node value has numNodes rows, edge numEdges, graph numGraphs. */
import type { Domain } from "../ir/types.js";
import type { GraphBatch } from "../../runtime/graph/batch.js";

export function rowsOf(domain: Domain, batch: GraphBatch): number {
  return domain === "node" ? batch.numNodes : domain === "edge" ? batch.numEdges : batch.numGraphs;
}

/** A (rows, 1) column of ones: the constant 1x0e attribute of `linear` and attribute-less `self_connection`. */
export function ones(rows: number): Float64Array {
  return new Float64Array(rows).fill(1);
}

/** Sum of a (rows, dim) array over its rows: the gradient of a value broadcast to every row. */
export function sumRows(x: Float64Array, rows: number, dim: number): Float64Array {
  const out = new Float64Array(dim);
  for (let r = 0; r < rows; r++) for (let i = 0; i < dim; i++) out[i] += x[r * dim + i]!;
  return out;
}

/** `v` (dim) repeated on `rows` rows. */
export function broadcastRows(v: Float64Array, rows: number): Float64Array {
  const out = new Float64Array(rows * v.length);
  for (let r = 0; r < rows; r++) out.set(v, r * v.length);
  return out;
}
