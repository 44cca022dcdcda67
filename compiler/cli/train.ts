/**
 * `regnnc train`: compiles a spec, trains it on the WebGPU device on a dataset with the spec's loss,
 * optimiser, schedule, batch size and regularisers, and writes into --out: the loss log (loss.csv) and its
 * picture (loss.png), a checkpoint (checkpoint.safetensors: parameters, optimiser state and the run's
 * position; checkpoint.json: the same metadata to read) every K epochs and at the end, and the final
 * weights (<Model>.safetensors). Every file is written beside its final name and renamed in, so a run
 * killed at any moment leaves whole files, and `--resume` continues from the last checkpoint exactly as the
 * uninterrupted run would have. Ends with the symmetry each relaxed layer learned.
 */
import cliProgress from "cli-progress";
import { existsSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { batchWithinLimits, createDevice, CompiledModel, NonFiniteLossError, planOptionsFor, sizeLimits } from "../../runtime/index.js";
import type { GraphInput } from "../../runtime/graph/batching.js";
import { planModel } from "../codegen/plan.js";
import { className } from "../codegen/typescript.js";
import type { ModelIR } from "../ir/types.js";
import { detectSymmetry } from "../o3/detect-symmetry.js";
import { readDataset } from "../data/read.js";
import { ensureDirectory, writeAtomically } from "./atomic-output.js";
import { CHECKPOINT_FORMAT, CheckpointError, encodeCheckpoint, implausibleParameter, readCheckpoint, type Checkpoint } from "./checkpoint.js";
import { irSha256 } from "../ir/identity.js";
import { datasetSha256 } from "./identity.js";
import { kernelProgress } from "./kernel-progress.js";
import { lossCurvePng, type LossRow } from "./loss-picture.js";
import { exitIfOrphaned } from "./launcher.js";
import { acquireRunLock } from "./run-lock.js";
import { inputGroupForReadout } from "../discover/input-symmetry.js";
import { keptOnInput } from "../discover/kept-on-input.js";

export interface TrainOptions {
  data: string;
  /** Held-out graphs (same format): their mean squared error is reported after training. */
  test?: string;
  out: string;
  epochs?: number;
  seed?: number;
  /** Continue from `out`/checkpoint.safetensors. */
  resume?: boolean;
  /** Epochs between checkpoints (default: the spec's checkpoint_every). */
  checkpointEvery?: number;
  /** Stop (with a checkpoint) once this many epochs are done, as if interrupted; `resume` continues. */
  stopAfter?: number;
  quiet?: boolean;
  /** With `resume`: continue although the data differs from the checkpoint's (it records the new data from then on). */
  force?: boolean;
}

/** Training stopped because the loss or the parameters stopped being finite numbers. */
export class DivergedError extends Error {
  constructor(message: string, readonly epoch?: number) {
    super(message);
    this.name = "DivergedError";
  }
}

/** Trains; returns the final loss. Throws with a user-facing message on bad data or a diverging loss. */
export async function train(ir: ModelIR, options: TrainOptions, log: (line: string) => void): Promise<number> {
  if (!ir.train.loss) throw new Error(`${ir.model} declares no loss: add train { loss: sse(output, target) }`);
  const graphs: GraphInput[] = readDataset(options.data, ir);
  if (graphs.length === 0) throw new Error(`${basename(options.data)}: no graphs to train on`);
  const held = options.test ? readDataset(options.test, ir) : undefined;
  // Metadata and checkpoint layout only (the shapes share them); the device's plan is made below.
  const plan = planModel(ir, { shape: "cpu" });
  const identity = { ir: irSha256(ir), data: datasetSha256(graphs) };
  ensureDirectory(options.out);
  const release = acquireRunLock(options.out);
  try {
    const checkpointPath = join(options.out, "checkpoint.safetensors");
    const resumed = options.resume ? readCheckpoint(checkpointPath, plan, identity.ir) : undefined;
    if (resumed && resumed.dataSha256 !== identity.data) {
      if (!options.force) {
        throw new CheckpointError(
          `${checkpointPath}: the checkpoint was trained on other data than ${options.data} (the graphs' SHA-256 differs); resume with the same --data, or add --force to continue on this data knowingly`,
        );
      }
      log(`warning: ${options.data} differs from the data the checkpoint was trained on; continuing on it (--force)`);
    }
    if (resumed && options.seed !== undefined && options.seed !== resumed.seed) {
      throw new Error(`--seed ${options.seed} differs from the checkpoint's seed ${resumed.seed}; a resumed run keeps its seed`);
    }
    const epochs = options.epochs ?? resumed?.epochs ?? ir.train.epochs;
    const seed = resumed?.seed ?? options.seed ?? ir.train.seed;
    const gpu = await createDevice();
    try {
      const every = options.checkpointEvery ?? ir.train.checkpointEvery;
      log(`${resumed ? `resuming ${ir.model} at epoch ${resumed.epoch}` : `training ${ir.model}`} on ${graphs.length} graph${graphs.length === 1 ? "" : "s"}, ${epochs} epochs, batch ${ir.train.batch}, checkpoint every ${every}, on ${gpu.adapterInfo.text}`);
      // Kernels shaped for this device (block-sum reductions on a real GPU); parameters and their layout are the same in every shape.
      const devicePlan = planModel(ir, planOptionsFor(gpu));
      // A batch the device cannot hold is refused now, not after the kernels compile: the largest graphs together.
      batchWithinLimits(devicePlan, [...graphs].sort((a, b) => b.numNodes - a.numNodes).slice(0, ir.train.batch), sizeLimits(gpu.device));
      const progress = kernelProgress(ir.model, devicePlan.kernels.length, log, options.quiet);
      const model = await CompiledModel.fromPlan(gpu.device, devicePlan, { ...(resumed ? { params: resumed.params } : { seed }), onProgress: progress.onProgress });
      progress.finish();
      try {
        return await trainModel(model, ir, { graphs, held, epochs, seed, resumed, identity }, options, log);
      } finally {
        model.destroy();
      }
    } finally {
      gpu.destroy();
    }
  } finally {
    release();
  }
}

/** loss.csv's rows up to `epoch` (a killed run may have logged epochs after its last checkpoint). */
function loggedRows(path: string, upTo: number): LossRow[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, "utf8").trim().split("\n").slice(1).map((line) => {
    const [epoch, loss, regularization] = line.split(",").map(Number);
    return { epoch: epoch!, loss: loss!, regularization: regularization! };
  }).filter((r) => Number.isInteger(r.epoch) && r.epoch >= 1 && r.epoch <= upTo);
}

