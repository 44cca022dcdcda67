/**
 * What every planner shares while one model is planned: the builder, the IR's parameter offsets, the names
 * of value, gradient and scratch buffers, the values stored as column groups, and the constant tables.
 * Naming: a value's buffer is `v.<name>`, its gradient `g.<name>` (zeroed before every backward pass), a
 * layer's scratch `s.<layer>.<what>`; a value stored as column groups has `v.<name>@<k>` and `g.<name>@<k>`.
 */
import type { Extent } from "../../../runtime/model/plan.js";
import type { ModelIR, TensorProductIR } from "../../ir/types.js";
import { Irreps } from "../../o3/irreps.js";
import { PlanBuilder } from "../plan-builder.js";
import { reductionShape, type ReductionShape } from "../reduction-shape.js";
import type { Columns } from "../column-groups.js";
import { tensorProductTable } from "../wgsl/tensor-product.js";
import type { thetaProximalKernel } from "../wgsl/theta.js";
import type { PlanOptions } from "./options.js";

const DOMAIN_EXTENT = { node: "nodes", edge: "edges", graph: "graphs" } as const;

export const dimOf = (irreps: string) => Irreps.parse(irreps).dim;

/** The entries of `bind` a kernel declares (generators declare only the bindings they use). */
export function only(k: { bindings: readonly string[] }, bind: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(bind).filter(([name]) => k.bindings.includes(name)));
}

export class PlanContext {
  readonly b: PlanBuilder;
  /** The GPU shape's block sizes; undefined for the CPU shape. */
  readonly shape: ReductionShape | undefined;
  /** The positions input, when the model has one. */
  readonly pos: string | null;
  /** Graphs built from positions may connect periodic images (GraphInput.cell): their edges carry a shift. */
  readonly shifted: boolean;
  /** Regulariser slots handed out so far (one row of `reg` per regularised relaxed layer). */
  regSlots = 0;
  /** Group lasso's proximal steps, one per relaxed layer, run after the optimiser's step. */
  readonly proximal: { label: string; kernel: NonNullable<ReturnType<typeof thetaProximalKernel>> }[] = [];
  private readonly paramOffset: Map<string, number>;
  private readonly domainOf = new Map<string, Extent>();
  private readonly colsOf = new Map<string, number>();
  private readonly tables = new Map<string, string>();

  constructor(
    readonly ir: ModelIR,
    readonly options: PlanOptions,
    /** The values stored as column groups (splits.ts). */
    readonly splits: Map<string, Columns[]>,
  ) {
    this.b = new PlanBuilder(ir);
    this.paramOffset = new Map(ir.params.map((p) => [p.name, p.offset] as const));
    this.shape = options.shape === "gpu" ? reductionShape(options.maxBindingBytes, options.gpuBlocks) : undefined;
    this.pos = ir.graph.positions;
    this.shifted = ir.graph.mode === "radius" || ir.graph.mode === "knn";
  }

  offsetOf(name: string): number {
    const o = this.paramOffset.get(name);
    if (o === undefined) throw new Error(`plan: the IR has no parameter '${name}'`);
    return o;
  }

  /** The rows of a value (its domain's extent). */
  rowsOf(name: string): Extent {
    return this.domainOf.get(name)!;
  }

  colsOfValue(name: string): number {
    return this.colsOf.get(name)!;
  }

  irrepsOf(name: string): string {
    const f = this.ir.inputs.find((i) => i.name === name) ?? this.ir.layers.find((l) => l.name === name);
    if (!f) throw new Error(`plan: no value '${name}'`);
    return "irreps" in f ? f.irreps : f.irrepsOut;
  }

  /** Declares a value's buffer (or its column groups' buffers). */
  valueBuffer(name: string, irreps: string, domain: "node" | "edge" | "graph", role: "input" | "scratch"): void {
    this.domainOf.set(name, DOMAIN_EXTENT[domain]);
    this.colsOf.set(name, dimOf(irreps));
    const groups = this.splits.get(name);
    if (groups) {
      groups.forEach((g, k) => this.b.buffer({ name: `v.${name}@${k}`, rows: DOMAIN_EXTENT[domain], cols: g.cols, type: "f32", role: "scratch" }));
      return;
    }
    this.b.buffer({ name: `v.${name}`, rows: DOMAIN_EXTENT[domain], cols: dimOf(irreps), type: "f32", role, ...(role === "input" ? { source: name } : {}) });
  }

  private wantsGradient(name: string): boolean {
    const ir = this.ir;
    return name !== ir.graph.positions && !ir.edgeAttrs.some((e) => e.name === name) && !ir.targets.some((t) => t.name === name) && (this.options.inputGradients !== false || !ir.inputs.some((i) => i.name === name));
  }

  /** A value's gradient buffer, declared on first use (undefined when no gradient flows to it). */
  grad(name: string): string | undefined {
    if (!this.wantsGradient(name)) return undefined;
    if (this.splits.has(name)) throw new Error(`plan: '${name}' is split into column groups (use gradParts)`);
    const g = `g.${name}`;
    this.b.buffer({ name: g, rows: this.domainOf.get(name)!, cols: this.colsOf.get(name)!, type: "f32", role: "gradient" });
    return g;
  }

  /** A split value's gradient buffers, one per column group (undefined when no gradient flows). */
  gradParts(name: string): string[] | undefined {
    if (!this.wantsGradient(name)) return undefined;
    return this.splits.get(name)!.map((g, k) => this.b.buffer({ name: `g.${name}@${k}`, rows: this.domainOf.get(name)!, cols: g.cols, type: "f32", role: "gradient" }));
  }

  /** The buffer of a linear step's input column group: the whole value's unless it is split. */
  part(prefix: "v" | "g", name: string, group: number): string {
    return this.splits.has(name) ? `${prefix}.${name}@${group}` : `${prefix}.${name}`;
  }

  scratch(name: string, rows: Extent, cols: number, role: "scratch" | "gradient" = "scratch"): string {
    return this.b.buffer({ name, rows, cols: Math.max(1, cols), type: "f32", role });
  }

  /** The constant path / Wigner 3j table of a tensor product, shared by every tensor product with the same table. */
  tableOf(tp: TensorProductIR): string {
    const values = Array.from(tensorProductTable(tp));
    const name = `tp_table.${this.tables.size}`;
    const key = JSON.stringify(values);
    if (!this.tables.has(key)) {
      this.tables.set(key, name);
      this.b.buffer({ name, rows: { count: values.length }, cols: 1, type: "f32", role: "constant", values });
    }
    return this.tables.get(key)!;
  }

  /** A linear kernel's constant table (linear.ts). */
  linTable(label: string, values: number[]): string {
    return this.b.buffer({ name: `lin_table.${label}`, rows: { count: values.length }, cols: 1, type: "f32", role: "constant", values });
  }
}
