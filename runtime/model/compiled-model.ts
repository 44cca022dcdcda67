/**
 * The base of every generated model module: owns the plan's executor and the parameters, batches raw
 * graphs, runs the forward pass, and saves / loads weights as safetensors (names and flat layouts as in
 * the IR, so they exchange with e3nn by name).
 */
import type { GraphBatch } from "../graph/batch.js";
import type { GraphInput } from "../graph/batching.js";
import { randomNormal, seededRng } from "../../util/random.js";
import { PlanExecutor } from "./executor.js";
import { batchWithinLimits } from "./plan-size.js";
import type { ModelPlan } from "./plan.js";
import type { PipelineProgress } from "../pipelines.js";
import type { DeviceClass } from "../device-class.js";
import { adamHyper, scheduledLr, sgdHyper } from "./optimizer-hyper.js";
import { encodeSafetensors } from "./safetensors.js";
import { readWeights, WEIGHTS_FORMAT } from "./weights.js";

export interface CreateModelOptions {
  /** Seed of the parameter initialisation (default 0). */
  seed?: number;
  /** Initial parameters in the flat layout, instead of the seeded initialisation. */
  params?: ArrayLike<number>;
  /**
   * Bytes of GPU buffers one batch may take; a larger batch is refused (ModelSizeError, naming the numbers
   * and what to change) before anything is allocated or any edge built. Default: 80% of the host's memory
   * in Node, 4 GiB in browsers (WebGPU does not tell how much memory a GPU has).
   */
  memoryBudget?: number;
  /** Follows the kernels' compilation (the slow part of start-up; pipelines already on the device are reused). */
  onProgress?: (progress: PipelineProgress) => void;
  /**
   * The kernel shape to run: "cpu" (long loops in few invocations, for lavapipe and SwiftShader) or "gpu"
   * (reductions as fixed-size blocks and block-sum trees, for real GPUs). Default: the device's class, from
   * its adapter (runtime deviceClassOf). Only that shape's kernels are compiled. Forcing one needs a plan that
   * carries both, as every generated module's does; a plan made with an explicit shape holds only that one.
   */
  shape?: DeviceClass;
  /**
   * Sleep through most of each pass's expected time before waiting for the queue (runtime/model/queue-pacer.ts).
   * Default: on a CPU adapter in Node, where Dawn's polling would take a core from the driver; false waits at once.
   */
  paceQueue?: boolean;
}

/** The deterministic initialisation the IR asks for (the same stream as the float64 reference's). */
export function initialParams(plan: ModelPlan, seed: number): Float32Array<ArrayBuffer> {
  const rng = seededRng(seed);
  const out = new Float32Array(plan.paramCount);
  for (const p of plan.params) {
    if (p.init === "normal") for (let i = 0; i < p.size; i++) out[p.offset + i] = randomNormal(rng);
    else if (p.init === "ones") out.fill(1, p.offset, p.offset + p.size);
  }
  for (const i of plan.thetaScalarIndices) out[i] = 1;
  return out;
}

/** A training step met a non-finite loss or regulariser; `detail` says which, without the model's name. */
export class NonFiniteLossError extends Error {
  constructor(model: string, readonly detail: string) {
    super(`${model}: ${detail}`);
    this.name = "NonFiniteLossError";
  }
}

