/**
 * Accumulates a ModelPlan: buffers declared once by name, kernels deduplicated by their WGSL, steps that
 * bind buffers to a kernel's bindings by the kernel's own binding names. Each kernel's header comment is
 * written here, from the steps that run it, so no generator has to know which layer it serves.
 */
import type { ModelIR } from "../ir/types.js";
import type { BufferPlan, Extent, KernelPlan, StepPlan } from "../../runtime/model/plan.js";
import type { GeneratedKernel } from "./wgsl/kernel.js";
import { loopBound } from "./loop-bound.js";
import { wgslCommentText } from "./text-safety.js";

type Pass = "forward" | "backward" | "update";

/** What the part of a backward step's label after its layer says it computes (first match wins). */
const BACKWARD_ROLES: [RegExp, string][] = [
  [/^regularize\.value$/, "regularizer value"],
  [/^regularize/, "regularizer gradient"],
  [/^(partial|total)$/, "loss value"],
  [/^(grad_weight|grad_theta|theta\.backward|conv\.weight_partial|radial\.(grad_weight|table_partial|table_reduce|table_backward))\b/, "weight gradient"],
];

/** Binding names a backward kernel writes that hold a gradient of weights rather than of a value. */
const WEIGHT_GRADIENT = /weight|param|partial|table|theta/;

export class PlanBuilder {
  readonly buffers: BufferPlan[] = [];
  readonly kernels: KernelPlan[] = [];
  readonly forward: StepPlan[] = [];
  readonly backward: StepPlan[] = [];
  readonly update: StepPlan[] = [];
  private readonly kernelIndex = new Map<string, number>();
  private readonly uses = new Map<number, string[]>();
  /** What each name a step label starts with is: `layer h1 (linear)`, `input x`, ... */
  private readonly owners: Map<string, string>;

  /** `ir` names the model and gives each layer's op, for the kernels' headers. */
  constructor(private readonly ir: Pick<ModelIR, "model" | "layers" | "edgeAttrs" | "inputs" | "targets">) {
    this.owners = new Map<string, string>([
      ["loss", "the loss"],
      ...ir.inputs.map((f): [string, string] => [f.name, `input ${f.name}`]),
      ...ir.targets.map((f): [string, string] => [f.name, `target ${f.name}`]),
      ...ir.edgeAttrs.map((a): [string, string] => [a.name, `edge attribute ${a.name} (${a.op})`]),
      ...ir.layers.map((l): [string, string] => [l.name, `layer ${l.name} (${l.op})`]),
    ]);
  }

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

  private kernel(label: string, code: string, workgroupSize: number | undefined): number {
    let i = this.kernelIndex.get(code);
    if (i === undefined) {
      i = this.kernels.length;
      this.kernels.push(workgroupSize === undefined ? { label, code } : { label, code, workgroupSize });
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
    const index = this.kernel(label, kernel.code, kernel.workgroupSize);
    this[pass].push({ label, kernel: index, buffers, rows, loop: loopBound(kernel.code) });
    this.recordUse(index, pass, label, kernel, buffers);
  }

  /** Adds a step's lines to its kernel's header: `// step <label>: layer <name> (<op>), <pass>` and its bindings. */
  private recordUse(index: number, pass: Pass, label: string, kernel: GeneratedKernel, buffers: readonly string[]): void {
    const dot = label.indexOf(".");
    const layer = dot < 0 ? label : label.slice(0, dot), rest = dot < 0 ? "" : label.slice(dot + 1);
    const owner = this.owners.get(layer) ?? (pass === "update" ? `the optimizer (${label})` : label);
    const writes = [...kernel.code.matchAll(/var<storage, read_write> (\w+)/g)].map((m) => m[1]!);
    const role = pass !== "backward" ? pass : BACKWARD_ROLES.find(([re]) => re.test(rest))?.[1] ?? backwardRole(writes);
    const bound = kernel.bindings.map((name, i) => `${name}=${buffers[i]}${writes.includes(name) ? " (written)" : ""}`).join(", ");
    const lines = this.uses.get(index) ?? [];
    lines.push(wgslCommentText(`step ${label}: ${owner}, ${role}`), wgslCommentText(`  bindings: ${bound}`));
    this.uses.set(index, lines);
    this.kernels[index]!.header = [wgslCommentText(`regnn kernel of model ${this.ir.model}`), ...lines].map((l) => `// ${l}`).join("\n");
  }
}

/** A backward kernel's role from what it writes: gradients of values (inputs), of weights, or both. */
function backwardRole(writes: readonly string[]): string {
  const weight = writes.some((w) => WEIGHT_GRADIENT.test(w)), input = writes.some((w) => !WEIGHT_GRADIENT.test(w));
  return weight && input ? "input and weight gradient" : weight ? "weight gradient" : "input gradient";
}
