import type { Activation } from "../../ir/types.js";
import type { ActivationName } from "../../nn/activation.js";
import { PARAMS_STRUCT, type GeneratedKernel, type KernelBinding, type RowDomain } from "./kernel.js";

/**
 * The kernel toolkit every WGSL generator uses: number literals, binding shorthands and declarations, the
 * one-invocation-per-row entry point, kernel assembly, row-domain sizes and activations. Generated WGSL only
 * ever contains numbers and names made here, never text from a spec.
 *
 * Conventions of every generator:
 * - storage bindings are ordered f32 inputs (read), then f32 outputs (read_write), then u32 index arrays
 *   (read); the uniform `params: Params` follows them. A kernel only declares the bindings it uses
 *   (pipelines are created with `layout: "auto"`, which drops unused ones).
 * - forward kernels ASSIGN their outputs; "ADDS" (`+=`) means the executor initialises the buffer (gradient
 *   buffers are zeroed before a backward pass); per-row scratch buffers are assigned.
 * - each invocation owns the entries it writes: no races, no atomics, summation order fixed by the code.
 */

/**
 * Invocations per workgroup: every row kernel declares it as the WGSL override `wg_size` (default
 * {@link WORKGROUP_SIZE}), and the executor sets it per kernel shape (ModelPlan.workgroupSize). lavapipe
 * spreads a dispatch over its threads by workgroup and runs a workgroup's invocations in 8-wide SIMD, so the
 * CPU shape takes 8: a reduction kernel of 32 invocations then runs on 4 threads instead of 1 (the
 * benchmark's forward + backward ~13% faster on 2 cores); GPUs want several warps per workgroup.
 */
export const WORKGROUP_SIZE = 64;
export const CPU_WORKGROUP_SIZE = 8;

/** An f32 literal that rounds to exactly Math.fround(x) (9 significant digits always suffice). */
export function f32(x: number): string {
  if (!Number.isFinite(x)) throw new Error(`f32: cannot write ${x} into WGSL`);
  const v = Math.fround(x);
  if (Object.is(v, -0) || v === 0) return "0.0";
  const s = v.toPrecision(9);
  const t = s.includes("e") ? s.replace(/(\.\d*?)0+e/, "$1e").replace(/\.e/, ".0e") : s.replace(/(\.\d*?)0+$/, "$1").replace(/\.$/, ".0");
  return t.includes(".") || t.includes("e") ? t : `${t}.0`;
}

/** A u32 literal. */
export function u32(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new Error(`u32: ${n} is not a u32`);
  return `${n}u`;
}

/** A WGSL identifier from a label: anything but [A-Za-z0-9_] becomes _, and it never starts with a digit. */
export function wgslIdent(label: string): string {
  const s = label.replace(/[^A-Za-z0-9_]/g, "_");
  return /^[A-Za-z]/.test(s) ? s : `k_${s}`;
}

export type Access = "read" | "read_write";

export interface Binding {
  name: string;
  /** array<vec4f>: an f32 buffer read 4 aligned numbers at a time (bound to the same buffer as an array<f32>). */
  type: "array<f32>" | "array<u32>" | "array<vec4f>";
  access: Access;
}

/** An f32 storage binding read by the kernel. */
export function readF32(name: string): Binding {
  return { name, type: "array<f32>", access: "read" };
}

/** An f32 binding read 4 aligned numbers at a time (bound to the same buffer as an array<f32>). */
export function readVec4(name: string): Binding {
  return { name, type: "array<vec4f>", access: "read" };
}

/** An f32 storage binding the kernel writes (assigns or accumulates, as its generator documents). */
export function writeF32(name: string): Binding {
  return { name, type: "array<f32>", access: "read_write" };
}

/** An f32 binding written 4 aligned numbers at a time. */
export function writeVec4(name: string): Binding {
  return { name, type: "array<vec4f>", access: "read_write" };
}

/** A u32 index array (CSR offsets, edge endpoints, node -> graph). */
export function readU32(name: string): Binding {
  return { name, type: "array<u32>", access: "read" };
}

/** `@group(0) @binding(i) var<storage, access> name: type;` for each binding, then the uniform `rows`. */
export function declareBindings(bindings: readonly Binding[]): string {
  const lines = bindings.map((b, i) => `@group(0) @binding(${i}) var<storage, ${b.access}> ${b.name}: ${b.type};`);
  lines.push(`@group(0) @binding(${bindings.length}) var<uniform> params: Params;`);
  return [PARAMS_STRUCT, ...lines].join("\n");
}

