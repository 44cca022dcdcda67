/**
 * Training losses (compiler/reference/loss.ts), with an optional constant factor `scale`:
 *   sse: L = scale · Σ (y − t)²          dL/dy = 2 · scale · (y − t)
 *   mse: L = scale · Σ (y − t)² / N      dL/dy = 2 · scale · (y − t) / N,   N = rows · dim (0 rows: L = 0)
 * The value is reduced deterministically in two kernels: per-row partial sums, then one invocation summing
 * them in row order. No atomics.
 */
import { checkPositive, domainSize, f32, readF32, rowKernel, u32, writeF32 } from "./common.js";
import type { GeneratedKernel, RowDomain } from "./kernel.js";

export interface LossKernels {
  /**
   * rows: `domain`. Bindings `y` (read, rows × dim), `y_target` (read, rows × dim; `target` is a reserved
   * word in WGSL), `partial` (assigned, one number per row): partial[r] = Σ_i (y[r,i] − t[r,i])².
   */
  partial: GeneratedKernel;
  /**
   * rows: `{ count: 1 }` (a single invocation). Bindings `partial` (read), `loss` (assigned, 1 number):
   * loss[0] = scale · Σ_{r < rows(domain)} partial[r] in row order (÷ N for mse).
   */
  total: GeneratedKernel;
  /** The WGSL factor `total` applies to Σ partial (for a tree sum of the partials instead, block-sum.ts). */
  factor: string;
  /**
   * rows: `domain`. Bindings `y` (read), `y_target` (read), `grad_y` (+=, rows × dim):
   * grad_y[r,i] += 2 · scale · (y − t) (÷ N for mse).
   */
  backward: GeneratedKernel;
}

/**
 * `domain`: the output's rows, "nodes" / "edges" / "graphs" (sizes read from the uniform at run time) or
 * `{ count }` (baked). `options.scale` (default 1) multiplies both the value and the gradient.
 */
export function lossKernels(kind: "sse" | "mse", dim: number, domain: RowDomain, options: { scale?: number } = {}): LossKernels {
  checkPositive("loss: dim", dim);
  const D = u32(dim), n = domainSize(domain);
  const scale = options.scale ?? 1;
  if (!Number.isFinite(scale)) throw new Error(`loss: scale must be finite, got ${scale}`);
  // Factor applied to Σ (y − t)² (value) and, doubled, to (y − t) (gradient).
  const factor = kind === "sse" ? f32(scale) : `(${f32(scale)} / f32(max(${n} * ${D}, 1u)))`;
  const gradFactor = kind === "sse" ? f32(2 * scale) : `(${f32(2 * scale)} / f32(max(${n} * ${D}, 1u)))`;
  const partial = rowKernel([readF32("y"), readF32("y_target"), writeF32("partial")], [
    `  let base = row * ${D};`,
    "  var s = 0.0;",
    `  for (var i = 0u; i < ${D}; i++) { let d = y[base + i] - y_target[base + i]; s += d * d; }`,
    "  partial[row] = s;",
  ]);
  const total = rowKernel([readF32("partial"), writeF32("loss")], [
    `  let n = ${n};`,
    "  var s = 0.0;",
    "  for (var r = 0u; r < n; r++) { s += partial[r]; }",
    `  loss[0] = ${factor} * s;`,
  ]);
  const backward = rowKernel([readF32("y"), readF32("y_target"), writeF32("grad_y")], [
    `  let base = row * ${D};`,
    `  let c = ${gradFactor};`,
    `  for (var i = 0u; i < ${D}; i++) { grad_y[base + i] += c * (y[base + i] - y_target[base + i]); }`,
  ]);
  return { partial, total, factor, backward };
}
