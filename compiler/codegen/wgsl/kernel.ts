/**
 * The contract between kernel generators and the executor that runs them: a kernel is WGSL plus the names
 * of its storage bindings in binding order and what its invocations range over. The executor binds buffers
 * by name and sets the uniform `params` (always the binding after the storage ones).
 */

/**
 * What one invocation handles: a node, an edge, a graph, a fixed count (e.g. parameters), or one of
 * `ceil(size / block) · times` (a block of rows times a column, in two-level reductions).
 */
export type RowDomain = "nodes" | "edges" | "graphs" | { count: number } | { per: "nodes" | "edges" | "graphs"; block: number; times: number };

export interface KernelBinding {
  /** The executor's name for the buffer (a value, a gradient, a scratch buffer, "params", "grad_params", ...). */
  name: string;
  access: "read" | "read_write";
  type: "f32" | "u32";
}

export interface KernelSpec {
  /** Unique within a model; names the kernel in every error. */
  label: string;
  code: string;
  bindings: readonly KernelBinding[];
  rows: RowDomain;
}

/** The uniform every kernel gets: its row count and the batch's sizes. */
export const PARAMS_STRUCT = "struct Params { rows: u32, nodes: u32, edges: u32, graphs: u32 }";

/**
 * What a kernel generator returns: WGSL, and the WGSL names of its storage bindings in binding order (the
 * uniform `params: Params` comes right after them). The executor maps these names to its buffers.
 */
export interface GeneratedKernel {
  code: string;
  bindings: readonly string[];
  /** Set by a kernel that fixes its workgroup size (it shares work through workgroup memory): KernelPlan.workgroupSize. */
  workgroupSize?: number;
}
