/**
 * WGSL for one tensor product (e3nn semantics, any instruction list), forward and backward, one invocation
 * per row. The sparse Wigner 3j coefficients are baked in as constants with the path weight folded in, the
 * paths and their (i, j, k) sums are unrolled; only the multiplicity loops stay loops.
 *
 * Bindings: see `tensorProductBindings`. The gradients are written per row (rows x dim): where x1 is
 * gathered or broadcast, x2 broadcast, or the weights shared, the caller reduces them deterministically
 * (CSR by source, column sums) — no float atomics.
 */
import type { TensorProductIR } from "../../ir/types.js";
import { Irreps } from "../../o3/irreps.js";
import { wigner3jSparse } from "../../o3/wigner3j.js";
import { declareBindings, f32, rowEntry, u32, type Binding } from "./common.js";

export interface TensorProductKernelOptions {
  /** Where row r's x1 is: row r (default), row idx1[r] (a gather, e.g. an edge's source node), or row 0 for every r. */
  x1?: "row" | "gather" | "broadcast";
  /** Where row r's x2 is: row r (default) or row 0 for every r (θ, or the constant 1x0e of a linear layer). */
  x2?: "row" | "broadcast";
  /** With shared weights: where they start in the weight buffer (the model's flat parameters). Default 0. */
  weightOffset?: number;
}

/** Storage bindings in order, by their names in the WGSL. */
export function tensorProductBindings(kind: "forward" | "backward", options: TensorProductKernelOptions = {}): string[] {
  const names = kind === "forward" ? ["x1", "x2", "weight", "out"] : ["x1", "x2", "weight", "grad_out", "grad_x1", "grad_x2", "grad_weight"];
  return options.x1 === "gather" ? [...names, "idx1"] : names;
}

interface PathLayout {
  mode: TensorProductIR["instructions"][number]["mode"];
  hasWeight: boolean;
  mul1: number; mul2: number; mulOut: number;
  d1: number; d2: number; dOut: number;
  off1: number; off2: number; offOut: number; offW: number;
  /** Coefficients pathWeight * C_ijk, grouped by output component k. */
  terms: { i: number; j: number; k: number; c: number }[];
}

function layout(tp: TensorProductIR): { paths: PathLayout[]; dim1: number; dim2: number; dimOut: number } {
  const [a, b, o] = [Irreps.parse(tp.irrepsIn1), Irreps.parse(tp.irrepsIn2), Irreps.parse(tp.irrepsOut)];
  const [oa, ob, oo] = [a.offsets, b.offsets, o.offsets];
  const paths = tp.instructions.map((ins): PathLayout => {
    const [x, y, z] = [a.get(ins.i1), b.get(ins.i2), o.get(ins.iOut)];
    const cg = wigner3jSparse(x.l, y.l, z.l);
    const terms = Array.from(cg.value, (v, t) => ({ i: cg.i[t]!, j: cg.j[t]!, k: cg.k[t]!, c: v * ins.pathWeight }));
    return {
      mode: ins.mode, hasWeight: ins.hasWeight,
      mul1: x.mul, mul2: y.mul, mulOut: z.mul, d1: x.ir.dim, d2: y.ir.dim, dOut: z.ir.dim,
      off1: oa[ins.i1]!, off2: ob[ins.i2]!, offOut: oo[ins.iOut]!, offW: ins.weightOffset, terms,
    };
  });
  return { paths, dim1: a.dim, dim2: b.dim, dimOut: o.dim };
}

/** Sum of coefficient products as WGSL, e.g. `0.57735 * a0 * b1 + ...`, or "0.0". */
function sumExpr(parts: string[]): string {
  return parts.length ? parts.join(" + ") : "0.0";
}

/** WGSL index of the weight of (u, v, w) in this path, relative to the row's weights. */
function weightIndex(p: PathLayout): string {
  switch (p.mode) {
    case "uvw": return `${u32(p.offW)} + (u * ${u32(p.mul2)} + v) * ${u32(p.mulOut)} + w`;
    case "uvu":
    case "uvv": return `${u32(p.offW)} + u * ${u32(p.mul2)} + v`;
    case "uuw": return `${u32(p.offW)} + u * ${u32(p.mulOut)} + w`;
    case "uuu": return `${u32(p.offW)} + u`;
  }
}

