/**
 * A compiled model as the runtime executes it: named buffers sized by the batch, and the forward and
 * backward passes as ordered kernel dispatches binding those buffers by name. The compiler produces it
 * (compiler/codegen/plan.ts); the generated TypeScript module embeds it as data. Plain JSON throughout.
 * A plan may carry a second kernel shape (`ModelPlan.gpu`); the runtime runs one (plan-shape.ts).
 */

/**
 * What a size or a dispatch ranges over: the batch's nodes, edges or graphs, a fixed count, or
 * `ceil(size / block) · times` (the blocks of a two-level reduction: one partial row per block of rows).
 */
export type Extent = "nodes" | "edges" | "graphs" | { count: number } | BlockExtent;

export interface BlockExtent {
  per: "nodes" | "edges" | "graphs";
  block: number;
  times: number;
}

/** Rows of an extent for a batch of these sizes. */
export function extentRows(extent: Extent, sizes: { nodes: number; edges: number; graphs: number }): number {
  if (typeof extent === "string") return sizes[extent];
  if ("count" in extent) return extent.count;
  return Math.ceil(sizes[extent.per] / extent.block) * extent.times;
}

export interface BufferPlan {
  name: string;
  /** rows = the extent (per batch) plus `extraRows` (CSR offsets have one more than nodes), cols = numbers per row. */
  rows: Extent;
  extraRows?: number;
  cols: number;
  type: "f32" | "u32";
  /**
   * input: uploaded from the batch (feature `source`, or a graph array such as edge_src);
   * params: the model's parameters; constant: `values`, uploaded once; state: kept across steps
   * (optimiser moments); scratch: written by kernels; gradients are scratch zeroed before each backward.
   */
  role: "input" | "params" | "constant" | "state" | "scratch" | "gradient" | "output";
  source?: string;
  values?: number[];
}

export interface StepPlan {
  /** Names the kernel in errors. */
  label: string;
  /** Index into `ModelPlan.kernels` (in a `ModelPlan.gpu` variant: into the variant's `kernels`). */
  kernel: number;
  /** Buffer names in the kernel's binding order. */
  buffers: string[];
  rows: Extent;
  /**
   * The longest loop one invocation runs, as the compiler read it from the kernel (loop-bound.ts): "const"
   * (independent of the batch), "degree" (one node's own CSR neighbours), or the batch size it grows with.
   */
  loop?: LoopBound;
}

/** "unknown": a loop of a form loop-bound.ts does not read (it may grow with anything). */
export type LoopBound = "const" | "degree" | "graph" | "nodes" | "edges" | "graphs" | "unknown";

export interface KernelPlan {
  label: string;
  /** The WGSL the device compiles (and pipelines are cached under): numbers and generated names only. */
  code: string;
  /**
   * `//` comment lines naming the model and, per step that runs this kernel, the layer, its op, the pass and
   * the buffers bound (spec names escaped to printable ASCII). Exported .wgsl files open with it; it is kept
   * out of `code` so that kernels of two models that differ only in names share a compiled pipeline.
   */
  header?: string;
  /**
   * A kernel that shares work through workgroup memory fixes its own workgroup size in its WGSL (no `wg_size`
   * override): the executor dispatches ceil(rows / this) workgroups for it, whatever the plan's size.
   */
  workgroupSize?: number;
}

/**
 * A kernel of a {@link PlanShapeVariant} whose WGSL the base plan already has: `base` indexes
 * `ModelPlan.kernels`; `label` and `header` are the variant's own (its steps, its bindings).
 */
export interface SharedKernelPlan {
  label: string;
  base: number;
  header?: string;
}

