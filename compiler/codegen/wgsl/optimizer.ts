/**
 * Optimiser steps over the model's flat parameters, PyTorch semantics, one invocation per parameter
 * (rows: `{ count: paramCount }`). Hyper-parameters are read from a small f32 storage buffer `hyper`, so a
 * schedule can change the learning rate (and Adam's step count) without recompiling; `sgdHyper` /
 * `adamHyper` build it on the host.
 */
import { readF32, rowKernel, writeF32 } from "./common.js";
import type { GeneratedKernel } from "./kernel.js";

/** `hyper` of `sgdKernel`: [0] lr, [1] momentum. */
export const SGD_HYPER_LENGTH = 2;
/** `hyper` of `adamKernel`: [0] lr, [1] beta1, [2] beta2, [3] eps, [4] 1 − beta1^t, [5] 1 − beta2^t. */
export const ADAM_HYPER_LENGTH = 6;

/**
 * SGD with momentum (PyTorch, dampening 0, no Nesterov, no weight decay):
 *   buf = momentum · buf + g;  p −= lr · buf
 * With momentum 0 this is plain SGD (buf = g). `momentum` must start at 0; PyTorch's first step buf = g is then
 * the same update.
 *
 * rows: `{ count: paramCount }`. Bindings `hyper` (read, SGD_HYPER_LENGTH numbers, see `sgdHyper`),
 * `grad_params` (read), `param` (read_write: the model's flat parameters, updated in place), `momentum`
 * (read_write: the momentum buffer, paramCount numbers, state kept across steps).
 */
export function sgdKernel(): GeneratedKernel {
  return rowKernel([readF32("hyper"), readF32("grad_params"), writeF32("param"), writeF32("momentum")], [
    "  let lr = hyper[0];",
    "  let mu = hyper[1];",
    "  let b = mu * momentum[row] + grad_params[row];",
    "  momentum[row] = b;",
    "  param[row] = param[row] - lr * b;",
  ]);
}

/**
 * Adam (PyTorch, no weight decay, no amsgrad), at step t = 1, 2, …:
 *   m = b1 m + (1 − b1) g;  v = b2 v + (1 − b2) g²;
 *   p −= (lr / (1 − b1^t)) · m / (sqrt(v) / sqrt(1 − b2^t) + eps)
 * (PyTorch's own arrangement of lr · m̂ / (sqrt(v̂) + eps)). The bias corrections 1 − b^t are computed on the
 * host (`adamHyper`, float64) and passed in `hyper`.
 *
 * rows: `{ count: paramCount }`. Bindings `hyper` (read, ADAM_HYPER_LENGTH numbers, see `adamHyper`),
 * `grad_params` (read), `param` (read_write, updated in place), `adam_m`, `adam_v` (read_write: the moment
 * buffers, paramCount numbers each, zero before the first step, state kept across steps).
 */
export function adamKernel(): GeneratedKernel {
  return rowKernel([readF32("hyper"), readF32("grad_params"), writeF32("param"), writeF32("adam_m"), writeF32("adam_v")], [
    "  let lr = hyper[0];",
    "  let b1 = hyper[1];",
    "  let b2 = hyper[2];",
    "  let eps = hyper[3];",
    "  let bc1 = hyper[4];",
    "  let bc2 = hyper[5];",
    "  let g = grad_params[row];",
    "  let m = b1 * adam_m[row] + (1.0 - b1) * g;",
    "  let v = b2 * adam_v[row] + (1.0 - b2) * g * g;",
    "  adam_m[row] = m;",
    "  adam_v[row] = v;",
    "  let denom = sqrt(v) / sqrt(bc2) + eps;",
    "  param[row] = param[row] - (lr / bc1) * (m / denom);",
  ]);
}

// The host side builds `hyper` with the runtime's helpers, so generated models and tests agree.
export { adamHyper, sgdHyper } from "../../../runtime/model/optimizer-hyper.js";
