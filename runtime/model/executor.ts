/**
 * Runs a ModelPlan on a device: compiles its kernels once, sizes its buffers for each batch (reusing them
 * while the batch fits), uploads inputs, and encodes a whole pass (forward or backward) into one submit.
 */
import { createComputeKernels, type ComputeKernel, type CreateKernelsOptions } from "../pipelines.js";
import { withValidation } from "../errors.js";
import { deviceClassOf } from "../device.js";
import type { DeviceClass } from "../device-class.js";
import type { GraphBatch } from "../graph/batch.js";
import { recentredFloat32 } from "../graph/recentre.js";
import { extentRows, type BufferPlan, type Extent, type KernelPlan, type ModelPlan, type StepPlan } from "./plan.js";
import { checkBatchSize, sizeLimits, type SizeLimits } from "./plan-size.js";
import { selectPlanShape } from "./plan-shape.js";
import { pacesQueue, QueuePacer, workKey } from "./queue-pacer.js";

const WORKGROUP_SIZE = 64;
const MAX_WORKGROUPS_PER_DIM = 65535;

export interface BatchSizes {
  nodes: number;
  edges: number;
  graphs: number;
}

function rowsOf(extent: Extent, sizes: BatchSizes): number {
  return extentRows(extent, sizes);
}

/** The graph arrays a plan may bind, by the names plans use for them. */
function graphArray(batch: GraphBatch, name: string): Uint32Array | undefined {
  switch (name) {
    case "edge_src": return batch.edgeSrc;
    case "edge_dst": return batch.edgeDst;
    case "dst_offsets": return batch.dstOffsets;
    case "src_offsets": return batch.srcOffsets;
    case "src_edges": return batch.srcEdges;
    case "node_graph": return batch.nodeGraph;
    case "graph_node_offsets": return batch.graphNodeOffsets;
    default: return undefined;
  }
}

/** Options of {@link PlanExecutor.create}. */
export interface ExecutorOptions extends CreateKernelsOptions {
  /** Bytes of GPU buffers a batch may take (default: plan-size.ts's defaultMemoryBudget). */
  memoryBudget?: number;
  /**
   * The kernel shape to run, of a plan that carries both (ModelPlan.gpu): "cpu" or "gpu" forces one (e.g. the
   * GPU shape on lavapipe, to test it). Default: the device's class (device.ts, deviceClassOf). A plan
   * holding one shape runs that shape, and refuses a forced one.
   */
  shape?: DeviceClass;
  /**
   * Sleep through most of a pass's expected time before waiting for it (queue-pacer.ts). Default: on a CPU
   * adapter in Node, where Dawn's polling would take a core from the driver.
   */
  paceQueue?: boolean;
}

/** The single-shape plan to run on `device`: see {@link ExecutorOptions.shape}. */
export function planForDevice(device: GPUDevice, plan: ModelPlan, shape?: DeviceClass): ModelPlan {
  if (!plan.gpu && shape === undefined) return plan;
  return selectPlanShape(plan, shape ?? deviceClassOf(device));
}

export class PlanExecutor {
  private readonly buffers = new Map<string, { buffer: GPUBuffer; bytes: number }>();
  private readonly uniforms = new Map<number, { buffer: GPUBuffer; key: string }>();
  private readonly bindGroups = new Map<number, { kernel: ComputeKernel; buffers: GPUBuffer[]; group: GPUBindGroup }>();
  private sizes: BatchSizes = { nodes: -1, edges: -1, graphs: -1 };
  /** The passes submitted since the last wait, and when the first was: what the next read waits for. */
  private pending: { passes: string[]; since: number } | undefined;

  private constructor(
    readonly device: GPUDevice,
    readonly plan: ModelPlan,
    private readonly kernels: ComputeKernel[],
    /** What a batch may take (plan-size.ts): checked before any buffer is sized for it. */
    readonly limits: SizeLimits,
    private readonly pacer: QueuePacer,
  ) {}

