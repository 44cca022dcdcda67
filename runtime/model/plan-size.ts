/**
 * How much GPU memory a plan needs for a batch, known before anything is allocated or any edge is built.
 *
 * Every buffer of a plan is rows x cols numbers of 4 bytes, its rows a fixed count or the batch's nodes,
 * edges or graphs (plus a few extra rows), so the total is affine in the batch's sizes:
 * fixed + perNode·nodes + perEdge·edges + perGraph·graphs. The executor binds every buffer whole, so each
 * one must also fit the device's maxBufferSize and maxStorageBufferBindingSize, and kernels index them with
 * u32. A batch over any of these is refused with the numbers and with what to change, instead of a
 * multi-gigabyte allocation that ends in a device error or in the host running out of memory.
 */
import type { GraphBatch } from "../graph/batch.js";
import { batchGraphs, type GraphInput } from "../graph/batching.js";
import { EdgeLimitError } from "../graph/neighbors.js";
import type { BufferPlan, Extent, ModelPlan } from "./plan.js";

export interface BatchExtent {
  nodes: number;
  edges: number;
  graphs: number;
}

/** What a device (and the caller) allows. */
export interface SizeLimits {
  maxBufferSize: number;
  maxStorageBufferBindingSize: number;
  /** Bytes of GPU buffers a batch may take in all. */
  memoryBudget: number;
}

/** A batch the plan cannot run within the limits; nothing was allocated. */
export class ModelSizeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ModelSizeError";
  }
}

/** Largest element index a u32 can hold: kernels address every buffer with u32 indices. */
const MAX_ELEMENTS = 0xffffffff;

interface Affine {
  fixed: number;
  nodes: number;
  edges: number;
  graphs: number;
}

const at = (a: Affine, s: BatchExtent) => a.fixed + a.nodes * s.nodes + a.edges * s.edges + a.graphs * s.graphs;

/** Bytes of one buffer as an affine function of the batch's sizes (as the executor allocates it: at least 1 row and 1 col). */
function bufferBytes(d: BufferPlan): Affine {
  const cols = Math.max(1, d.cols) * 4;
  const extra = d.extraRows ?? 0;
  const rows: Extent = d.rows;
  if (typeof rows === "object" && "count" in rows) return { fixed: Math.max(1, rows.count + extra) * cols, nodes: 0, edges: 0, graphs: 0 };
  // ceil(size / block) · times rows is at most (size / block + 1) · times.
  if (typeof rows === "object") return { fixed: (rows.times + extra) * cols, nodes: 0, edges: 0, graphs: 0, [rows.per]: (rows.times * cols) / rows.block };
  return { fixed: extra * cols, nodes: 0, edges: 0, graphs: 0, [rows]: cols };
}

/** The plan's total buffer bytes, affine in (nodes, edges, graphs). */
export function planBytes(plan: ModelPlan): Affine {
  const total: Affine = { fixed: 0, nodes: 0, edges: 0, graphs: 0 };
  for (const d of plan.buffers) {
    const b = bufferBytes(d);
    total.fixed += b.fixed;
    total.nodes += b.nodes;
    total.edges += b.edges;
    total.graphs += b.graphs;
  }
  return total;
}

/** Total bytes of the plan's buffers for a batch of `sizes`, and its largest buffer. */
export function estimateBatchBytes(plan: ModelPlan, sizes: BatchExtent): { total: number; largest: { name: string; bytes: number } } {
  let largest = { name: "", bytes: 0 };
  for (const d of plan.buffers) {
    const bytes = at(bufferBytes(d), sizes);
    if (bytes > largest.bytes) largest = { name: d.name, bytes };
  }
  return { total: at(planBytes(plan), sizes), largest };
}

/** A default budget: 80% of the host's memory in Node (lavapipe's "GPU" memory is host memory); 4 GiB elsewhere. */
export function defaultMemoryBudget(): number {
  const getBuiltin = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule;
  const os = getBuiltin?.("node:os") as { totalmem(): number } | undefined;
  return os ? Math.floor(0.8 * os.totalmem()) : 4 * 2 ** 30;
}

/** The device's limits that bound a batch, with the caller's budget (default {@link defaultMemoryBudget}). */
export function sizeLimits(device: GPUDevice, memoryBudget?: number): SizeLimits {
  return {
    maxBufferSize: device.limits.maxBufferSize,
    maxStorageBufferBindingSize: device.limits.maxStorageBufferBindingSize,
    memoryBudget: memoryBudget ?? defaultMemoryBudget(),
  };
}