/** The entry point header: one invocation per row, rows spread over x and y (see runtime workgroupGrid). */
export function rowEntry(body: string): string {
  return [
    `override wg_size: u32 = ${u32(WORKGROUP_SIZE)};`,
    "@compute @workgroup_size(wg_size)",
    "fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {",
    "  let row = gid.x + gid.y * (nwg.x * wg_size);",
    "  if (row >= params.rows) { return; }",
    body,
    "}",
  ].join("\n");
}

/**
 * A whole row kernel: the bindings (then the uniform `params`), module-scope helpers, the entry point. Body
 * lines that declare a `let` nothing reads are left out ({@link dropUnusedLets}), so a generator may emit a
 * shared prologue (an edge's vector, length and direction; a tensor product's row bases) whole.
 */
export function rowKernelCode(bindings: readonly Binding[], body: readonly string[], helpers: readonly string[] = []): string {
  const kept = dropUnusedLets(body, helpers, bindings.map((b) => b.name));
  return [declareBindings(bindings), "", ...helpers.flatMap((h) => [h, ""]), rowEntry(kept.join("\n")), ""].join("\n");
}

/** A line that is exactly one `let` declaration. */
const LET_LINE = /^\s*let ([A-Za-z_][A-Za-z0-9_]*)(?:\s*:\s*[A-Za-z0-9_<>]+)?\s*=[^;]*;\s*(?:\/\/.*)?$/;

const identifiers = (text: string): string[] => text.replace(/\/\/.*$/gm, "").match(/\b[A-Za-z_][A-Za-z0-9_]*/g) ?? [];

/**
 * `body` without the one-line `let` declarations whose name occurs nowhere else in the body or the helpers,
 * repeated until none is left (dropping one may leave another unread). Only names that occur nowhere else are
 * dropped, so shadowing cannot mislead it; WGSL expressions here have no side effects (the generators' helper
 * functions are pure), so the kernel computes exactly what it did with them. A line that is the last to read
 * one of `bindings` stays: the executor binds every declared binding, and a pipeline's "auto" layout would
 * leave out one the code never reads (e.g. the positions of an l = 0 spherical harmonic, which is 1).
 */
export function dropUnusedLets(body: readonly string[], helpers: readonly string[] = [], bindings: readonly string[] = []): string[] {
  let lines = [...body];
  for (;;) {
    const count = new Map<string, number>();
    for (const id of identifiers([...lines, ...helpers].join("\n"))) count.set(id, (count.get(id) ?? 0) + 1);
    const next = lines.filter((l) => {
      const m = LET_LINE.exec(l);
      if (!m || count.get(m[1]!)! > 1) return true;
      const ids = identifiers(l);
      const own = (b: string) => ids.filter((id) => id === b).length;
      if (bindings.some((b) => own(b) > 0 && count.get(b)! === own(b))) return true;
      for (const id of ids) count.set(id, count.get(id)! - 1);
      return false;
    });
    if (next.length === lines.length) return next;
    lines = next;
  }
}

/**
 * The opening lines of an `if / else if` chain over ascending, disjoint row ranges [lo, hi) in a kernel whose
 * rows are 0 .. rows - 1, with the bounds that are known left out: a lower bound every row reaching the branch
 * already meets (0, or the end of a run of branches that took every row below it) and an upper bound at
 * `rows`. Each line is `if (…) {`, `else if (…) {`, `else {`, or `{` (a first branch that takes every row).
 */
export function rangeBranches(ranges: readonly { lo: number; hi: number }[], rows: number, indent = "  "): string[] {
  let below = 0; // every row below this was taken by an earlier branch
  let last = 0;
  return ranges.map(({ lo, hi }, n) => {
    if (lo < last || hi <= lo || hi > rows) throw new Error(`rangeBranches: ranges must ascend within [0, ${rows}), got [${lo}, ${hi}) after ${last}`);
    last = hi;
    const parts = [...(lo > below ? [`row >= ${u32(lo)}`] : []), ...(hi < rows ? [`row < ${u32(hi)}`] : [])];
    if (lo <= below) below = hi;
    return `${indent}${n ? "else " : ""}${parts.length ? `if (${parts.join(" && ")}) ` : ""}{`;
  });
}