  /**
   * Compiles (or reuses) every kernel of the plan's shape for this device (`options.shape`), all in parallel;
   * `onProgress` follows the pipelines. `executor.plan` is that shape's plan, without the other's kernels.
   */
  static async create(device: GPUDevice, fullPlan: ModelPlan, options: ExecutorOptions = {}): Promise<PlanExecutor> {
    const { memoryBudget, shape, paceQueue, ...kernelOptions } = options;
    const plan = planForDevice(device, fullPlan, shape);
    const limits = sizeLimits(device, memoryBudget);
    // The fixed buffers (parameters, optimiser state, tables) must fit before kernels are worth compiling.
    checkBatchSize(plan, { nodes: 0, edges: 0, graphs: 0 }, limits);
    // Kernels of plans before `workgroupSize`, and kernels that fix their own, declare no override to set.
    const constants = (k: KernelPlan) => (plan.workgroupSize === undefined || k.workgroupSize !== undefined ? {} : { constants: { wg_size: plan.workgroupSize } });
    const kernels = await createComputeKernels(device, plan.kernels.map((k) => ({ label: `${plan.model}/${k.label}`, code: k.code, ...constants(k) })), kernelOptions);
    return new PlanExecutor(device, plan, kernels, limits, new QueuePacer(paceQueue ?? pacesQueue(deviceClassOf(device))));
  }

  private decl(name: string): BufferPlan {
    const d = this.plan.buffers.find((b) => b.name === name);
    if (!d) throw new Error(`plan ${this.plan.model}: no buffer named '${name}'`);
    return d;
  }

  /** The buffer, (re)allocated for the current batch sizes; its previous contents survive only if it fits. */
  buffer(name: string): GPUBuffer {
    const d = this.decl(name);
    // Zero-sized bindings are invalid: every buffer has at least one row.
    const bytes = Math.max(1, rowsOf(d.rows, this.sizes) + (d.extraRows ?? 0)) * Math.max(1, d.cols) * 4;
    const have = this.buffers.get(name);
    if (have && have.bytes >= bytes) return have.buffer;
    have?.buffer.destroy();
    const buffer = this.device.createBuffer({
      label: `${this.plan.model}/${name}`,
      size: Math.ceil(bytes / 4) * 4,
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC,
    });
    this.buffers.set(name, { buffer, bytes });
    if (d.role === "constant") this.device.queue.writeBuffer(buffer, 0, d.type === "u32" ? Uint32Array.from(d.values ?? []) : Float32Array.from(d.values ?? []));
    return buffer;
  }

  /** Uploads a flat array into a named buffer (parameters, optimiser state, hyper-parameters). */
  write(name: string, data: Float32Array<ArrayBuffer> | Uint32Array<ArrayBuffer>): void {
    this.device.queue.writeBuffer(this.buffer(name), 0, data);
  }

