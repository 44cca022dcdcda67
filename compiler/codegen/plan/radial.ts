/**
 * A conv's radial MLP: per edge from the edge embedding, or (radial-table.ts) tabulated once per batch on a
 * grid of distances and read per edge through a stencil. Shared by the conv and relaxed-conv planners.
 */
import type { Extent } from "../../../runtime/model/plan.js";
import type { RadialMlpIR } from "../../ir/types.js";
import { radialMlpKernels } from "../wgsl/radial-mlp.js";
import { tableMlpKernels } from "../wgsl/radial-table-mlp.js";
import { radialInterpolateKernel, radialStencilKernel, radialTableApplies, radialTableCells, radialTableChunks, radialTableEmbedding, radialTablePartialKernel, radialTablePartialWorkgroupKernel, radialTableReduceKernel, STENCIL_COLS } from "../wgsl/radial-table.js";
import { only, type PlanContext } from "./context.js";
import { blockSum } from "./reduce.js";

export type RadialTable = NonNullable<ReturnType<typeof radialTable>>;

/** The radial table of an MLP when its embedding qualifies (radial-table.ts), else undefined. */
export function radialTable(ctx: PlanContext, mlp: RadialMlpIR, emb: string) {
  const attr = ctx.ir.edgeAttrs.find((e) => e.name === emb);
  if (!ctx.pos || !radialTableApplies(attr, mlp)) return undefined;
  const cells = radialTableCells(attr);
  const cols = mlp.sizes[mlp.sizes.length - 1]!;
  return { attr, cells, cols, nodes: { count: cells + 1 }, mlp: tableMlpKernels(mlp, mlp.params.map((p) => ctx.offsetOf(p)), cells + 1) };
}

/** The MLP's table `s.<L>.table` over the grid, and each edge's stencil `s.<L>.stencil`. */
export function radialTableForward(ctx: PlanContext, L: string, mlp: RadialMlpIR, emb: string): { table: string; stencil: string } {
  const { b } = ctx;
  const table = radialTable(ctx, mlp, emb)!;
  const grid = b.buffer({ name: `s.${L}.grid_emb`, rows: table.nodes, cols: mlp.sizes[0]!, type: "f32", role: "constant", values: radialTableEmbedding(table.attr, table.cells) });
  const t = ctx.scratch(`s.${L}.table`, table.nodes, table.cols);
  const bind = { emb: grid, model_params: "params", out: t, hidden: ctx.scratch(`s.${L}.table_hidden`, table.nodes, table.mlp.hiddenSize), acts: ctx.scratch(`s.${L}.table_acts`, table.nodes, table.mlp.hiddenSize) };
  table.mlp.forward.forEach((k, i) => b.step("forward", `${L}.radial.table.${i}`, k, k.rows, only(k, bind)));
  const stencil = ctx.scratch(`s.${L}.stencil`, "edges", STENCIL_COLS);
  const stencilBind: Record<string, string> = { pos: `v.${ctx.pos}`, stencil, src: "edge_src", dst: "edge_dst", ...(ctx.shifted ? { shift: "edge_shift" } : {}) };
  b.step("forward", `${L}.radial.stencil`, radialStencilKernel(table.attr, table.cells, { shift: ctx.shifted }), "edges", stencilBind);
  return { table: t, stencil };
}

/** From the chunks' partial tables: the table's gradient, then the MLP's backward on the grid. */
export function radialTableBackward(ctx: PlanContext, L: string, table: RadialTable, partial: string, chunks: number, chunkEdges?: number): void {
  const gTable = ctx.scratch(`s.${L}.grad_table`, table.nodes, table.cols);
  if (chunkEdges) blockSum(ctx, `${L}.radial.table_reduce`, partial, (table.cells + 1) * table.cols, { per: "edges", block: chunkEdges }, gTable, 0, false);
  else ctx.b.step("backward", `${L}.radial.table_reduce`, radialTableReduceKernel(table.cells, table.cols, chunks), { count: (table.cells + 1) * table.cols }, { partial, grad_table: gTable });
  const bind = { emb: `s.${L}.grid_emb`, acts: `s.${L}.table_acts`, hidden: `s.${L}.table_hidden`, model_params: "params", grad_out: gTable, delta: ctx.scratch(`s.${L}.table_delta`, table.nodes, table.mlp.hiddenSize), grad_params: "grad_params" };
  table.mlp.backward.forEach((k, i) => ctx.b.step("backward", `${L}.radial.table_backward.${i}`, k, k.rows, only(k, bind)));
}