/** The order of the graphs in `epoch`: a Fisher-Yates shuffle seeded by the run's seed and the epoch alone. */
export function epochOrder(count: number, seed: number, epoch: number): number[] {
  const rng = seededRng((Math.imul(epoch + 1, 0x9e3779b1) ^ seed ^ 0x5eed) >>> 0);
  const order = Array.from({ length: count }, (_, i) => i);
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

export class CompiledModel<Graph extends GraphInput = GraphInput, Outputs extends object = Record<string, Float32Array>> {
  protected constructor(
    readonly plan: ModelPlan,
    protected readonly executor: PlanExecutor,
  ) {}

  /**
   * Compiles the kernels of the plan's shape for `device` (`options.shape`) and initialises the parameters;
   * `make` builds the subclass, with that shape's plan.
   */
  protected static async instantiate<M>(
    make: (plan: ModelPlan, executor: PlanExecutor) => M,
    device: GPUDevice,
    fullPlan: ModelPlan,
    options: CreateModelOptions = {},
  ): Promise<M> {
    const executor = await PlanExecutor.create(device, fullPlan, {
      ...(options.memoryBudget === undefined ? {} : { memoryBudget: options.memoryBudget }),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.shape === undefined ? {} : { shape: options.shape }),
      ...(options.paceQueue === undefined ? {} : { paceQueue: options.paceQueue }),
    });
    const plan = executor.plan;
    const params: Float32Array<ArrayBuffer> = options.params ? Float32Array.from(options.params) : initialParams(plan, options.seed ?? 0);
    if (params.length !== plan.paramCount) throw new Error(`${plan.model}: expected ${plan.paramCount} parameters, got ${params.length}`);
    executor.write("params", params);
    return make(plan, executor);
  }

  /** A model straight from a plan (for tools that compile specs at run time, rather than a generated module). */
  static async fromPlan(device: GPUDevice, plan: ModelPlan, options: CreateModelOptions = {}): Promise<CompiledModel> {
    return CompiledModel.instantiate((p, e) => new CompiledModel(p, e), device, plan, options);
  }

  /** Stacks graphs into one batch as the spec says (radius / knn / full / given edges). */
  batch(graphs: readonly Graph[]): GraphBatch {
    return batchWithinLimits(this.plan, graphs, this.executor.limits);
  }

  /** The model's outputs for a batch (or for raw graphs, batched first). */
  async forward(input: readonly Graph[] | GraphBatch): Promise<Outputs> {
    const batch = Array.isArray(input) ? this.batch(input as readonly Graph[]) : (input as GraphBatch);
    this.executor.load(batch);
    await this.executor.run("forward");
    const out: Record<string, Float32Array> = {};
    // defineProperty: an output named "__proto__" is a value, not the object's prototype.
    for (const o of this.plan.outputs) Object.defineProperty(out, o.name, { value: await this.executor.read(o.buffer), enumerable: true, writable: true, configurable: true });
    return out as Outputs;
  }

  private steps = 0;

  /**
   * One optimiser step on a batch: forward, the loss and its gradients (plus the relaxed-weight
   * regularisers), then the spec's optimiser with the learning rate its schedule gives at `epoch`.
   * Returns the loss and the regulariser before the step. Throws on a non-finite loss, leaving the
   * parameters as they were before this step.
   */
  async trainStep(input: readonly Graph[] | GraphBatch, options: { epoch?: number } = {}): Promise<{ loss: number; regularization: number }> {
    const { train } = this.plan;
    if (!train.loss) throw new Error(`${this.plan.model}: the spec declares no loss (train { loss: sse(output, target) }), so it cannot train`);
    const batch = Array.isArray(input) ? this.batch(input as readonly Graph[]) : (input as GraphBatch);
    this.executor.load(batch);
    await this.executor.run("forward");
    await this.executor.run("backward", { zeroGradients: true });
    const loss = (await this.executor.read("loss", 1))[0]!;
    const regularization = (await this.executor.read("reg")).reduce((s, v) => s + v, 0);
    if (!Number.isFinite(loss) || !Number.isFinite(regularization)) {
      throw new NonFiniteLossError(this.plan.model, `the loss is not finite (${loss}, regulariser ${regularization}); parameters unchanged`);
    }
    this.steps++;
    const opt = train.optimizer;
    const lr = scheduledLr(opt.lr, train.schedule, options.epoch ?? 0, train.epochs);
    const hyper = new Float32Array(8);
    hyper.set(opt.kind === "sgd" ? sgdHyper({ lr, momentum: opt.momentum }) : adamHyper({ ...opt, lr }, this.steps));
    this.executor.write("hyper", hyper);
    await this.executor.run("update");
    return { loss, regularization };
  }

  /**
   * Trains on `graphs` until `epochs` (default: the spec's) epochs are done, in batches of the spec's size.
   * Each epoch's order is a shuffle seeded by (seed, epoch) alone, so a run resumed at `startEpoch` (with the
   * parameters and `trainingState()` saved then) continues exactly as the uninterrupted run would have.
   * Calls `onEpoch` after each epoch (await it to checkpoint; return false to stop). Returns the last epoch's
   * summed loss. Runs anywhere WebGPU runs, a browser included.
   */
  async fit(
    graphs: readonly Graph[],
    options: { epochs?: number; startEpoch?: number; seed?: number; onEpoch?: (e: { epoch: number; epochs: number; loss: number; regularization: number }) => unknown } = {},
  ): Promise<number> {
    const epochs = options.epochs ?? this.plan.train.epochs;
    const batchSize = this.plan.train.batch;
    const seed = options.seed ?? this.plan.train.seed;
    let last = NaN;
    for (let epoch = options.startEpoch ?? 0; epoch < epochs; epoch++) {
      const order = epochOrder(graphs.length, seed, epoch);
      let loss = 0, regularization = 0;
      for (let b = 0; b < order.length; b += batchSize) {
        const r = await this.trainStep(order.slice(b, b + batchSize).map((i) => graphs[i]!), { epoch });
        loss += r.loss;
        regularization += r.regularization;
      }
      last = loss;
      if ((await options.onEpoch?.({ epoch: epoch + 1, epochs, loss, regularization })) === false) break;
    }
    return last;
  }

  /**
   * What an optimiser carries between steps besides the parameters: its step count and moment buffers
   * (momentum, or Adam's m and v). With the parameters, it is all a resumed run needs.
   */
  async trainingState(): Promise<{ steps: number; buffers: Record<string, Float32Array> }> {
    const buffers: Record<string, Float32Array> = {};
    for (const name of this.optimizerBuffers()) buffers[name] = await this.executor.read(name, this.plan.paramCount);
    return { steps: this.steps, buffers };
  }

  setTrainingState(state: { steps: number; buffers: Record<string, ArrayLike<number>> }): void {
    if (!Number.isInteger(state.steps) || state.steps < 0) throw new Error(`${this.plan.model}: invalid optimiser step count ${state.steps}`);
    for (const name of this.optimizerBuffers()) {
      const data = state.buffers[name];
      if (!data) throw new Error(`${this.plan.model}: the optimiser state has no '${name}'`);
      if (data.length !== this.plan.paramCount) throw new Error(`${this.plan.model}: optimiser state '${name}' has ${data.length} numbers, expected ${this.plan.paramCount}`);
      this.executor.write(name, Float32Array.from(data));
    }
    this.steps = state.steps;
  }

  private optimizerBuffers(): string[] {
    return this.plan.buffers.filter((b) => b.role === "state" && b.name !== "hyper").map((b) => b.name);
  }

  /** Each relaxed layer's θ at the current parameters (after a forward pass), with its irreps. */
  async thetas(): Promise<{ layer: string; irreps: string; theta: Float32Array }[]> {
    const out = [];
    for (const t of this.plan.thetas) out.push({ layer: t.layer, irreps: t.irreps, theta: await this.executor.read(t.buffer) });
    return out;
  }

  async getParams(): Promise<Float32Array> {
    return this.executor.read("params", this.plan.paramCount);
  }

  setParams(params: ArrayLike<number>): void {
    if (params.length !== this.plan.paramCount) throw new Error(`${this.plan.model}: expected ${this.plan.paramCount} parameters, got ${params.length}`);
    this.executor.write("params", Float32Array.from(params));
  }

  /** The weights as safetensors bytes: one F32 tensor per parameter (each with its SHA-256), with the spec's hash as metadata. */
  async save(): Promise<Uint8Array> {
    const params = await this.getParams();
    const tensors = Object.fromEntries(
      this.plan.params.map((p) => [p.name, { dtype: "F32" as const, shape: p.shape, data: params.slice(p.offset, p.offset + p.size) }]),
    );
    return encodeSafetensors(tensors, { model: this.plan.model, spec_sha256: this.plan.specHash, format: WEIGHTS_FORMAT });
  }

  /**
   * Loads weights saved by `save` or a checkpoint (or written by e3nn under the same names and shapes). Every
   * tensor's name, dtype and shape, the model name and the digests are checked; `source` (the file) is named in
   * errors.
   */
  load(bytes: Uint8Array, source = `${this.plan.model} weights`): void {
    this.executor.write("params", readWeights(bytes, this.plan, source).params);
  }

  destroy(): void {
    this.executor.destroy();
  }
}
