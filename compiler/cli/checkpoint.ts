/**
 * Training checkpoints: one safetensors file holding everything a resumed run needs (the parameters under
 * their weight names, so `regnnc inspect` reads a checkpoint as it reads weights, plus the optimiser's moment
 * buffers under `optimizer.<name>`), with the run's position in its metadata. Being one file written
 * beside its final name and renamed in, a checkpoint is always whole: a run killed at any moment leaves the
 * previous one or the new one.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { decodeSafetensors, encodeSafetensors, type Tensor } from "../../runtime/model/safetensors.js";
import type { ModelPlan } from "../../runtime/model/plan.js";

export const CHECKPOINT_FORMAT = "regnn-checkpoint-1";
const OPTIMIZER_PREFIX = "optimizer.";

export interface CheckpointMeta {
  model: string;
  specSha256: string;
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

export function writeAtomically(path: string, content: string | Uint8Array): void {
  writeFileSync(`${path}.tmp`, content);
  renameSync(`${path}.tmp`, path);
}

export function encodeCheckpoint(plan: ModelPlan, c: Checkpoint): Uint8Array {
  const tensors: Record<string, Tensor> = {};
  for (const p of plan.params) tensors[p.name] = { dtype: "F32", shape: p.shape, data: c.params.slice(p.offset, p.offset + p.size) };
  for (const [name, data] of Object.entries(c.optimizer)) tensors[`${OPTIMIZER_PREFIX}${name}`] = { dtype: "F32", shape: [data.length], data };
  return encodeSafetensors(tensors, {
    format: CHECKPOINT_FORMAT,
    model: c.model,
    spec_sha256: c.specSha256,
    epoch: String(c.epoch),
    epochs: String(c.epochs),
    steps: String(c.steps),
    seed: String(c.seed),
  });
}

/** Reads a checkpoint for `plan`; throws naming the file and what does not fit. */
export function readCheckpoint(path: string, plan: ModelPlan): Checkpoint {
  if (!existsSync(path)) throw new Error(`${path}: no checkpoint to resume from (train without --resume first)`);
  const { tensors, metadata } = decodeSafetensors(readFileSync(path), path);
  if (metadata.format !== CHECKPOINT_FORMAT) throw new Error(`${path}: not a regnn checkpoint (format '${metadata.format ?? "missing"}', expected ${CHECKPOINT_FORMAT})`);
  if (metadata.spec_sha256 !== plan.specHash) {
    throw new Error(`${path}: the checkpoint was written for a different version of the spec (its hash differs); train from the start, or into another --out`);
  }
  const whole = (key: string) => {
    const v = Number(metadata[key]);
    if (!Number.isInteger(v) || v < 0) throw new Error(`${path}: metadata '${key}' is not a whole number (${metadata[key] ?? "missing"})`);
    return v;
  };
  const params = new Float32Array(plan.paramCount);
  for (const p of plan.params) {
    const t = tensors[p.name];
    if (!t || t.data.length !== p.size) throw new Error(`${path}: tensor '${p.name}' is ${t ? `${t.data.length} numbers, expected ${p.size}` : "missing"}`);
    params.set(t.data, p.offset);
  }
  const optimizer: Record<string, Float32Array> = {};
  for (const [name, t] of Object.entries(tensors)) {
    if (name.startsWith(OPTIMIZER_PREFIX)) optimizer[name.slice(OPTIMIZER_PREFIX.length)] = Float32Array.from(t.data);
  }
  return { model: metadata.model ?? plan.model, specSha256: plan.specHash, epoch: whole("epoch"), epochs: whole("epochs"), steps: whole("steps"), seed: whole("seed"), params, optimizer };
}
