/**
 * What a checkpoint must match to be resumed, besides the model (compiler/ir/identity.ts): the data it trains
 * on, as a hash of the graphs as the model receives them, so the same graphs in JSON or XYZ agree. Node-only
 * (streams the hash through node:crypto); the IR's hash lives apart so the browser can use it.
 */
import { createHash } from "node:crypto";
import type { GraphInput } from "../../runtime/graph/batching.js";

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
