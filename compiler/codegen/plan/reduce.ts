/**
 * Deterministic reductions into gradients (no float atomics): column sums of per-row gradients (the CPU
 * shape's one loop per column, or the GPU shape's tree of block sums), and a value's gradient accumulated
 * from rows or gathered back over edges.
 */
import type { Extent } from "../../../runtime/model/plan.js";
import { addRowsKernel, gatherBackwardKernel } from "../wgsl/aggregate.js";
import { blockSumPlan, type BlockSource } from "../wgsl/block-sum.js";
import { columnSumKernel } from "../wgsl/reduce.js";
import type { PlanContext } from "./context.js";

/** Column sums of per-row gradients into a parameter's gradient (assign) or a scratch vector. */
export function columnSum(ctx: PlanContext, label: string, src: string, cols: number, rows: Extent, dst: string, offset: number, accumulate = false): void {
  if (cols === 0) return;
  if (ctx.shape && typeof rows === "string") return blockSum(ctx, label, src, cols, { per: rows, block: 1 }, dst, offset, accumulate);
  ctx.b.step("backward", label, columnSumKernel(cols, rows, offset, accumulate), { count: cols }, { src, dst });
}

/** The GPU shape's column sum: a tree of block sums (block-sum.ts); the last level is step `label`. */
export function blockSum(ctx: PlanContext, label: string, src: string, cols: number, source: BlockSource, dst: string, offset: number, accumulate: boolean, factor?: string): void {
  const p = blockSumPlan(cols, source, offset, accumulate, `s.${label}.sum`, factor);
  for (const s of p.scratch) ctx.scratch(s.name, s.rows as Extent, cols);
  p.levels.forEach((l, i) => {
    const name = i === p.levels.length - 1 ? label : `${label}.level${i}`;
    ctx.b.step("backward", name, l.kernel, l.rows as Extent, { src: l.from === "src" ? src : l.from, dst: l.to === "dst" ? dst : l.to });
  });
}

/** grad(value) += Σ over each node's outgoing edges of per-edge rows (the backward of x[src]). */
export function gatherInto(ctx: PlanContext, value: string, rowsBuffer: string): void {
  const g = ctx.grad(value);
  if (g) ctx.b.step("backward", `${value}.gather.${rowsBuffer}`, gatherBackwardKernel(ctx.colsOfValue(value)), "nodes", { grad_rows: rowsBuffer, grad_x: g, src_offsets: "src_offsets", src_edges: "src_edges" });
}

/** grad(value) += rows, when the value wants a gradient. */
export function addInto(ctx: PlanContext, value: string, rowsBuffer: string, rows: Extent): void {
  const g = ctx.grad(value);
  if (g) ctx.b.step("backward", `${value}.accumulate.${rowsBuffer}`, addRowsKernel(ctx.colsOfValue(value)), rows, { src: rowsBuffer, dst: g });
}