/**
 * The GPU kernel shape of a model (the planner's `shape: "gpu"`: every reduction over nodes or edges as
 * fixed-size blocks, then a tree of block sums), carried beside the CPU shape so that one plan (and one
 * generated module) runs well on both kinds of device. It is the GPU-shaped plan's own `kernels`, `buffers`
 * and passes, in its order, its steps indexing its own `kernels`, with what the base plan already holds
 * referred to instead of repeated: a kernel with the same WGSL as `{ base: i }` (SharedKernelPlan), a buffer
 * declared identically by its name. Everything else (params, inputs, outputs, thetas, train, batch) is the
 * same in both shapes and is the base plan's. `selectPlanShape` (plan-shape.ts) resolves it into a plain
 * single-shape plan.
 */
export interface PlanShapeVariant {
  /** The storage-binding limit (bytes) its column groups and block tables were sized for. */
  maxBindingBytes: number;
  kernels: (KernelPlan | SharedKernelPlan)[];
  /** A string: the base plan's buffer of that name, declared the same. */
  buffers: (BufferPlan | string)[];
  forward: StepPlan[];
  backward: StepPlan[];
  update: StepPlan[];
  /** Its kernels' workgroup size (ModelPlan.workgroupSize). */
  workgroupSize?: number;
}

export interface ModelPlan {
  planVersion: 1;
  model: string;
  /** sha256 of the spec the plan was compiled from. */
  specHash: string;
  kernels: KernelPlan[];
  buffers: BufferPlan[];
  forward: StepPlan[];
  /** Gradients of the loss (plus regularisation) with respect to `grad_params`. */
  backward: StepPlan[];
  /** The optimiser step: `params` updated from `grad_params` with the `hyper` buffer's settings. */
  update: StepPlan[];
  /**
   * Present when the plan was made without an explicit `shape` (as `regnnc compile` makes the generated
   * module's): then `kernels`, `buffers` and the passes above are the CPU shape (for lavapipe, SwiftShader)
   * and this is the GPU shape. The runtime compiles and runs one of them, chosen from the device's class or
   * forced (`shape` of PlanExecutor.create / CompiledModel). A plan without it holds the one shape planned.
   */
  gpu?: PlanShapeVariant;
  /**
   * Invocations per workgroup, the value the executor gives every kernel's WGSL override `wg_size` and sizes
   * dispatches by. Absent in plans made before kernels declared it (their kernels fix 64).
   */
  workgroupSize?: number;
  /** Training settings from the spec; `loss` is null when the spec has no loss (the model cannot train). */
  train: {
    loss: { output: string; target: string } | null;
    optimizer: { kind: "sgd"; lr: number; momentum: number } | { kind: "adam"; lr: number; beta1: number; beta2: number; eps: number };
    schedule: { kind: "constant" } | { kind: "step"; every: number; gamma: number } | { kind: "cosine"; minLr: number };
    epochs: number;
    batch: number;
    seed: number;
    checkpointEvery: number;
  };
  /** The relaxed layers' θ (expanded from its coefficients by the forward pass): buffer and irreps. */
  thetas: { layer: string; buffer: string; irreps: string }[];
  /** Output name -> buffer name and irreps dimension. */
  outputs: { name: string; buffer: string; cols: number; domain: "node" | "edge" | "graph" }[];
  /** Inputs the batch must provide: feature name -> cols and domain. */
  inputs: { name: string; cols: number; domain: "node" | "edge" | "graph" }[];
  paramCount: number;
  /** The flat parameter layout (names and shapes as in the IR, so weights exchange with e3nn by name). */
  params: { name: string; offset: number; size: number; shape: number[]; init: "normal" | "ones" | "zeros" | "theta_scalar"; relaxed: boolean }[];
  /** Flat indices set to 1 by the theta_scalar initialisation (θ's 0e copies). */
  thetaScalarIndices: number[];
  /** How raw graphs become a batch (see runtime/graph/batching.ts). */
  batch: {
    positions: string | null;
    graph: { mode: "radius" | "knn" | "full" | "edges"; radius: number | null; maxNeighbors: number | null; k: number | null; edgesUsed: boolean };
    fields: { name: string; dim: number; domain: "node" | "edge" | "graph" }[];
  };
}
