/**
 * Pointwise kernels (one invocation per row, any row domain): `add` and `concat`, forward and backward, plus
 * the small pieces the other non-tensor-product generators share (binding shorthands, kernel assembly, the
 * WGSL of a row domain's size, scalar activations).
 *
 * Conventions of every generator in this family:
 * - storage bindings are ordered: f32 inputs (read), then f32 outputs (read_write), then u32 index arrays
 *   (read); the uniform `params: Params` follows them;
 * - forward kernels ASSIGN their outputs (every entry of the rows they own is written);
 * - backward kernels ADD (`+=`) into the gradient of a value (the executor zeroes gradient buffers before a
 *   backward pass); per-row scratch buffers (e.g. `grad_weight_rows`) are assigned;
 * - each invocation owns the rows it writes: no races, no atomics, summation order fixed by the code.
 */
import type { ActivationName } from "../../nn/activation.js";
import { rowKernelCode, u32, type Binding } from "./common.js";
import type { GeneratedKernel, RowDomain } from "./kernel.js";

/** A kernel's forward and backward. */
export interface KernelPair {
  forward: GeneratedKernel;
  backward: GeneratedKernel;
}

/** An f32 storage binding read by the kernel. */
export function readF32(name: string): Binding {
  return { name, type: "array<f32>", access: "read" };
}

/** An f32 storage binding the kernel writes (assigns or accumulates, as its generator documents). */
export function writeF32(name: string): Binding {
  return { name, type: "array<f32>", access: "read_write" };
}

/** A u32 index array (CSR offsets, edge endpoints, node -> graph). */
export function readU32(name: string): Binding {
  return { name, type: "array<u32>", access: "read" };
}

/**
 * WGSL for a row kernel: the bindings (then the uniform `params`), optional helper functions, and `body`
 * inside the one-invocation-per-row entry point (where `row` is the invocation's row, already < params.rows).
 */
export function rowKernel(bindings: readonly Binding[], body: readonly string[], helpers: readonly string[] = []): GeneratedKernel {
  return { code: rowKernelCode(bindings, body, helpers), bindings: bindings.map((b) => b.name) };
}

/** Throws unless `n` is a positive integer (a row width, a column count). */
export function checkPositive(what: string, n: number): void {
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${what} must be a positive integer, got ${n}`);
}

/** WGSL expression (u32) for the number of rows of `domain`: `params.nodes` etc., or a baked count. */
export function domainSize(domain: RowDomain): string {
  if (typeof domain === "object" && "per" in domain) return `${blocksOf(`params.${domain.per}`, domain.block)} * ${u32(domain.times)}`;
  if (typeof domain === "object") {
    if (!Number.isInteger(domain.count) || domain.count < 0) throw new Error(`a row domain's count must be a non-negative integer, got ${domain.count}`);
    return u32(domain.count);
  }
  return `params.${domain}`;
}

/** WGSL for ceil(n / block) without the overflow of (n + block - 1) / block near 2^32. */
export function blocksOf(n: string, block: number): string {
  if (!Number.isInteger(block) || block < 1 || block > 0xffffffff) throw new Error(`a block must be a positive u32, got ${block}`);
  return block === 1 ? n : `(${n} / ${u32(block)} + select(0u, 1u, ${n} % ${u32(block)} != 0u))`;
}

/**
 * WGSL functions `act_<name>(x)` and `dact_<name>(x)` (its derivative), matching compiler/nn/activation.ts
 * (relu'(0) = 0). tanh's argument is clamped to ±15, where f32 tanh is already ±1, so that no driver's
 * exp-based tanh can overflow into NaN.
 */
export function activationWGSL(name: ActivationName): string {
  const [f, df] = {
    silu: ["return x / (1.0 + exp(-x));", "let s = 1.0 / (1.0 + exp(-x));\n  return s * (1.0 + x * (1.0 - s));"],
    relu: ["return max(x, 0.0);", "return select(0.0, 1.0, x > 0.0);"],
    tanh: ["return tanh(clamp(x, -15.0, 15.0));", "let t = tanh(clamp(x, -15.0, 15.0));\n  return 1.0 - t * t;"],
    sigmoid: ["return 1.0 / (1.0 + exp(-x));", "let s = 1.0 / (1.0 + exp(-x));\n  return s * (1.0 - s);"],
    identity: ["return x;", "return 1.0;"],
  }[name];
  return [`fn act_${name}(x: f32) -> f32 {\n  ${f}\n}`, `fn dact_${name}(x: f32) -> f32 {\n  ${df}\n}`].join("\n");
}

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
