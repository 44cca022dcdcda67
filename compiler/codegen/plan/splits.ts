/**
 * Which values are stored as column groups (column-groups.ts): fused conv outputs wider than a device-derived
 * width whose every reader is a plain linear layer (the only kernels, besides the conv's own paths, that read
 * them block by block) and that are no model output or loss operand.
 */
import type { LayerIR, ModelIR } from "../../ir/types.js";
import { Irreps } from "../../o3/irreps.js";
import { columnGroups, type Columns } from "../column-groups.js";
import { PLANNED_NODES } from "../reduction-shape.js";
import { isPlainLinear } from "../wgsl/linear.js";
import { radialTableApplies } from "../wgsl/radial-table.js";
import type { PlanOptions } from "./options.js";

/**
 * Default column-group width: 256 without a device limit (each group under 128 MiB, lavapipe's binding limit,
 * up to ~130k nodes); with a larger limit, as wide as a group of PLANNED_NODES rows still binds (2 GiB: 536
 * columns, so the benchmark's 592 columns take 2 groups and bind at a million nodes).
 */
function splitColsFor(maxBindingBytes: number | undefined): number {
  if (maxBindingBytes === undefined) return 256;
  return Math.max(256, Math.floor(maxBindingBytes / (4 * PLANNED_NODES)));
}

export function splitValues(ir: ModelIR, options: PlanOptions): Map<string, Columns[]> {
  const maxCols = options.splitCols ?? splitColsFor(options.maxBindingBytes);
  const fused = (l: Extract<LayerIR, { op: "conv" }>) => !!ir.graph.positions && radialTableApplies(ir.edgeAttrs.find((e) => e.name === l.inputs[2]), l.radial);
  const splits = new Map<string, Columns[]>();
  const exposed = new Set([...ir.outputs.map((o) => o.source), ...(ir.train.loss ? [ir.train.loss.output, ir.train.loss.target] : [])]);
  for (const l of ir.layers) {
    if (l.op !== "conv" || !fused(l) || Irreps.parse(l.irrepsOut).dim <= maxCols || exposed.has(l.name)) continue;
    const readers = ir.layers.filter((r) => r.inputs.includes(l.name));
    const plain = (r: LayerIR) => (r.op === "linear" || (r.op === "self_connection" && !r.attr)) && isPlainLinear(r.tp);
    if (readers.length && readers.every(plain)) splits.set(l.name, columnGroups(l.irrepsOut, maxCols));
  }
  return splits;
}
