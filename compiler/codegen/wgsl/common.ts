import { PARAMS_STRUCT } from "./kernel.js";

/**
 * Pieces every generated WGSL kernel shares: number literals, the flattened row index, binding
 * declarations. Generated WGSL only ever contains numbers and names made here, never text from a spec.
 */

export const WORKGROUP_SIZE = 64;

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

/** `@group(0) @binding(i) var<storage, access> name: type;` for each binding, then the uniform `rows`. */
export function declareBindings(bindings: readonly Binding[]): string {
  const lines = bindings.map((b, i) => `@group(0) @binding(${i}) var<storage, ${b.access}> ${b.name}: ${b.type};`);
  lines.push(`@group(0) @binding(${bindings.length}) var<uniform> params: Params;`);
  return [PARAMS_STRUCT, ...lines].join("\n");
}

/** The entry point header: one invocation per row, rows spread over x and y (see runtime workgroupGrid). */
export function rowEntry(body: string): string {
  return [
    `@compute @workgroup_size(${WORKGROUP_SIZE})`,
    "fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {",
    `  let row = gid.x + gid.y * (nwg.x * ${u32(WORKGROUP_SIZE)});`,
    "  if (row >= params.rows) { return; }",
    body,
    "}",
  ].join("\n");
}

/** A whole row kernel: the bindings (then the uniform `params`), module-scope helpers, the entry point. */
export function rowKernelCode(bindings: readonly Binding[], body: readonly string[], helpers: readonly string[] = []): string {
  return [declareBindings(bindings), "", ...helpers.flatMap((h) => [h, ""]), rowEntry(body.join("\n")), ""].join("\n");
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
