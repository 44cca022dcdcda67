/**
 * Choosing one kernel shape of a plan that carries two (ModelPlan.gpu): the executor compiles and runs only
 * the chosen shape's kernels, so a model's start-up pays for one shape, never both.
 */
import type { DeviceClass } from "../device-class.js";
import type { BufferPlan, KernelPlan, ModelPlan } from "./plan.js";

/**
 * The plan in one shape, as the planner makes it with that `shape` option: for "cpu" the base plan without
 * its variant, for "gpu" the variant's kernels, buffers and passes resolved against the base. Throws when the
 * plan carries only one shape (planned with an explicit `shape`): which one it is, the plan does not say.
 */
export function selectPlanShape(plan: ModelPlan, shape: DeviceClass): ModelPlan {
  const { gpu, ...base } = plan;
  if (!gpu) {
    throw new Error(
      `plan ${plan.model}: it holds a single kernel shape (it was planned with an explicit shape), so shape "${shape}" cannot be chosen; ` +
        `plan without a shape option (as regnnc compile does) to carry both, or leave the shape to the plan`,
    );
  }
  if (shape === "cpu") return base;
  if (shape !== "gpu") throw new Error(`plan ${plan.model}: unknown kernel shape ${JSON.stringify(shape)} (expected "cpu" or "gpu")`);
  const kernels = gpu.kernels.map((k, i): KernelPlan => {
    if (!("base" in k)) return k;
    const shared = Number.isInteger(k.base) ? plan.kernels[k.base] : undefined;
    if (!shared) throw new Error(`plan ${plan.model}: the GPU shape's kernel ${i} refers to base kernel ${k.base}, which the plan does not have`);
    return { label: k.label, code: shared.code, ...(k.header === undefined ? {} : { header: k.header }), ...(shared.workgroupSize === undefined ? {} : { workgroupSize: shared.workgroupSize }) };
  });
  const byName = new Map(plan.buffers.map((b) => [b.name, b]));
  const buffers = gpu.buffers.map((b): BufferPlan => {
    if (typeof b !== "string") return b;
    const shared = byName.get(b);
    if (!shared) throw new Error(`plan ${plan.model}: the GPU shape refers to buffer '${b}', which the plan does not declare`);
    return shared;
  });
  // The planner gives both shapes a workgroup size, or (plans from before it) neither.
  const { workgroupSize: _cpuSize, ...rest } = base;
  return { ...rest, kernels, buffers, forward: gpu.forward, backward: gpu.backward, update: gpu.update, ...(gpu.workgroupSize === undefined ? {} : { workgroupSize: gpu.workgroupSize }) };
}
