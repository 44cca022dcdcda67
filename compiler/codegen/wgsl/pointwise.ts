/**
 * Pointwise kernels (one invocation per row, any row domain): `add` and `concat`, forward and backward.
 * Conventions: common.ts.
 */
import { checkPositive, type KernelPair, readF32, rowKernel, u32, writeF32 } from "./common.js";

/**
 * `out = a + b`, rows of `dim` numbers.
 *
 * forward — bindings `a` (read), `b` (read), `out` (assigned); one invocation per row of the values' domain.
 * backward — bindings `grad_out` (read), `grad_a` (+=), `grad_b` (+=); same domain.
 * When a and b are the same value, grad_a and grad_b would be one buffer bound twice for writing, which WebGPU
 * rejects: use `addRowsKernel` twice (or once with a scale of 2 upstream) instead.
 */
export function addKernels(dim: number): KernelPair {
  checkPositive("add: dim", dim);
  const D = u32(dim);
  const forward = rowKernel([readF32("a"), readF32("b"), writeF32("out")], [
    `  let base = row * ${D};`,
    `  for (var i = 0u; i < ${D}; i++) { out[base + i] = a[base + i] + b[base + i]; }`,
  ]);
  const backward = rowKernel([readF32("grad_out"), writeF32("grad_a"), writeF32("grad_b")], [
    `  let base = row * ${D};`,
    `  for (var i = 0u; i < ${D}; i++) {`,
    "    let g = grad_out[base + i];",
    "    grad_a[base + i] += g;",
    "    grad_b[base + i] += g;",
    "  }",
  ]);
  return { forward, backward };
}

function concatLayout(dims: readonly number[]): { offsets: number[]; total: number } {
  if (dims.length === 0) throw new Error("concat: needs at least one input");
  dims.forEach((d, k) => checkPositive(`concat: dims[${k}]`, d));
  const offsets: number[] = [];
  let total = 0;
  for (const d of dims) {
    offsets.push(total);
    total += d;
  }
  return { offsets, total };
}

/**
 * Direct sum of rows: out[r] = x0[r] ⊕ x1[r] ⊕ … (widths `dims`, in order).
 *
 * forward — bindings `x0`, …, `x{k-1}` (read), `out` (assigned, rows of Σ dims); one invocation per row.
 * backward — bindings `grad_out` (read), `grad_x0`, …, `grad_x{k-1}` (each += its slice of grad_out).
 * Each kernel binds k + 1 storage buffers; for more pieces than the device allows per stage (16 on lavapipe,
 * 8 by WebGPU's default limits), use `concatPieceKernels` once per piece.
 */
export function concatKernels(dims: readonly number[]): KernelPair {
  const { offsets, total } = concatLayout(dims);
  const T = u32(total);
  const fwd: string[] = [`  let base = row * ${T};`];
  const bwd: string[] = [`  let base = row * ${T};`];
  dims.forEach((d, k) => {
    const off = u32(offsets[k]!), Dk = u32(d);
    fwd.push(`  for (var i = 0u; i < ${Dk}; i++) { out[base + ${off} + i] = x${k}[row * ${Dk} + i]; }`);
    bwd.push(`  for (var i = 0u; i < ${Dk}; i++) { grad_x${k}[row * ${Dk} + i] += grad_out[base + ${off} + i]; }`);
  });
  return {
    forward: rowKernel([...dims.map((_, k) => readF32(`x${k}`)), writeF32("out")], fwd),
    backward: rowKernel([readF32("grad_out"), ...dims.map((_, k) => writeF32(`grad_x${k}`))], bwd),
  };
}

/**
 * One piece of a concat: piece `k` of widths `dims`.
 *
 * forward — bindings `x` (read, rows of dims[k]), `out` (read_write, rows of Σ dims): assigns piece k's
 * columns of out and leaves the others untouched; run once per piece to fill out.
 * backward — bindings `grad_out` (read), `grad_x` (+= the piece's slice).
 */
export function concatPieceKernels(dims: readonly number[], k: number): KernelPair {
  const { offsets, total } = concatLayout(dims);
  if (!Number.isInteger(k) || k < 0 || k >= dims.length) throw new Error(`concat: piece ${k} out of range (${dims.length} pieces)`);
  const T = u32(total), off = u32(offsets[k]!), Dk = u32(dims[k]!);
  return {
    forward: rowKernel([readF32("x"), writeF32("out")], [`  for (var i = 0u; i < ${Dk}; i++) { out[row * ${T} + ${off} + i] = x[row * ${Dk} + i]; }`]),
    backward: rowKernel([readF32("grad_out"), writeF32("grad_x")], [`  for (var i = 0u; i < ${Dk}; i++) { grad_x[row * ${Dk} + i] += grad_out[row * ${T} + ${off} + i]; }`]),
  };
}
