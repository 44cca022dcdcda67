/**
 * Accumulates a ModelPlan: buffers declared once by name, kernels deduplicated by their WGSL, steps that
 * bind buffers to a kernel's bindings by the kernel's own binding names.
 */
import type { BufferPlan, Extent, KernelPlan, StepPlan } from "../../runtime/model/plan.js";
import type { GeneratedKernel } from "./wgsl/kernel.js";
import { loopBound } from "./loop-bound.js";

export class PlanBuilder {
  readonly buffers: BufferPlan[] = [];
  readonly kernels: KernelPlan[] = [];
  readonly forward: StepPlan[] = [];
  readonly backward: StepPlan[] = [];
  readonly update: StepPlan[] = [];
  private readonly kernelIndex = new Map<string, number>();

  /** Declares a buffer (idempotent for an identical declaration; a conflicting one is a compiler bug). */
  buffer(decl: BufferPlan): string {
    const have = this.buffers.find((b) => b.name === decl.name);
    if (have) {
      if (JSON.stringify(have) !== JSON.stringify(decl)) throw new Error(`plan: buffer '${decl.name}' declared twice differently`);
      return decl.name;
    }
    this.buffers.push(decl);
    return decl.name;
  }

  has(name: string): boolean {
    return this.buffers.some((b) => b.name === name);
  }

  cols(name: string): number {
    const b = this.buffers.find((x) => x.name === name);
    if (!b) throw new Error(`plan: no buffer '${name}'`);
    return b.cols;
  }

  private kernel(label: string, code: string): number {
    let i = this.kernelIndex.get(code);
    if (i === undefined) {
      i = this.kernels.length;
      this.kernels.push({ label, code });
      this.kernelIndex.set(code, i);
    }
    return i;
  }

  /**
   * Appends a dispatch of `kernel` to a pass. `bind` maps each of the kernel's binding names to a buffer;
   * every binding must be bound and every bound buffer declared.
   */
  step(pass: "forward" | "backward" | "update", label: string, kernel: GeneratedKernel, rows: Extent, bind: Record<string, string>): void {
    const buffers = kernel.bindings.map((name) => {
      const buffer = bind[name];
      if (buffer === undefined) throw new Error(`plan: step '${label}' leaves binding '${name}' unbound`);
      if (!this.has(buffer)) throw new Error(`plan: step '${label}' binds '${name}' to undeclared buffer '${buffer}'`);
      return buffer;
    });
    for (const name of Object.keys(bind)) if (!kernel.bindings.includes(name)) throw new Error(`plan: step '${label}' binds unknown binding '${name}'`);
    this[pass].push({ label, kernel: this.kernel(label, kernel.code), buffers, rows, loop: loopBound(kernel.code) });
  }
}
