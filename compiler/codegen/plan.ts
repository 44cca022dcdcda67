/**
 * Planning: the IR to a ModelPlan, the runtime's executable form. Each value gets a buffer and, where a
 * gradient flows, a gradient buffer; layers get scratch buffers (naming: plan/context.ts). A wide fused-conv
 * output read only by linear layers is stored as column groups instead (plan/splits.ts), so it binds under
 * the device's storage-binding limit at large N. The forward pass runs the layers in the IR's order; the
 * backward pass runs the loss, then every layer's backward in reverse; each op's steps come from its
 * planner (plan/registry.ts). Reductions (shared weights, broadcast operands, gathers) are separate
 * deterministic kernels: no float atomics anywhere.
 */
import { modelUsesEdges } from "../ir/uses-edges.js";
import type { BufferPlan, KernelPlan, ModelPlan, PlanShapeVariant, SharedKernelPlan } from "../../runtime/model/plan.js";
import type { ModelIR } from "../ir/types.js";
import { dimOf, PlanContext } from "./plan/context.js";
import { CPU_WORKGROUP_SIZE, WORKGROUP_SIZE } from "./wgsl/common.js";
import { planInputs } from "./plan/inputs.js";
import type { PlanOptions } from "./plan/options.js";
import { plannerOf } from "./plan/registry.js";
import { splitValues } from "./plan/splits.js";
import { planLoss, planOptimizer, thetaScalarIndices } from "./plan/training.js";

export type { PlanOptions } from "./plan/options.js";

/** The storage-binding limit the GPU shape of a plan without an explicit shape is sized for: desktop GPUs' (an H200's too). */
export const GPU_VARIANT_BINDING_BYTES = 2 ** 31;

/**
 * The model's plan. With `options.shape` it holds that one kernel shape, for a device whose class is known
 * (the CLI and the playground plan per device). Without it, it holds the CPU shape plus the GPU shape as
 * `plan.gpu` (planned with `maxBindingBytes` ?? 2 GiB; other options apply to both), and the runtime runs the
 * one that suits the device it meets: a generated module cannot know its device in advance.
 */
export function planModel(ir: ModelIR, options: PlanOptions = {}): ModelPlan {
  if (options.shape !== undefined) return planShape(ir, options);
  const cpu = planShape(ir, { ...options, shape: "cpu" });
  const gpu = planShape(ir, { ...options, shape: "gpu", maxBindingBytes: options.maxBindingBytes ?? GPU_VARIANT_BINDING_BYTES });
  return { ...cpu, gpu: shapeVariant(cpu, gpu, options.maxBindingBytes ?? GPU_VARIANT_BINDING_BYTES) };
}

const PER_SHAPE = new Set(["kernels", "buffers", "forward", "backward", "update", "workgroupSize"]);

/** `other` as a variant of `base`: kernels with the same WGSL and identically declared buffers referred to, not repeated. */
function shapeVariant(base: ModelPlan, other: ModelPlan, maxBindingBytes: number): PlanShapeVariant {
  for (const key of Object.keys(base) as (keyof ModelPlan)[]) {
    if (!PER_SHAPE.has(key) && JSON.stringify(base[key]) !== JSON.stringify(other[key])) throw new Error(`plan: the kernel shapes of ${base.model} differ in '${key}', which they must share`);
  }
  const baseKernel = new Map(base.kernels.map((k, i) => [k.code, i]));
  const kernels = other.kernels.map((k): KernelPlan | SharedKernelPlan => {
    const i = baseKernel.get(k.code);
    if (i === undefined) return k;
    return k.header === undefined ? { label: k.label, base: i } : { label: k.label, base: i, header: k.header };
  });
  const baseBuffer = new Map(base.buffers.map((b) => [b.name, JSON.stringify(b)]));
  const buffers = other.buffers.map((b): BufferPlan | string => (baseBuffer.get(b.name) === JSON.stringify(b) ? b.name : b));
  return { maxBindingBytes, kernels, buffers, forward: other.forward, backward: other.backward, update: other.update, ...(other.workgroupSize === undefined ? {} : { workgroupSize: other.workgroupSize }) };
}

function planShape(ir: ModelIR, options: PlanOptions): ModelPlan {
  const ctx = new PlanContext(ir, options, splitValues(ir, options));
  const b = ctx.b;
  planInputs(ctx);
  for (const layer of ir.layers) plannerOf(layer.op).forward(ctx, layer);
  planLoss(ctx);
  for (const layer of [...ir.layers].reverse()) {
    const planner = plannerOf(layer.op);
    if (ctx.splits.has(layer.name)) {
      const parts = ctx.gradParts(layer.name);
      if (!parts) continue;
      if (!planner.backwardGroups) throw new Error(`plan: '${layer.name}' (${layer.op}) is stored as column groups but its planner has no backward for them`);
      planner.backwardGroups(ctx, layer, parts);
      continue;
    }
    const gOut = ctx.grad(layer.name);
    if (gOut) planner.backward(ctx, layer, gOut);
  }
  planOptimizer(ctx);

  const fields = [...ir.inputs, ...ir.targets].map((f) => ({ name: f.name, dim: dimOf(f.irreps), domain: f.domain }));
  return {
    planVersion: 1,
    model: ir.model,
    specHash: ir.source.sha256,
    kernels: b.kernels,
    workgroupSize: options.shape === "gpu" ? WORKGROUP_SIZE : CPU_WORKGROUP_SIZE,
    buffers: b.buffers,
    forward: b.forward,
    backward: b.backward,
    update: b.update,
    thetas: ir.layers.flatMap((l) => ("theta" in l ? [{ layer: l.name, buffer: `s.${l.name}.theta`, irreps: l.thetaIrreps }] : [])),
    train: {
      loss: ir.train.loss && { output: ir.train.loss.output, target: ir.train.loss.target },
      optimizer: ir.train.optimizer,
      schedule: ir.train.schedule,
      epochs: ir.train.epochs,
      batch: ir.train.batch,
      seed: ir.train.seed,
      checkpointEvery: ir.train.checkpointEvery,
    },
    outputs: ir.outputs.map((o) => ({ name: o.name, buffer: `v.${o.source}`, cols: dimOf(o.irreps), domain: o.domain })),
    inputs: ir.inputs.map((f) => ({ name: f.name, cols: dimOf(f.irreps), domain: f.domain })),
    paramCount: ir.paramCount,
    params: ir.params.map(({ name, offset, size, shape, init, relaxed }) => ({ name, offset, size, shape, init, relaxed })),
    thetaScalarIndices: thetaScalarIndices(ctx),
    batch: {
      positions: ctx.pos,
      graph: { mode: ir.graph.mode, radius: ir.graph.radius, maxNeighbors: ir.graph.maxNeighbors, k: ir.graph.k, edgesUsed: modelUsesEdges(ir) },
      fields,
    },
  };
}