export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let v = bytes, u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${u === 0 ? v : v.toFixed(v < 10 ? 2 : 1)} ${units[u]}`;
}

/** What the user can change, given how the plan's edges are made. */
function advice(plan: ModelPlan): string {
  const g = plan.batch.graph;
  const batch = plan.train.batch > 1 ? `fewer graphs per batch (train { batch: ${Math.floor(plan.train.batch / 2)} } instead of ${plan.train.batch})` : "smaller graphs (a batch is already one graph)";
  if (g.mode === "full") return `use ${batch}, or fewer edges: \`graph full\` connects every pair of nodes; \`graph radius R max_neighbors K\` keeps at most K per node`;
  if (g.mode === "radius") {
    return `use ${batch}, or fewer edges: a smaller \`radius\` (now ${g.radius})${g.maxNeighbors === null ? " or a `max_neighbors` limit" : ` or a smaller \`max_neighbors\` (now ${g.maxNeighbors})`}`;
  }
  if (g.mode === "knn") return `use ${batch}, or a smaller knn k (now ${g.k})`;
  return `use ${batch} or smaller graphs`;
}

function describe(plan: ModelPlan, sizes: BatchExtent, edgesAtLeast: boolean): string {
  const mode = plan.batch.graph.mode === "edges" ? "" : ` (graph ${plan.batch.graph.mode})`;
  return `a batch of ${sizes.graphs} graph${sizes.graphs === 1 ? "" : "s"}, ${sizes.nodes} nodes and ${edgesAtLeast ? "at least " : ""}${sizes.edges} edges${mode}`;
}

/**
 * Throws {@link ModelSizeError} unless a batch of `sizes` fits: the whole within the budget, every buffer
 * within the device's buffer and binding limits and u32 addressing. Allocates nothing.
 */
export function checkBatchSize(plan: ModelPlan, sizes: BatchExtent, limits: SizeLimits, options: { edgesAtLeast?: boolean } = {}): void {
  const { total, largest } = estimateBatchBytes(plan, sizes);
  const perBuffer = Math.min(limits.maxBufferSize, limits.maxStorageBufferBindingSize);
  const problems: string[] = [];
  if (total > limits.memoryBudget) {
    problems.push(`needs ${formatBytes(total)} of GPU buffers, over the memory budget of ${formatBytes(limits.memoryBudget)}`);
  }
  if (largest.bytes / 4 > MAX_ELEMENTS) {
    problems.push(`its buffer '${largest.name}' would hold ${largest.bytes / 4} numbers, more than a u32 index reaches (${MAX_ELEMENTS})`);
  } else if (largest.bytes > perBuffer) {
    problems.push(`its buffer '${largest.name}' needs ${formatBytes(largest.bytes)} (${largest.bytes} bytes), over the device's largest storage buffer (${formatBytes(perBuffer)}, ${perBuffer} bytes)`);
  }
  if (problems.length === 0) return;
  const a = planBytes(plan);
  throw new ModelSizeError(
    `${plan.model}: ${describe(plan, sizes, options.edgesAtLeast ?? false)} ${problems.join("; and ")} ` +
      `(${formatBytes(a.fixed)} fixed + ${a.nodes} B per node + ${a.edges} B per edge). Nothing was allocated. To fit, ${advice(plan)}.`,
  );
}

/**
 * The most edges a batch of `nodes` and `graphs` can have within the limits (0 or more); graph building
 * stops there instead of building edges that could never run. Throws when the nodes alone do not fit.
 */
export function edgeAllowance(plan: ModelPlan, nodes: number, graphs: number, limits: SizeLimits): number {
  checkBatchSize(plan, { nodes, edges: 0, graphs }, limits);
  const a = planBytes(plan);
  if (a.edges === 0) return Infinity;
  let most = Math.floor((limits.memoryBudget - at(a, { nodes, edges: 0, graphs })) / a.edges);
  const perBuffer = Math.min(limits.maxBufferSize, limits.maxStorageBufferBindingSize, 4 * MAX_ELEMENTS);
  for (const d of plan.buffers) {
    const b = bufferBytes(d);
    if (b.edges > 0) most = Math.min(most, Math.floor((perBuffer - b.fixed) / b.edges));
  }
  return Math.max(0, most);
}

/**
 * Stacks `graphs` as the plan says, within `limits`: the edge allowance bounds the edges before they are
 * built (a full graph is counted, a radius graph stops growing), rather than filling the host's memory
 * with edges no device could hold. Throws {@link ModelSizeError} with the numbers.
 */
export function batchWithinLimits(plan: ModelPlan, graphs: readonly GraphInput[], limits: SizeLimits): GraphBatch {
  const { positions, graph, fields } = plan.batch;
  const list = Array.isArray(graphs) ? graphs : [];
  const nodes = list.reduce((s, g) => s + (Number.isInteger(g?.numNodes) && g.numNodes > 0 ? g.numNodes : 0), 0);
  const maxEdges = edgeAllowance(plan, nodes, list.length, limits);
  try {
    return batchGraphs(graphs, positions === null ? { graph, fields, maxEdges } : { positions, graph, fields, maxEdges });
  } catch (e) {
    if (!(e instanceof EdgeLimitError)) throw e;
    checkBatchSize(plan, { nodes, edges: e.edges, graphs: list.length }, limits, { edgesAtLeast: true });
    throw e; // not reached: more edges than the allowance break a limit
  }
}
