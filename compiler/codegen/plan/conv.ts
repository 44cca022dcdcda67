/**
 * Convolutions. With a radial table (radial-table.ts) a conv runs fused: one kernel per path reads the
 * table through each edge's stencil and sums a node's incoming messages, and its output may be stored as
 * column groups (splits.ts). Otherwise: the radial MLP per edge, a gathering tensor product into per-edge
 * messages, then a deterministic segment sum over each node's incoming edges.
 */
import type { Extent } from "../../../runtime/model/plan.js";
import type { LayerOf, TensorProductIR } from "../../ir/types.js";
import { Irreps } from "../../o3/irreps.js";
import { groupOf, type Columns } from "../column-groups.js";
import { segmentSumKernels } from "../wgsl/aggregate.js";
import { fusedConvBackwardInputKernel, fusedConvForwardKernel, fusedConvPathCount, fusedConvWeightPartialKernel, fusedConvWeightPartialWorkgroupKernel } from "../wgsl/conv-fused.js";
import { dimOf, only, type PlanContext } from "./context.js";
import type { LayerPlanner } from "./planner.js";
import { radialBackward, radialForward, radialTable, radialTableBackward, radialTableForward, radialTablePartial } from "./radial.js";
import { gatherInto } from "./reduce.js";
import { tpBackward, tpForward } from "./tensor-product.js";

type Conv = LayerOf<"conv">;

/** The column group holding path p's output block. */
function convGroupOf(tp: TensorProductIR, groups: readonly Columns[], p: number): number {
  const ins = tp.instructions[p]!, o = Irreps.parse(tp.irrepsOut);
  return groupOf(groups, o.offsets[ins.iOut]!, o.get(ins.iOut).mul * o.get(ins.iOut).ir.dim);
}

/**
 * The fused conv's backward: per path, the input gradient and the weight partials, then the table's
 * backward. `gOut` is the output gradient, one buffer per column group when `groups`.
 */
function fusedConvBackward(ctx: PlanContext, layer: Conv, gOut: string[], groups?: Columns[]): void {
  const L = layer.name, x = layer.inputs[0]!, [sh, emb] = [layer.inputs[1]!, layer.inputs[2]!];
  const table = radialTable(ctx, layer.radial, emb)!;
  const scale = 1 / Math.sqrt(layer.numNeighbors), stencil = `s.${L}.stencil`, t = `s.${L}.table`;
  const gx = ctx.grad(x);
  const { partial, chunks, chunkEdges } = radialTablePartial(ctx, L, table);
  for (let p = 0; p < fusedConvPathCount(layer.tp); p++) {
    const k = groups ? convGroupOf(layer.tp, groups, p) : 0;
    const group = groups?.[k];
    const bi = fusedConvBackwardInputKernel(layer.tp, scale, p, group);
    if (gx) {
      const bind = { x2: `v.${sh}`, stencil, table: t, table4: t, grad_out: gOut[k]!, grad_x1: gx, src_offsets: "src_offsets", src_edges: "src_edges", edge_dst: "edge_dst" };
      ctx.b.step("backward", `${L}.conv.backward_input.p${p}`, bi, "nodes", only(bi, bind));
    }
    // The GPU shape shares each chunk's edges among a workgroup (radial-table.ts, stagedTablePartialKernel).
    const w = chunkEdges ? fusedConvWeightPartialWorkgroupKernel(layer.tp, scale, table.cells, p, chunkEdges, group) : fusedConvWeightPartialKernel(layer.tp, scale, table.cells, chunks, p, group);
    if (w) {
      const bind = { x1: `v.${x}`, x2: `v.${sh}`, grad_out: gOut[k]!, stencil, partial, partial4: partial, edge_src: "edge_src", edge_dst: "edge_dst" };
      ctx.b.step("backward", `${L}.conv.weight_partial.p${p}`, w, w.rows as Extent, only(w, bind));
    }
  }
  radialTableBackward(ctx, L, table, partial, chunks, chunkEdges);
}

export const convPlanner: LayerPlanner<Conv> = {
  forward(ctx, layer) {
    const L = layer.name, out = `v.${L}`, x = layer.inputs[0]!;
    const [sh, emb] = [layer.inputs[1]!, layer.inputs[2]!];
    if (radialTable(ctx, layer.radial, emb)) {
      const { table, stencil } = radialTableForward(ctx, L, layer.radial, emb);
      const groups = ctx.splits.get(L);
      for (let p = 0; p < fusedConvPathCount(layer.tp); p++) {
        const k = groups ? convGroupOf(layer.tp, groups, p) : undefined;
        const kernel = fusedConvForwardKernel(layer.tp, 1 / Math.sqrt(layer.numNeighbors), p, k === undefined ? undefined : groups![k]);
        const bind = { x1: `v.${x}`, x2: `v.${sh}`, stencil, table, table4: table, out: k === undefined ? out : `${out}@${k}`, dst_offsets: "dst_offsets", edge_src: "edge_src" };
        ctx.b.step("forward", `${L}.conv.p${p}`, kernel, "nodes", only(kernel, bind));
      }
      return;
    }
    const weights = radialForward(ctx, L, layer.radial, emb);
    const msg = ctx.scratch(`s.${L}.msg`, "edges", dimOf(layer.irrepsOut));
    tpForward(ctx, `${L}.tp`, layer.tp, { x1: "gather" }, { x1: `v.${x}`, x2: `v.${sh}`, weight: weights, out: msg }, "edges");
    const seg = segmentSumKernels(dimOf(layer.irrepsOut), 1 / Math.sqrt(layer.numNeighbors));
    ctx.b.step("forward", `${L}.sum`, seg.forward, "nodes", { msg, out, dst_offsets: "dst_offsets" });
  },

  backward(ctx, layer, gOut) {
    const L = layer.name, x = layer.inputs[0]!;
    const [sh, emb] = [layer.inputs[1]!, layer.inputs[2]!];
    if (radialTable(ctx, layer.radial, emb)) {
      fusedConvBackward(ctx, layer, [gOut]);
      return;
    }
    const gmsg = ctx.scratch(`s.${L}.gmsg`, "edges", dimOf(layer.irrepsOut), "gradient");
    ctx.b.step("backward", `${L}.sum.backward`, segmentSumKernels(dimOf(layer.irrepsOut), 1 / Math.sqrt(layer.numNeighbors)).backward, "edges", { grad_out: gOut, grad_msg: gmsg, edge_dst: "edge_dst" });
    const g = tpBackward(ctx, `${L}.tp.backward`, layer.tp, { x1: "gather" }, { x1: `v.${x}`, x2: `v.${sh}`, weight: `s.${L}.radial`, grad_out: gmsg }, "edges", `s.${L}.tp`);
    gatherInto(ctx, x, g.gx1);
    radialBackward(ctx, L, layer.radial, emb, g.gw);
  },

  backwardGroups(ctx, layer, gOut) {
    fusedConvBackward(ctx, layer, gOut, ctx.splits.get(layer.name));
  },
};
