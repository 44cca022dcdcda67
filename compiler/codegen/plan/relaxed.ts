/**
 * Relaxed layers: θ = B c from the layer's coefficients (the basis B baked into the kernels, or read from a
 * swappable buffer), then relaxed_node's FCTP(x, θ) per row, or relaxed_conv's F = FCTP_W(θ, Y) per edge and
 * message = FCTP_R(x_src, F) summed over each node's incoming edges. θ's backward also computes the
 * regularisers (their value and smooth gradient) and queues group lasso's proximal step after the optimiser.
 */
import type { LayerOf } from "../../ir/types.js";
import { segmentSumKernels } from "../wgsl/aggregate.js";
import { layerThetaBlocks, thetaKernels, thetaProximalKernel, thetaRegularizationKernel, thetaTableKernels } from "../wgsl/theta.js";
import { dimOf, type PlanContext } from "./context.js";
import type { LayerPlanner } from "./planner.js";
import { radialBackward, radialForward } from "./radial.js";
import { addInto, columnSum, gatherInto } from "./reduce.js";
import { tpBackward, tpForward } from "./tensor-product.js";

/** θ's kernels for layer L: the basis baked in, or read from `theta_basis.<L>` (PlanOptions.thetaBasis). */
function thetaKernelsOf(ctx: PlanContext, L: string, theta: string, thetaIrreps: string): { k: ReturnType<typeof thetaKernels>; basis: Record<string, string> } {
  const { blocks, mul } = layerThetaBlocks(ctx.ir, thetaIrreps);
  if (ctx.options.thetaBasis !== "buffer") return { k: thetaKernels(blocks, mul, ctx.offsetOf(theta)), basis: {} };
  const k = thetaTableKernels(blocks, mul, ctx.offsetOf(theta));
  // The IR's own (C1) basis, written the way thetaBasisTable writes any group's.
  const values = blocks.flatMap((blk) => blk.basis.flat());
  if (values.length !== k.tableSize) throw new Error(`plan: θ basis of '${L}' has ${values.length} numbers, the table ${k.tableSize}`);
  return { k, basis: { theta_basis: ctx.b.buffer({ name: `theta_basis.${L}`, rows: { count: k.tableSize }, cols: 1, type: "f32", role: "constant", values }) } };
}

/** θ = B c for a relaxed layer, into `s.<L>.theta`. */
function thetaForward(ctx: PlanContext, L: string, theta: string, thetaIrreps: string): string {
  const { k, basis } = thetaKernelsOf(ctx, L, theta, thetaIrreps);
  const buf = ctx.scratch(`s.${L}.theta`, { count: k.thetaDim }, 1);
  ctx.b.step("forward", `${L}.theta`, k.forward, { count: k.thetaDim }, { model_params: "params", ...basis, theta: buf });
  return buf;
}

/** dL/dc from dL/dθ (plus the smooth regularisers' gradient, and every regulariser's value). */
function thetaBackward(ctx: PlanContext, L: string, theta: string, thetaIrreps: string, gradTheta: string): void {
  const { ir, b } = ctx;
  const { blocks, mul } = layerThetaBlocks(ir, thetaIrreps);
  const { k, basis } = thetaKernelsOf(ctx, L, theta, thetaIrreps);
  const reg = thetaRegularizationKernel(blocks, mul, ir.train.regularize, ctx.regSlots);
  if (reg) {
    const smooth = thetaRegularizationKernel(blocks, mul, ir.train.regularize.filter((r) => r.kind !== "group_lasso"), ctx.regSlots);
    ctx.regSlots++;
    if (smooth) b.step("backward", `${L}.regularize`, smooth.grad, { count: k.thetaDim }, { theta: `s.${L}.theta`, grad_theta: gradTheta });
    b.step("backward", `${L}.regularize.value`, reg.value, { count: 1 }, { theta: `s.${L}.theta`, reg: "reg" });
  }
  const lasso = ir.train.regularize.filter((r) => r.kind === "group_lasso").reduce((s, r) => s + r.weight, 0);
  const prox = thetaProximalKernel(blocks, mul, ctx.offsetOf(theta), lasso);
  if (prox) ctx.proximal.push({ label: `${L}.group_lasso`, kernel: prox });
  b.step("backward", `${L}.theta.backward`, k.backward, { count: k.coefficients }, { ...basis, grad_theta: gradTheta, grad_params: "grad_params" });
}

