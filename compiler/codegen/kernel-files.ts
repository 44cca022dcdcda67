/**
 * The plan's kernels as the `.wgsl` files `regnnc compile --emit wgsl` writes: each opens with its header
 * comment (model, and per step: layer, op, pass, bindings), then the WGSL the device compiles. A plan that
 * carries the GPU shape too (ModelPlan.gpu) also gets that shape's kernels, every one, under `wgsl/gpu/`.
 */
import type { KernelPlan, ModelPlan } from "../../runtime/model/plan.js";
import { selectPlanShape } from "../../runtime/model/plan-shape.js";

/** One kernel's file text: its header, a blank line, its code. */
export function kernelFileText(kernel: KernelPlan): string {
  return kernel.header === undefined ? kernel.code : `${kernel.header}\n\n${kernel.code}`;
}

/**
 * `wgsl/<index>_<label>.wgsl` -> text, for every kernel of `plan` in order; with a GPU shape, also
 * `wgsl/gpu/<index>_<label>.wgsl` for every kernel of that shape (its steps' index, its header).
 */
export function kernelFiles(plan: ModelPlan): Map<string, string> {
  const files = shapeFiles("wgsl/", plan.kernels);
  if (plan.gpu) for (const [path, text] of shapeFiles("wgsl/gpu/", selectPlanShape(plan, "gpu").kernels)) files.set(path, text);
  return files;
}

function shapeFiles(dir: string, kernels: readonly KernelPlan[]): Map<string, string> {
  return new Map(kernels.map((k, i) => [`${dir}${String(i).padStart(3, "0")}_${k.label.replace(/[^A-Za-z0-9_.-]/g, "_")}.wgsl`, kernelFileText(k)]));
}
