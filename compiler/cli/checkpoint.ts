/**
 * Training checkpoints: one safetensors file holding everything a resumed run needs (the parameters under
 * their weight names, so `regnnc inspect` reads a checkpoint as it reads weights, plus the optimiser's moment
 * buffers under `optimizer.<name>`), with the run's position in its metadata. Being one file written
 * beside its final name and renamed in, a checkpoint is always whole: a run killed at any moment leaves the
 * previous one or the new one.
 *
 * Nothing in it is trusted unchecked: every tensor carries its SHA-256 (safetensors.ts) and the metadata one
 * of its own, the model is identified by the hash of its IR and the data by the hash of the graphs, and the
 * numbers must be ones a training run can have written (finite, parameters within ±MAX_ABS_PARAMETER).
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { decodeSafetensors, encodeSafetensors, SafetensorsError, type Tensor } from "../../runtime/model/safetensors.js";
import type { ModelPlan } from "../../runtime/model/plan.js";
import { fileSystemError } from "./fs-errors.js";

export { writeAtomically } from "./atomic-output.js";

export const CHECKPOINT_FORMAT = "regnn-checkpoint-2";
const OPTIMIZER_PREFIX = "optimizer.";
/**
 * Beyond this a parameter is damage, not training: its square (l2, group lasso, the first product) would
 * already be near float32's limit of 3.4e38, and training stops long before on a non-finite loss.
 */
export const MAX_ABS_PARAMETER = 1e18;

/** A checkpoint that cannot be used; the message names the file and says why. */
export class CheckpointError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CheckpointError";
  }
}

export interface CheckpointMeta {
  model: string;
  /** SHA-256 of the spec's text (informational: a comment changes it). */
  specSha256: string;
  /** SHA-256 of the model's IR: what a resumed run must match. */
  irSha256: string;
  /** SHA-256 of the training graphs (identity.ts). */
  dataSha256: string;
  /** Epochs completed. */
  epoch: number;
  /** Epochs the run is for (the schedule depends on it). */
  epochs: number;
  /** Optimiser steps taken (Adam's bias correction depends on it). */
  steps: number;
  /** Seed of the initialisation and of every epoch's shuffle (which depends on seed and epoch alone). */
  seed: number;
}

export interface Checkpoint extends CheckpointMeta {
  params: Float32Array;
  optimizer: Record<string, Float32Array>;
}

/** The optimiser buffers a plan keeps between steps (momentum, or Adam's m and v). */
export function optimizerBuffers(plan: ModelPlan): string[] {
  return plan.buffers.filter((b) => b.role === "state" && b.name !== "hyper").map((b) => b.name);
}

/** The first parameter no training run can have written, as words; undefined when all are plausible. */
export function implausibleParameter(plan: ModelPlan, params: ArrayLike<number>): string | undefined {
  for (const p of plan.params) {
    for (let i = 0; i < p.size; i++) {
      const v = params[p.offset + i]!;
      if (!Number.isFinite(v)) return `parameter '${p.name}'[${i}] is ${v}`;
      if (Math.abs(v) > MAX_ABS_PARAMETER) return `parameter '${p.name}'[${i}] is ${v.toExponential(3)}, beyond ±${MAX_ABS_PARAMETER.toExponential(0)}`;
    }
  }
  return undefined;
}

const metaDigest = (meta: Record<string, string>) =>
  createHash("sha256").update(JSON.stringify(Object.keys(meta).sort().map((k) => [k, meta[k]]))).digest("hex");

export function encodeCheckpoint(plan: ModelPlan, c: Checkpoint): Uint8Array {
  const tensors: Record<string, Tensor> = {};
  for (const p of plan.params) tensors[p.name] = { dtype: "F32", shape: p.shape, data: c.params.slice(p.offset, p.offset + p.size) };
  for (const [name, data] of Object.entries(c.optimizer)) tensors[`${OPTIMIZER_PREFIX}${name}`] = { dtype: "F32", shape: [data.length], data };
  const meta: Record<string, string> = {
    format: CHECKPOINT_FORMAT,
    model: c.model,
    spec_sha256: c.specSha256,
    ir_sha256: c.irSha256,
    data_sha256: c.dataSha256,
    epoch: String(c.epoch),
    epochs: String(c.epochs),
    steps: String(c.steps),
    seed: String(c.seed),
  };
  return encodeSafetensors(tensors, { ...meta, meta_sha256: metaDigest(meta) });
}