/** The table's per-chunk partial gradients `s.<L>.table_partial`: chunks of edges (GPU shape) or a fixed count. */
export function radialTablePartial(ctx: PlanContext, L: string, table: RadialTable): { partial: string; chunks: number; chunkEdges: number | undefined } {
  const chunks = radialTableChunks(table.cells, table.cols);
  const chunkEdges = ctx.shape?.chunkEdges((table.cells + 1) * table.cols);
  const partial = ctx.scratch(`s.${L}.table_partial`, chunkEdges ? { per: "edges", block: chunkEdges, times: table.cells + 1 } : { count: chunks * (table.cells + 1) }, table.cols);
  return { partial, chunks, chunkEdges };
}

/** The radial MLP of layer L on edge embedding `emb`; returns the buffer of its per-edge weights. */
export function radialForward(ctx: PlanContext, L: string, mlp: RadialMlpIR, emb: string): string {
  const { b } = ctx;
  if (radialTable(ctx, mlp, emb)) {
    const { table, stencil } = radialTableForward(ctx, L, mlp, emb);
    const out = ctx.scratch(`s.${L}.radial`, "edges", b.cols(table));
    b.step("forward", `${L}.radial`, radialInterpolateKernel(b.cols(table)), "edges", { stencil, table, out });
    return out;
  }
  const k = radialMlpKernels(mlp, mlp.params.map((p) => ctx.offsetOf(p)));
  const out = ctx.scratch(`s.${L}.radial`, "edges", mlp.sizes[mlp.sizes.length - 1]!);
  const bind: Record<string, string> = { emb: `v.${emb}`, model_params: "params", out };
  if (k.hiddenSize > 0) bind.hidden = ctx.scratch(`s.${L}.hidden`, "edges", k.hiddenSize);
  b.step("forward", `${L}.radial`, k.forward, "edges", bind);
  return out;
}

/** The radial MLP's backward from the per-edge weights' gradient `gradOut`. */
export function radialBackward(ctx: PlanContext, L: string, mlp: RadialMlpIR, emb: string, gradOut: string): void {
  const table = radialTable(ctx, mlp, emb);
  if (table) {
    const { partial, chunks, chunkEdges } = radialTablePartial(ctx, L, table);
    // The GPU shape shares each chunk's edges among a workgroup (radial-table.ts, stagedTablePartialKernel).
    const k = chunkEdges ? radialTablePartialWorkgroupKernel(table.cells, table.cols, chunkEdges) : radialTablePartialKernel(table.cells, table.cols, chunks);
    ctx.b.step("backward", `${L}.radial.table_partial`, k, k.rows as Extent, only(k, { stencil: `s.${L}.stencil`, grad_rows: gradOut, partial, partial4: partial }));
    radialTableBackward(ctx, L, table, partial, chunks, chunkEdges);
    return;
  }
  const k = radialMlpKernels(mlp, mlp.params.map((p) => ctx.offsetOf(p)));
  mlpBackward(ctx, L, k, gradOut, `v.${emb}`, "edges", `s.${L}.hidden`);
}

/** The MLP's backward on its rows: deltas, then weight gradients. */
function mlpBackward(ctx: PlanContext, L: string, k: ReturnType<typeof radialMlpKernels>, gradOut: string, emb: string, rows: Extent, hiddenBuffer: string): void {
  const hidden: Record<string, string> = k.hiddenSize > 0 ? { hidden: hiddenBuffer } : {};
  const delta = ctx.scratch(`s.${L}.delta`, rows, k.deltaSize);
  // The embedding's gradient only matters for positions, which are not differentiated: a write-only sink.
  const sink = ctx.scratch(`s.${L}.grad_emb`, rows, ctx.b.cols(emb));
  ctx.b.step("backward", `${L}.radial.backward`, k.backward, rows, { ...hidden, model_params: "params", grad_out: gradOut, delta, grad_emb: sink });
  ctx.b.step("backward", `${L}.radial.grad_weight`, k.weightGrad, { count: k.weightCount }, { emb, ...hidden, delta, grad_params: "grad_params" });
}
