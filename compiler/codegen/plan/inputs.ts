/**
 * The buffers every model has (parameters and their gradient, the graph's index arrays), a buffer per value
 * (inputs, targets, edge attributes, layer outputs), and the edge attributes' forward steps.
 */
import type { Extent } from "../../../runtime/model/plan.js";
import { radialBasisKernels, sphericalHarmonicsKernels } from "../wgsl/edge-geometry.js";
import type { PlanContext } from "./context.js";

export function planInputs(ctx: PlanContext): void {
  const { ir, b } = ctx;
  const count = (n: number): Extent => ({ count: Math.max(1, n) });
  b.buffer({ name: "params", rows: count(ir.paramCount), cols: 1, type: "f32", role: "params" });
  b.buffer({ name: "grad_params", rows: count(ir.paramCount), cols: 1, type: "f32", role: "gradient" });
  b.buffer({ name: "one", rows: { count: 1 }, cols: 1, type: "f32", role: "constant", values: [1] });
  // One regulariser value per relaxed layer, summed on the host with the loss.
  const relaxedLayers = ir.layers.filter((l) => l.op === "relaxed_conv" || l.op === "relaxed_node").length;
  b.buffer({ name: "reg", rows: { count: Math.max(1, relaxedLayers) }, cols: 1, type: "f32", role: "gradient" });
  for (const [name, rows, extra] of [
    ["edge_src", "edges", 0], ["edge_dst", "edges", 0], ["dst_offsets", "nodes", 1], ["src_offsets", "nodes", 1],
    ["src_edges", "edges", 0], ["node_graph", "nodes", 0], ["graph_node_offsets", "graphs", 1],
  ] as const) {
    b.buffer({ name, rows, cols: 1, type: "u32", role: "input", ...(extra ? { extraRows: extra } : {}) });
  }

  for (const f of ir.inputs) ctx.valueBuffer(f.name, f.irreps, f.domain, "input");
  for (const t of ir.targets) ctx.valueBuffer(t.name, t.irreps, t.domain, "input");
  for (const e of ir.edgeAttrs) ctx.valueBuffer(e.name, e.irreps, "edge", "scratch");
  for (const l of ir.layers) ctx.valueBuffer(l.name, l.irrepsOut, l.domain, "scratch");

  const { pos, shifted } = ctx;
  if (shifted && ir.edgeAttrs.length > 0) b.buffer({ name: "edge_shift", rows: "edges", cols: 3, type: "f32", role: "input", source: "edge_shift" });
  for (const attr of ir.edgeAttrs) {
    if (!pos) throw new Error(`plan: edge attribute '${attr.name}' needs positions`);
    const k = attr.op === "spherical_harmonics" ? sphericalHarmonicsKernels(attr, { shift: shifted }) : radialBasisKernels(attr, { shift: shifted });
    const out = attr.op === "spherical_harmonics" ? "y" : "emb";
    b.step("forward", `${attr.name}.forward`, k.forward, "edges", { pos: `v.${pos}`, [out]: `v.${attr.name}`, src: "edge_src", dst: "edge_dst", ...(shifted ? { shift: "edge_shift" } : {}) });
  }
}