/** The output channel a (u, v, w) term writes. */
function outChannel(p: PathLayout): string {
  return { uvw: "w", uvu: "u", uvv: "v", uuw: "w", uuu: "u" }[p.mode];
}

/** Wraps a path's body in its u and v loops (v = u for the uu modes; a w loop, if any, is in the body). */
function loops(p: PathLayout, body: string[], indent: string): string[] {
  const uu = p.mode === "uuw" || p.mode === "uuu";
  const out: string[] = [];
  out.push(`${indent}for (var u = 0u; u < ${u32(p.mul1)}; u++) {`);
  out.push(uu ? `${indent}  let v = u;` : `${indent}  for (var v = 0u; v < ${u32(p.mul2)}; v++) {`);
  const inner = uu ? `${indent}  ` : `${indent}    `;
  out.push(...body.map((l) => `${inner}${l}`));
  if (!uu) out.push(`${indent}  }`);
  out.push(`${indent}}`);
  return out;
}

function loadOperands(p: PathLayout, x1Base: string): string[] {
  const lines = [`let a = ${x1Base} + ${u32(p.off1)} + u * ${u32(p.d1)};`, `let b = base2 + ${u32(p.off2)} + v * ${u32(p.d2)};`];
  for (let i = 0; i < p.d1; i++) lines.push(`let a${i} = x1[a + ${u32(i)}];`);
  for (let j = 0; j < p.d2; j++) lines.push(`let b${j} = x2[b + ${u32(j)}];`);
  return lines;
}

function coupled(p: PathLayout): string[] {
  const lines: string[] = [];
  for (let k = 0; k < p.dOut; k++) {
    const parts = p.terms.filter((t) => t.k === k).map((t) => `${f32(t.c)} * a${t.i} * b${t.j}`);
    lines.push(`let t${k} = ${sumExpr(parts)};`);
  }
  return lines;
}

function bindingsOf(kind: "forward" | "backward", gather: boolean): Binding[] {
  const ro = (name: string, type: Binding["type"] = "array<f32>"): Binding => ({ name, type, access: "read" });
  const rw = (name: string): Binding => ({ name, type: "array<f32>", access: "read_write" });
  const list = kind === "forward"
    ? [ro("x1"), ro("x2"), ro("weight"), rw("out")]
    : [ro("x1"), ro("x2"), ro("weight"), ro("grad_out"), rw("grad_x1"), rw("grad_x2"), rw("grad_weight")];
  if (gather) list.push(ro("idx1", "array<u32>"));
  return list;
}

function rowBases(tp: TensorProductIR, dims: { dim1: number; dim2: number; dimOut: number }, o: TensorProductKernelOptions): string[] {
  const x1 = o.x1 ?? "row", x2 = o.x2 ?? "row";
  return [
    `  let base1 = ${x1 === "broadcast" ? "0u" : `${x1 === "gather" ? "idx1[row]" : "row"} * ${u32(dims.dim1)}`};`,
    `  let base2 = ${x2 === "broadcast" ? "0u" : `row * ${u32(dims.dim2)}`};`,
    `  let baseW = ${tp.sharedWeights ? u32(o.weightOffset ?? 0) : `row * ${u32(Math.max(tp.weightNumel, 1))}`};`,
    `  let baseO = row * ${u32(dims.dimOut)};`,
  ];
}

