/** The benchmark's random graph: N nodes, E directed edges without self-loops, positions in a 10^3 box. */
import type { ModelIR } from "../compiler/ir/types.js";
import { Irreps } from "../compiler/o3/irreps.js";
import { batchGraphs, seededRng, randomNormal, type GraphBatch } from "../runtime/index.js";

export function randomBatch(ir: ModelIR, nodes: number, edges: number, seed: number): GraphBatch {
  const rng = seededRng(seed);
  const src = new Uint32Array(edges), dst = new Uint32Array(edges);
  for (let e = 0; e < edges; e++) {
    src[e] = Math.floor(rng() * nodes);
    dst[e] = (src[e]! + 1 + Math.floor(rng() * (nodes - 1))) % nodes;
  }
  const x = Float64Array.from({ length: nodes * Irreps.parse(ir.inputs[0]!.irreps).dim }, () => randomNormal(rng));
  const pos = Float64Array.from({ length: nodes * 3 }, () => 10 * rng());
  const fields = ir.inputs.map((f) => ({ name: f.name, dim: Irreps.parse(f.irreps).dim, domain: f.domain }));
  return batchGraphs([{ numNodes: nodes, edges: { src, dst }, features: { x, pos } }], { positions: "pos", graph: { mode: "edges" }, fields });
}