/**
 * A row kernel as the executor takes it: WGSL for the bindings (then the uniform `params`), optional helper
 * functions, and `body` inside the one-invocation-per-row entry point (where `row` < params.rows).
 */
export function rowKernel(bindings: readonly Binding[], body: readonly string[], helpers: readonly string[] = []): GeneratedKernel {
  return { code: rowKernelCode(bindings, body, helpers), bindings: bindings.map((b) => b.name) };
}

/** A generated kernel that also says what it ranges over and how it binds: what a planner needs beside the WGSL. */
export interface RowKernel extends GeneratedKernel {
  /** A suggested label (unique per kind of kernel, not per model). */
  label: string;
  /** What one invocation handles; the executor sets `params.rows` to its size. */
  rows: RowDomain;
  /** The bindings with their access and element type, in binding order (same names as `bindings`). */
  layout: readonly KernelBinding[];
}

/** A kernel's forward and backward, as plain generated kernels. */
export interface KernelPair {
  forward: GeneratedKernel;
  backward: GeneratedKernel;
}

/** A kernel's forward and backward, each with its row domain and binding layout. */
export interface ForwardBackward {
  forward: RowKernel;
  backward: RowKernel;
}

/** {@link rowKernel} with its label, row domain and typed binding layout. */
export function describedRowKernel(label: string, rows: RowDomain, bindings: readonly Binding[], body: readonly string[], helpers: readonly string[] = []): RowKernel {
  return { label, code: rowKernelCode(bindings, body, helpers), rows, ...bindingLayout(bindings) };
}

/** A kernel's binding names and their access and element types, in binding order (RowKernel's `bindings`, `layout`). */
export function bindingLayout(bindings: readonly Binding[]): Pick<RowKernel, "bindings" | "layout"> {
  return {
    bindings: bindings.map((b) => b.name),
    layout: bindings.map((b) => ({ name: b.name, access: b.access, type: b.type === "array<u32>" ? "u32" : "f32" })),
  };
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
 * WGSL functions `act(x)` and `act_d(x)`: activation `act` times `actScale` (e3nn's normalize2mom constant)
 * and its derivative, for the radial MLPs.
 */
export function activationFunctions(act: Activation, actScale: number): string[] {
  const c = f32(actScale);
  const body: Record<Activation, [string[], string[]]> = {
    silu: [
      [`  return ${c} * x / (1.0 + exp(-x));`],
      ["  let s = 1.0 / (1.0 + exp(-x));", `  return ${c} * s * (1.0 + x * (1.0 - s));`],
    ],
    relu: [[`  return ${c} * max(x, 0.0);`], [`  return select(0.0, ${c}, x > 0.0);`]],
    // tanh saturates to ±1 in f32 well before 15; clamping keeps drivers that compute it from exp finite.
    tanh: [[`  return ${c} * tanh(clamp(x, -15.0, 15.0));`], ["  let t = tanh(clamp(x, -15.0, 15.0));", `  return ${c} * (1.0 - t * t);`]],
    sigmoid: [
      [`  return ${c} / (1.0 + exp(-x));`],
      ["  let s = 1.0 / (1.0 + exp(-x));", `  return ${c} * s * (1.0 - s);`],
    ],
    identity: [[`  return ${c} * x;`], [`  return ${c};`]],
  };
  const [f, df] = body[act];
  return [`// ${act}, times e3nn's normalize2mom constant`, "fn act(x: f32) -> f32 {", ...f, "}", "fn act_d(x: f32) -> f32 {", ...df, "}"];
}

/**
 * A loop bound LLVM cannot see through. lavapipe's LLVM fully unrolls loops with constant trip counts, and
 * nested ones multiply: the benchmark's linear layer took 31 s to compile cold with constant bounds, 1.4 s
 * with these. `opaque` (declared by {@link OPAQUE_ZERO}) is 0 for every batch: node counts stay far below
 * 2^31 (a batch that large could not be allocated).
 */
export function opaqueBound(n: number): string {
  return `${u32(n)} + opaque`;
}

/** Declares `opaque` for {@link opaqueBound}; put it at the start of a kernel body. */
export const OPAQUE_ZERO = "  let opaque = params.nodes >> 31u;";