export const relaxedNodePlanner: LayerPlanner<LayerOf<"relaxed_node">> = {
  forward(ctx, layer) {
    const L = layer.name, x = layer.inputs[0]!;
    const theta = thetaForward(ctx, L, layer.theta, layer.thetaIrreps);
    tpForward(ctx, `${L}.forward`, layer.tp, { x2: "broadcast", weightOffset: ctx.offsetOf(layer.params[1]!) }, { x1: `v.${x}`, x2: theta, weight: "params", out: `v.${L}` }, ctx.rowsOf(L));
  },

  backward(ctx, layer, gOut) {
    const L = layer.name, rows = ctx.rowsOf(L), x = layer.inputs[0]!;
    const theta = `s.${L}.theta`, thetaDim = dimOf(layer.thetaIrreps);
    const weightOffset = ctx.offsetOf(layer.params[1]!);
    const g = tpBackward(ctx, `${L}.backward`, layer.tp, { x2: "broadcast", weightOffset }, { x1: `v.${x}`, x2: theta, weight: "params", grad_out: gOut }, rows, `s.${L}.tp`);
    addInto(ctx, x, g.gx1, rows);
    columnSum(ctx, `${L}.grad_weight`, g.gw, layer.tp.weightNumel, rows, "grad_params", weightOffset);
    const gTheta = ctx.scratch(`s.${L}.gtheta`, { count: thetaDim }, 1);
    columnSum(ctx, `${L}.grad_theta`, g.gx2, thetaDim, rows, gTheta, 0);
    thetaBackward(ctx, L, layer.theta, layer.thetaIrreps, gTheta);
  },
};

export const relaxedConvPlanner: LayerPlanner<LayerOf<"relaxed_conv">> = {
  forward(ctx, layer) {
    const L = layer.name, x = layer.inputs[0]!;
    const [sh, emb] = [layer.inputs[1]!, layer.inputs[2]!];
    const theta = thetaForward(ctx, L, layer.theta, layer.thetaIrreps);
    const weights = radialForward(ctx, L, layer.radial, emb);
    const f = ctx.scratch(`s.${L}.F`, "edges", dimOf(layer.thetaIrreps));
    tpForward(ctx, `${L}.tp_theta`, layer.tpTheta, { x1: "broadcast", weightOffset: ctx.offsetOf(layer.params[1]!) }, { x1: theta, x2: `v.${sh}`, weight: "params", out: f }, "edges");
    const msg = ctx.scratch(`s.${L}.msg`, "edges", dimOf(layer.irrepsOut));
    tpForward(ctx, `${L}.tp_message`, layer.tpMessage, { x1: "gather" }, { x1: `v.${x}`, x2: f, weight: weights, out: msg }, "edges");
    const seg = segmentSumKernels(dimOf(layer.irrepsOut), 1 / Math.sqrt(layer.numNeighbors));
    ctx.b.step("forward", `${L}.sum`, seg.forward, "nodes", { msg, out: `v.${L}`, dst_offsets: "dst_offsets" });
  },

  backward(ctx, layer, gOut) {
    const L = layer.name, x = layer.inputs[0]!;
    const [sh, emb] = [layer.inputs[1]!, layer.inputs[2]!];
    const theta = `s.${L}.theta`, thetaDim = dimOf(layer.thetaIrreps);
    const weightOffset = ctx.offsetOf(layer.params[1]!);
    const gmsg = ctx.scratch(`s.${L}.gmsg`, "edges", dimOf(layer.irrepsOut), "gradient");
    ctx.b.step("backward", `${L}.sum.backward`, segmentSumKernels(dimOf(layer.irrepsOut), 1 / Math.sqrt(layer.numNeighbors)).backward, "edges", { grad_out: gOut, grad_msg: gmsg, edge_dst: "edge_dst" });
    const m = tpBackward(ctx, `${L}.tp_message.backward`, layer.tpMessage, { x1: "gather" }, { x1: `v.${x}`, x2: `s.${L}.F`, weight: `s.${L}.radial`, grad_out: gmsg }, "edges", `s.${L}.tp_message`);
    gatherInto(ctx, x, m.gx1);
    radialBackward(ctx, L, layer.radial, emb, m.gw);
    const t = tpBackward(ctx, `${L}.tp_theta.backward`, layer.tpTheta, { x1: "broadcast", weightOffset }, { x1: theta, x2: `v.${sh}`, weight: "params", grad_out: m.gx2 }, "edges", `s.${L}.tp_theta`);
    columnSum(ctx, `${L}.grad_weight`, t.gw, layer.tpTheta.weightNumel, "edges", "grad_params", weightOffset);
    const gTheta = ctx.scratch(`s.${L}.gtheta`, { count: thetaDim }, 1);
    columnSum(ctx, `${L}.grad_theta`, t.gx1, thetaDim, "edges", gTheta, 0);
    thetaBackward(ctx, L, layer.theta, layer.thetaIrreps, gTheta);
  },
};
