/**
 * Reading a model's parameters from safetensors with everything checked against the model: its name (when
 * the file records one), every tensor's name, dtype and size, and nothing extra. Another model's weights are
 * refused here, naming the file, rather than producing numbers that mean nothing (or NaN further on).
 */
import { decodeSafetensors, type DecodedSafetensors } from "./safetensors.js";

/** Weights that do not belong to the model; the message names the file. */
export class WeightsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WeightsError";
  }
}

export interface ParamLayout {
  model: string;
  paramCount: number;
  params: readonly { name: string; offset: number; size: number; shape: readonly number[] }[];
}

export const WEIGHTS_FORMAT = "regnn-weights-1";
/** Checkpoints hold the weights under the same names, plus the optimiser state under this prefix. */
const CHECKPOINT_EXTRA_PREFIX = "optimizer.";

/**
 * The flat parameters of `layout` from safetensors bytes. Accepts regnn weights and checkpoints, and
 * files without regnn metadata (e3nn's) whose tensors match by name and shape. Only F32 and F64 tensors
 * exist past decodeSafetensors (any other dtype is refused there); F64 is rounded to float32. `what` names
 * the file in errors.
 */
export function readWeights(bytes: Uint8Array, layout: ParamLayout, what: string): { params: Float32Array<ArrayBuffer>; decoded: DecodedSafetensors } {
  const decoded = decodeSafetensors(bytes, what);
  return { params: weightsFromDecoded(decoded, layout, what), decoded };
}

/** readWeights on a file already decoded. */
export function weightsFromDecoded(decoded: DecodedSafetensors, layout: ParamLayout, what: string): Float32Array<ArrayBuffer> {
  const { tensors, metadata } = decoded;
  const fail = (why: string): never => {
    throw new WeightsError(`${what}: ${why}`);
  };
  const format = metadata.format;
  const checkpoint = format !== undefined && format.startsWith("regnn-checkpoint-");
  if (format !== undefined && format !== WEIGHTS_FORMAT && !checkpoint) fail(`format '${format}' is not regnn weights (${WEIGHTS_FORMAT}) or a regnn checkpoint`);
  if (metadata.model !== undefined && metadata.model !== layout.model) fail(`these are weights of model '${metadata.model}', not of '${layout.model}'`);
  const params = new Float32Array(layout.paramCount);
  for (const p of layout.params) {
    const t = tensors[p.name];
    if (!t) fail(`no tensor '${p.name}': these are not weights of model '${layout.model}' (or of another version of it)`);
    if (t!.data.length !== p.size || t!.shape.length !== p.shape.length || t!.shape.some((d, i) => d !== p.shape[i])) {
      fail(`tensor '${p.name}' has shape [${t!.shape.join(", ")}], expected [${p.shape.join(", ")}] (${p.size} numbers): these are weights of another model or version`);
    }
    params.set(t!.data, p.offset);
  }
  const known = new Set(layout.params.map((p) => p.name));
  for (const name of Object.keys(tensors)) {
    if (!known.has(name) && !(checkpoint && name.startsWith(CHECKPOINT_EXTRA_PREFIX))) fail(`tensor '${name}' is not a parameter of model '${layout.model}': these are weights of another model or version`);
  }
  return params;
}