/**
 * Reads and verifies a checkpoint for `plan`: its digests, its model (`irSha256`, when given: the IR hash
 * of the spec being trained), and that every number in it is one a training run can have written. Throws
 * a CheckpointError naming the file.
 */
export function readCheckpoint(path: string, plan: ModelPlan, irSha256?: string): Checkpoint {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") throw new CheckpointError(`${path}: no checkpoint to resume from (train without --resume first)`);
    throw fileSystemError(e, path, "read");
  }
  const fail = (why: string): never => {
    throw new CheckpointError(`${path}: ${why}`);
  };
  let decoded;
  try {
    decoded = decodeSafetensors(bytes, path);
  } catch (e) {
    if (e instanceof SafetensorsError) throw new CheckpointError(`${e.message}; train from the start, or from an earlier copy`);
    throw e;
  }
  const { tensors, metadata, digested } = decoded;
  if (metadata.format !== CHECKPOINT_FORMAT) {
    fail(`not a checkpoint this regnn can resume (format '${metadata.format ?? "missing"}', expected ${CHECKPOINT_FORMAT}); train from the start`);
  }
  const { meta_sha256: stored, ...meta } = { ...metadata };
  if (!digested || stored !== metaDigest(meta)) fail("its digests are missing or do not match its metadata: the file is corrupt or was edited; train from the start");
  if (meta.model !== plan.model) fail(`the checkpoint is of model '${meta.model}', not '${plan.model}'; train from the start, or into another --out`);
  if (irSha256 !== undefined && meta.ir_sha256 !== irSha256) {
    fail("the checkpoint was written for a different version of the spec (the model it compiles to differs); train from the start, or into another --out");
  }
  const whole = (key: string) => {
    const v = Number(meta[key]);
    if (!/^\d+$/.test(meta[key] ?? "") || !Number.isSafeInteger(v)) fail(`metadata '${key}' is not a whole number (${meta[key] ?? "missing"})`);
    return v;
  };
  const expected = new Set([...plan.params.map((p) => p.name), ...optimizerBuffers(plan).map((b) => `${OPTIMIZER_PREFIX}${b}`)]);
  for (const name of Object.keys(tensors)) if (!expected.has(name)) fail(`tensor '${name}' is not part of model '${plan.model}'`);
  const params = new Float32Array(plan.paramCount);
  for (const p of plan.params) {
    const t = tensors[p.name];
    if (!t || t.dtype !== "F32" || t.data.length !== p.size) fail(`tensor '${p.name}' is ${t ? `${t.dtype} with ${t.data.length} numbers, expected F32 with ${p.size}` : "missing"}`);
    params.set(t!.data, p.offset);
  }
  const bad = implausibleParameter(plan, params);
  if (bad) fail(`${bad}: no training run writes that; the file is corrupt or was edited (train from the start, or from an earlier copy)`);
  const optimizer: Record<string, Float32Array> = {};
  for (const name of optimizerBuffers(plan)) {
    const t = tensors[`${OPTIMIZER_PREFIX}${name}`];
    if (!t || t.dtype !== "F32" || t.data.length !== plan.paramCount) fail(`optimiser state '${name}' is ${t ? `${t.data.length} numbers, expected ${plan.paramCount}` : "missing"}`);
    const i = t!.data.findIndex((v) => !Number.isFinite(v));
    if (i >= 0) fail(`optimiser state '${name}'[${i}] is ${t!.data[i]}; the file is corrupt (train from the start)`);
    optimizer[name] = Float32Array.from(t!.data);
  }
  const c: Checkpoint = {
    model: plan.model, specSha256: meta.spec_sha256 ?? "", irSha256: meta.ir_sha256 ?? "", dataSha256: meta.data_sha256 ?? "",
    epoch: whole("epoch"), epochs: whole("epochs"), steps: whole("steps"), seed: whole("seed"), params, optimizer,
  };
  if (c.epochs < 1 || c.epoch > c.epochs) fail(`metadata says epoch ${c.epoch} of ${c.epochs}`);
  if (!/^[0-9a-f]{64}$/.test(c.dataSha256)) fail("it records no digest of its training data");
  return c;
}