export function tensorProductForwardWGSL(tp: TensorProductIR, options: TensorProductKernelOptions = {}): string {
  const gather = options.x1 === "gather";
  const dims = layout(tp);
  const body: string[] = [...rowBases(tp, dims, options)];
  body.push(`  for (var i = 0u; i < ${u32(dims.dimOut)}; i++) { out[baseO + i] = 0.0; }`);
  dims.paths.forEach((p, n) => {
    const inner = [...loadOperands(p, "base1"), ...coupled(p)];
    const hasW = p.mode === "uvw" || p.mode === "uuw";
    const acc: string[] = [];
    if (hasW) acc.push(`for (var w = 0u; w < ${u32(p.mulOut)}; w++) {`);
    acc.push(`${hasW ? "  " : ""}let c = ${p.hasWeight ? `weight[baseW + ${weightIndex(p)}]` : "1.0"};`);
    acc.push(`${hasW ? "  " : ""}let o = baseO + ${u32(p.offOut)} + ${outChannel(p)} * ${u32(p.dOut)};`);
    for (let k = 0; k < p.dOut; k++) acc.push(`${hasW ? "  " : ""}out[o + ${u32(k)}] += c * t${k};`);
    if (hasW) acc.push("}");
    body.push(`  // path ${n}: ${p.mul1}x(${p.d1}) x ${p.mul2}x(${p.d2}) -> ${p.mulOut}x(${p.dOut}) ${p.mode}`);
    body.push(...loops(p, [...inner, ...acc], "  "));
  });
  return [declareBindings(bindingsOf("forward", gather)), "", rowEntry(body.join("\n")), ""].join("\n");
}

export function tensorProductBackwardWGSL(tp: TensorProductIR, options: TensorProductKernelOptions = {}): string {
  const gather = options.x1 === "gather";
  const dims = layout(tp);
  const body: string[] = [...rowBases(tp, dims, options)];
  body.push(`  let baseG1 = row * ${u32(dims.dim1)};`);
  body.push(`  let baseG2 = row * ${u32(dims.dim2)};`);
  body.push(`  let baseGW = row * ${u32(Math.max(tp.weightNumel, 1))};`);
  body.push(`  for (var i = 0u; i < ${u32(dims.dim1)}; i++) { grad_x1[baseG1 + i] = 0.0; }`);
  body.push(`  for (var i = 0u; i < ${u32(dims.dim2)}; i++) { grad_x2[baseG2 + i] = 0.0; }`);
  dims.paths.forEach((p, n) => {
    const hasW = p.mode === "uvw" || p.mode === "uuw";
    const inner = [...loadOperands(p, "base1"), ...coupled(p)];
    for (let k = 0; k < p.dOut; k++) inner.push(`var s${k} = 0.0;`);
    if (hasW) inner.push(`for (var w = 0u; w < ${u32(p.mulOut)}; w++) {`);
    const ind = hasW ? "  " : "";
    inner.push(`${ind}let o = baseO + ${u32(p.offOut)} + ${outChannel(p)} * ${u32(p.dOut)};`);
    for (let k = 0; k < p.dOut; k++) inner.push(`${ind}let g${k} = grad_out[o + ${u32(k)}];`);
    if (p.hasWeight) {
      inner.push(`${ind}let c = weight[baseW + ${weightIndex(p)}];`);
      const dot = Array.from({ length: p.dOut }, (_, k) => `g${k} * t${k}`).join(" + ");
      inner.push(`${ind}grad_weight[baseGW + ${weightIndex(p)}] = ${dot};`);
    } else inner.push(`${ind}let c = 1.0;`);
    for (let k = 0; k < p.dOut; k++) inner.push(`${ind}s${k} += c * g${k};`);
    if (hasW) inner.push("}");
    // d out / d a_i = sum over terms with that i of coeff * b_j * s_k, and likewise for b_j.
    const ga = `baseG1 + ${u32(p.off1)} + u * ${u32(p.d1)}`;
    const gb = `baseG2 + ${u32(p.off2)} + v * ${u32(p.d2)}`;
    for (let i = 0; i < p.d1; i++) {
      const parts = p.terms.filter((t) => t.i === i).map((t) => `${f32(t.c)} * b${t.j} * s${t.k}`);
      if (parts.length) inner.push(`grad_x1[${ga} + ${u32(i)}] += ${sumExpr(parts)};`);
    }
    for (let j = 0; j < p.d2; j++) {
      const parts = p.terms.filter((t) => t.j === j).map((t) => `${f32(t.c)} * a${t.i} * s${t.k}`);
      if (parts.length) inner.push(`grad_x2[${gb} + ${u32(j)}] += ${sumExpr(parts)};`);
    }
    body.push(`  // path ${n}: ${p.mode}`);
    body.push(...loops(p, inner, "  "));
  });
  return [declareBindings(bindingsOf("backward", gather)), "", rowEntry(body.join("\n")), ""].join("\n");
}
