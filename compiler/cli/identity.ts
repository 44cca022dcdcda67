/**
 * What a checkpoint must match to be resumed: the model as compiled (a hash of its IR, so comments, layout and
 * the file name do not count, but every layer, size, constant and training setting does) and the data it
 * trains on (a hash of the graphs as the model receives them, so the same graphs in JSON or XYZ agree).
 */
import { createHash } from "node:crypto";
import type { GraphInput } from "../../runtime/graph/batching.js";
import type { ModelIR } from "../ir/types.js";

/** JSON with object keys sorted, so the hash does not depend on the order fields were built in. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** SHA-256 of the IR without its `source` (file name and the hash of the raw text). */
export function irSha256(ir: ModelIR): string {
  const { source: _source, ...rest } = ir;
  return createHash("sha256").update(canonical(rest)).digest("hex");
}

/** SHA-256 of the graphs in order: node counts, features by name (as float64), given edges, cells. */
export function datasetSha256(graphs: readonly GraphInput[]): string {
  const h = createHash("sha256");
  const numbers = (tag: string, values: ArrayLike<number>) => {
    h.update(`${tag}:${values.length}:`);
    h.update(new Uint8Array(Float64Array.from(values).buffer));
  };
  h.update(`graphs:${graphs.length};`);
  for (const g of graphs) {
    h.update(`g:${g.numNodes};`);
    for (const name of Object.keys(g.features).sort()) numbers(`f:${JSON.stringify(name)}`, g.features[name]!);
    if (g.edges) {
      numbers("src", g.edges.src);
      numbers("dst", g.edges.dst);
    }
    if (g.cell) {
      numbers("cell", g.cell.vectors);
      if (g.cell.pbc) numbers("pbc", Array.from(g.cell.pbc, (b) => (b ? 1 : 0)));
    }
  }
  return h.digest("hex");
}