  async read(name: string, count?: number): Promise<Float32Array> {
    const d = this.decl(name);
    const n = count ?? Math.max(1, rowsOf(d.rows, this.sizes) + (d.extraRows ?? 0)) * d.cols;
    const staging = this.device.createBuffer({ size: Math.max(4, n * 4), usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    const encoder = this.device.createCommandEncoder();
    encoder.copyBufferToBuffer(this.buffer(name), 0, staging, 0, n * 4);
    this.device.queue.submit([encoder.finish()]);
    const pending = this.pending;
    this.pending = undefined;
    if (pending) {
      await this.pacer.wait(workKey(pending.passes, this.sizes.nodes, this.sizes.edges), pending.since, () => staging.mapAsync(GPUMapMode.READ));
    } else {
      await staging.mapAsync(GPUMapMode.READ);
    }
    const out = new Float32Array(staging.getMappedRange().slice(0, n * 4));
    staging.destroy();
    return out;
  }

  /** Sizes the buffers for `batch` and uploads its features and graph arrays. */
  load(batch: GraphBatch): void {
    checkBatchSize(this.plan, { nodes: batch.numNodes, edges: batch.numEdges, graphs: batch.numGraphs }, this.limits);
    this.sizes = { nodes: batch.numNodes, edges: batch.numEdges, graphs: batch.numGraphs };
    for (const d of this.plan.buffers) {
      if (d.role !== "input") continue;
      const src = d.source ?? d.name;
      if (src === "edge_shift") {
        // Lattice shifts of edges to periodic images; zero when the batch has none.
        const shifts = batch.edgeShifts ? Float32Array.from(batch.edgeShifts) : new Float32Array(3 * batch.numEdges);
        if (shifts.length) this.device.queue.writeBuffer(this.buffer(d.name), 0, shifts);
        else this.buffer(d.name);
        continue;
      }
      const graph = graphArray(batch, src);
      if (graph) {
        if (graph.length) this.device.queue.writeBuffer(this.buffer(d.name), 0, Uint32Array.from(graph));
        else this.buffer(d.name);
        continue;
      }
      // Own properties only: an input named "constructor" must not find Object.prototype's.
      const feature = Object.hasOwn(batch.features, src) ? batch.features[src] : undefined;
      if (!feature) throw new Error(`batch has no feature '${src}' (model ${this.plan.model} needs it)`);
      const expected = rowsOf(d.rows, this.sizes) * d.cols;
      if (feature.length !== expected) throw new Error(`batch feature '${src}': expected ${expected} numbers, got ${feature.length}`);
      // Positions lose every digit that matters in float32 when far from the origin: recentred per graph first.
      const data = src === this.plan.batch.positions ? recentredFloat32(feature, batch.graphNodeOffsets) : Float32Array.from(feature);
      if (data.length) this.device.queue.writeBuffer(this.buffer(d.name), 0, data);
      else this.buffer(d.name);
    }
  }

  private uniform(index: number, rows: number): GPUBuffer {
    const key = `${rows},${this.sizes.nodes},${this.sizes.edges},${this.sizes.graphs}`;
    let u = this.uniforms.get(index);
    if (!u) {
      const buffer = this.device.createBuffer({ label: `${this.plan.model}/params#${index}`, size: 16, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
      u = { buffer, key: "" };
      this.uniforms.set(index, u);
    }
    if (u.key !== key) {
      this.device.queue.writeBuffer(u.buffer, 0, Uint32Array.of(rows, this.sizes.nodes, this.sizes.edges, this.sizes.graphs));
      u.key = key;
    }
    return u.buffer;
  }

  /** A step's bind group, reused while it binds the same buffers (they are reallocated only when a batch outgrows them). */
  private bindGroup(slot: number, label: string, kernel: ComputeKernel, buffers: GPUBuffer[]): GPUBindGroup {
    const have = this.bindGroups.get(slot);
    if (have && have.kernel === kernel && have.buffers.length === buffers.length && have.buffers.every((b, i) => b === buffers[i])) return have.group;
    const entries = buffers.map((buffer, binding) => ({ binding, resource: { buffer } }));
    const group = this.device.createBindGroup({ label, layout: kernel.pipeline.getBindGroupLayout(0), entries });
    this.bindGroups.set(slot, { kernel, buffers, group });
    return group;
  }

  /** Encodes the steps into one submit; gradients are zeroed first when `zeroGradients`. */
  async run(pass: "forward" | "backward" | "update", options: { zeroGradients?: boolean } = {}): Promise<void> {
    const steps: StepPlan[] = this.plan[pass];
    await withValidation(this.device, `${this.plan.model}/${pass}`, () => {
      const encoder = this.device.createCommandEncoder({ label: `${this.plan.model}/${pass}` });
      if (options.zeroGradients) {
        for (const d of this.plan.buffers) if (d.role === "gradient") encoder.clearBuffer(this.buffer(d.name));
      }
      // One compute pass for the whole step list: dispatches in a pass run in order and see each other's
      // writes, and a pass per step cost lavapipe measurable time per step.
      const computePass = encoder.beginComputePass({ label: `${this.plan.model}/${pass}` });
      steps.forEach((step, i) => {
        const rows = rowsOf(step.rows, this.sizes);
        if (rows === 0) return;
        const kernel = this.kernels[step.kernel]!;
        const slot = { forward: 0, backward: 100_000, update: 200_000 }[pass] + i;
        const buffers = [...step.buffers.map((name) => this.buffer(name)), this.uniform(slot, rows)];
        computePass.setPipeline(kernel.pipeline);
        computePass.setBindGroup(0, this.bindGroup(slot, step.label, kernel, buffers));
        const groups = Math.ceil(rows / (this.plan.kernels[step.kernel]!.workgroupSize ?? this.plan.workgroupSize ?? WORKGROUP_SIZE));
        const x = Math.min(groups, MAX_WORKGROUPS_PER_DIM);
        computePass.dispatchWorkgroups(x, Math.ceil(groups / x));
      });
      computePass.end();
      this.device.queue.submit([encoder.finish()]);
      this.pending ??= { passes: [], since: performance.now() };
      this.pending.passes.push(options.zeroGradients ? `${pass}0` : pass);
    });
  }

  destroy(): void {
    for (const { buffer } of this.buffers.values()) buffer.destroy();
    for (const { buffer } of this.uniforms.values()) buffer.destroy();
    this.buffers.clear();
    this.uniforms.clear();
    this.bindGroups.clear();
  }
}
