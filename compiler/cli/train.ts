/**
 * `regnnc train`: compiles a spec, trains it on the WebGPU device on a JSON dataset with the spec's loss,
 * optimiser, schedule, batch size and regularisers, and writes the loss log, the weights and a checkpoint
 * record (each file written beside its final name and renamed in, so an interrupted run never leaves a
 * half-written file). Ends with the symmetry each relaxed layer learned.
 */
import cliProgress from "cli-progress";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { createDevice, CompiledModel } from "../../runtime/index.js";
import type { GraphInput } from "../../runtime/graph/batching.js";
import { planModel } from "../codegen/plan.js";
import { className } from "../codegen/typescript.js";
import type { ModelIR } from "../ir/types.js";
import { detectSymmetry } from "../o3/detect-symmetry.js";
import { parseDataset } from "../data/dataset.js";

export interface TrainOptions {
  data: string;
  /** Held-out graphs (same format): their mean squared error is reported after training. */
  test?: string;
  out: string;
  epochs?: number;
  seed?: number;
  quiet?: boolean;
}

function writeAtomically(path: string, content: string | Uint8Array): void {
  writeFileSync(`${path}.tmp`, content);
  renameSync(`${path}.tmp`, path);
}

/** Trains; returns the final loss. Throws with a user-facing message on bad data or a diverging loss. */
export async function train(ir: ModelIR, options: TrainOptions, log: (line: string) => void): Promise<number> {
  if (!ir.train.loss) throw new Error(`${ir.model} declares no loss: add train { loss: sse(output, target) }`);
  const graphs: GraphInput[] = parseDataset(readFileSync(options.data, "utf8"), basename(options.data), ir);
  if (graphs.length === 0) throw new Error(`${basename(options.data)}: no graphs to train on`);
  const epochs = options.epochs ?? ir.train.epochs;
  const seed = options.seed ?? ir.train.seed;
  const gpu = await createDevice();
  try {
    return await trainOn(gpu.device, gpu.adapterInfo.text, ir, graphs, epochs, seed, options, log);
  } finally {
    gpu.destroy();
  }
}

async function trainOn(
  device: GPUDevice, adapter: string, ir: ModelIR, graphs: GraphInput[], epochs: number, seed: number, options: TrainOptions, log: (line: string) => void,
): Promise<number> {
  const model = await CompiledModel.fromPlan(device, planModel(ir), { seed });
  mkdirSync(options.out, { recursive: true });
  const weightsPath = join(options.out, `${className(ir.model)}.safetensors`);
  const rows: string[] = ["epoch,loss,regularization"];
  const checkpoint = async (epoch: number) => {
    writeAtomically(weightsPath, await model.save());
    writeAtomically(join(options.out, "loss.csv"), `${rows.join("\n")}\n`);
    writeAtomically(join(options.out, "checkpoint.json"), `${JSON.stringify({ model: ir.model, spec_sha256: ir.source.sha256, epoch, seed, weights: basename(weightsPath) }, null, 2)}\n`);
  };
  log(`training ${ir.model} on ${graphs.length} graph${graphs.length === 1 ? "" : "s"}, ${epochs} epochs, batch ${ir.train.batch}, on ${adapter}`);
  const bar = options.quiet || !process.stderr.isTTY ? undefined : new cliProgress.SingleBar({ format: "  {bar} {value}/{total} epochs | loss {loss} | ETA {eta_formatted}", stream: process.stderr }, cliProgress.Presets.shades_classic);
  bar?.start(epochs, 0, { loss: "-" });
  let last = NaN;
  try {
    last = await model.fit(graphs, {
      epochs,
      seed,
      onEpoch: async ({ epoch, loss, regularization }) => {
        rows.push(`${epoch},${loss},${regularization}`);
        bar?.update(epoch, { loss: loss.toExponential(3) });
        if (!bar && ((epoch - 1) % Math.max(1, Math.floor(epochs / 10)) === 0 || epoch === epochs)) log(`  epoch ${epoch}/${epochs}  loss ${loss.toExponential(3)}`);
        if (epoch % ir.train.checkpointEvery === 0 || epoch === epochs) await checkpoint(epoch);
      },
    });
  } finally {
    bar?.stop();
  }
  log(`wrote ${weightsPath}, ${join(options.out, "loss.csv")}, ${join(options.out, "checkpoint.json")}`);
  if (options.test) {
    const held = parseDataset(readFileSync(options.test, "utf8"), basename(options.test), ir);
    const loss = ir.train.loss!;
    const heldBatch = model.batch(held);
    const outputs = await model.forward(heldBatch);
    const target = heldBatch.features[loss.target]!;
    const y = (outputs as Record<string, Float32Array>)[loss.output]!;
    const mse = y.reduce((s, v, i) => s + (v - target[i]!) ** 2, 0) / Math.max(1, y.length);
    const scale = target.reduce((s, v) => s + v * v, 0) / Math.max(1, target.length);
    log(`held-out (${basename(options.test)}, ${held.length} graphs): mean squared error ${mse.toExponential(3)} (mean square of the targets ${scale.toExponential(3)})`);
  }
  await model.forward(graphs.slice(0, 1));
  for (const { layer, irreps, theta } of await model.thetas()) {
    const found = detectSymmetry(Float64Array.from(theta), irreps);
    log(`layer ${layer}: keeps ${found.group}${found.axis ? `, axis (${found.axis.map((v) => (Math.abs(v) < 5e-4 ? 0 : v).toFixed(3)).join(", ")})` : ""}`);
  }
  model.destroy();
  return last;
}