async function trainModel(
  model: CompiledModel,
  ir: ModelIR,
  run: { graphs: GraphInput[]; held: GraphInput[] | undefined; epochs: number; seed: number; resumed: Checkpoint | undefined; identity: { ir: string; data: string } },
  options: TrainOptions,
  log: (line: string) => void,
): Promise<number> {
  const { graphs, epochs, seed, resumed } = run;
  const every = options.checkpointEvery ?? ir.train.checkpointEvery;
  const paths = {
    weights: join(options.out, `${className(ir.model)}.safetensors`),
    checkpoint: join(options.out, "checkpoint.safetensors"),
    meta: join(options.out, "checkpoint.json"),
    csv: join(options.out, "loss.csv"),
    png: join(options.out, "loss.png"),
  };
  const rows: LossRow[] = resumed ? loggedRows(paths.csv, resumed.epoch) : [];
  if (resumed) model.setTrainingState({ steps: resumed.steps, buffers: resumed.optimizer });
  let lastGood = resumed?.epoch ?? 0;
  const writeLog = () => {
    exitIfOrphaned();
    writeAtomically(paths.csv, `epoch,loss,regularization\n${rows.map((r) => `${r.epoch},${r.loss},${r.regularization}`).join("\n")}${rows.length ? "\n" : ""}`);
  };
  const checkpoint = async (epoch: number) => {
    const params = await model.getParams();
    // A step can turn the parameters non-finite (or absurdly large) with a finite loss; never let that replace a
    // good checkpoint, nor write one that reading would refuse.
    const bad = implausibleParameter(model.plan, params);
    if (bad) throw new DivergedError(`the parameters stopped being finite numbers of a sane size (${bad})`, epoch);
    const state = await model.trainingState();
    const c: Checkpoint = {
      model: ir.model, specSha256: ir.source.sha256, irSha256: run.identity.ir, dataSha256: run.identity.data,
      epoch, epochs, steps: state.steps, seed, params, optimizer: state.buffers,
    };
    const weights = await model.save();
    // From here on no await: the files are written in one go (each checked against an orphaned run).
    writeLog();
    exitIfOrphaned();
    writeAtomically(paths.checkpoint, encodeCheckpoint(model.plan, c));
    exitIfOrphaned();
    writeAtomically(paths.meta, `${JSON.stringify({ format: CHECKPOINT_FORMAT, model: ir.model, spec_sha256: ir.source.sha256, ir_sha256: run.identity.ir, data_sha256: run.identity.data, epoch, epochs, steps: state.steps, seed, rng: "each epoch's batch order is a shuffle seeded by (seed, epoch)", checkpoint: basename(paths.checkpoint), loss: rows[rows.length - 1]?.loss ?? null }, null, 2)}\n`);
    exitIfOrphaned();
    writeAtomically(paths.weights, weights);
    lastGood = epoch;
  };

  const start = resumed?.epoch ?? 0;
  const bar = options.quiet || !process.stderr.isTTY ? undefined : new cliProgress.SingleBar({ format: "  {bar} {value}/{total} epochs | loss {loss} | ETA {eta_formatted}", stream: process.stderr }, cliProgress.Presets.shades_classic);
  bar?.start(epochs, start, { loss: "-" });
  let last = rows[rows.length - 1]?.loss ?? NaN;
  try {
    if (start < epochs) {
      last = await model.fit(graphs, {
        epochs,
        startEpoch: start,
        seed,
        onEpoch: async ({ epoch, loss, regularization }) => {
          rows.push({ epoch, loss, regularization });
          bar?.update(epoch, { loss: loss.toExponential(3) });
          if (!bar && ((epoch - 1) % Math.max(1, Math.floor(epochs / 10)) === 0 || epoch === epochs)) log(`  epoch ${epoch}/${epochs}  loss ${loss.toExponential(3)}`);
          const stop = epoch === options.stopAfter;
          if (epoch % every === 0 || epoch === epochs || stop) await checkpoint(epoch);
          return !stop;
        },
      });
    } else if (lastGood >= epochs) {
      log(`  the checkpoint is already at epoch ${lastGood} of ${epochs}: nothing to train`);
    }
  } catch (e) {
    bar?.stop();
    if (e instanceof DivergedError || e instanceof NonFiniteLossError) {
      writeAtomically(paths.png, lossCurvePng(ir.model, rows.filter((r) => r.epoch <= lastGood)));
      const kept = lastGood > 0 ? `the last good checkpoint (epoch ${lastGood}) is kept in ${paths.checkpoint}` : "no checkpoint was written yet";
      const at = e instanceof DivergedError && e.epoch !== undefined ? e.epoch : (rows[rows.length - 1]?.epoch ?? start) + 1;
      throw new DivergedError(`training diverged at epoch ${at}: ${e instanceof NonFiniteLossError ? e.detail : e.message}; ${kept}. A smaller learning rate usually helps.`, at);
    }
    throw e;
  }
  bar?.stop();
  writeAtomically(paths.png, lossCurvePng(ir.model, rows));
  log(`wrote ${paths.weights}, ${paths.checkpoint}, ${paths.csv}, ${paths.png}`);
  if (run.held) {
    const loss = ir.train.loss!;
    const heldBatch = model.batch(run.held);
    const outputs = await model.forward(heldBatch);
    const target = heldBatch.features[loss.target]!;
    const y = (outputs as Record<string, Float32Array>)[loss.output]!;
    const mse = y.reduce((s, v, i) => s + (v - target[i]!) ** 2, 0) / Math.max(1, y.length);
    const scale = target.reduce((s, v) => s + v * v, 0) / Math.max(1, target.length);
    log(`held-out (${basename(options.test!)}, ${run.held.length} graphs): mean squared error ${mse.toExponential(3)} (mean square of the targets ${scale.toExponential(3)})`);
  }
  await model.forward(graphs.slice(0, 1));
  const input = inputGroupForReadout(ir, graphs);
  for (const { layer, irreps, theta } of await model.thetas()) {
    const found = detectSymmetry(Float64Array.from(theta), irreps);
    log(`layer ${layer}: keeps ${found.group}${found.axis ? `, axis (${found.axis.map((v) => (Math.abs(v) < 5e-4 ? 0 : v).toFixed(3)).join(", ")})` : ""}${input ? keptOnInput(found, input).suffix : ""}`);
  }
  return last;
}
