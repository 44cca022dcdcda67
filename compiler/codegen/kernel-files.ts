/**
 * The plan's kernels as the `.wgsl` files `regnnc compile --emit wgsl` writes: each opens with its header
 * comment (model, and per step: layer, op, pass, bindings), then the WGSL the device compiles.
 */
import type { KernelPlan, ModelPlan } from "../../runtime/model/plan.js";

/** One kernel's file text: its header, a blank line, its code. */
export function kernelFileText(kernel: KernelPlan): string {
  return kernel.header === undefined ? kernel.code : `${kernel.header}\n\n${kernel.code}`;
}

/** `wgsl/<index>_<label>.wgsl` -> text, for every kernel of `plan` in order. */
export function kernelFiles(plan: Pick<ModelPlan, "kernels">): Map<string, string> {
  return new Map(plan.kernels.map((k, i) => [`wgsl/${String(i).padStart(3, "0")}_${k.label.replace(/[^A-Za-z0-9_.-]/g, "_")}.wgsl`, kernelFileText(k)]));
}
