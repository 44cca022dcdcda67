/**
 * The convolution fused per node: out[n] = scale · Σ_{e into n} TP(x1[src_e], x2[e], w(r_e)), with the edge
 * weights interpolated from the radial table (radial-table.ts) inside the loop. No per-edge message or
 * weight buffer exists, so memory is O(nodes + edges · (x2 + stencil)) and large graphs fit the bindings.
 *
 * Why this shape on lavapipe (CPU, SIMD across invocations): each invocation owns a node and loops over
 * (path, output channel), then over its edges, accumulating one irrep's components in registers and writing
 * them once; the sparse Wigner 3j products are unrolled per path (a few hundred lines of WGSL at most, so
 * compile time stays small), the multiplicity loops stay loops.
 *
 * Three kernels per path (one kernel for all paths took lavapipe ~5 s to compile, cold, and compile time
 * grows faster than the code; per path it is ~0.2 s), all deterministic (fixed summation order, each
 * invocation owns what it writes):
 *   forward            rows = nodes, destination CSR (edges sorted by destination).
 *   backwardInput      rows = nodes: grad_x1[n] += Σ over n's outgoing edges (source CSR), in src_edges order.
 *   weightPartial      rows = chunks x weights: per contiguous edge chunk and weight index j, the weight
 *                      gradient g_e[j] = ∂L/∂w_e[j] of each edge scattered through the edge's stencil onto
 *                      the chunk's own partial table; radialTableReduceKernel sums the chunks in order.
 */
import type { TensorProductIR } from "../../ir/types.js";
import { Irreps } from "../../o3/irreps.js";
import { wigner3jSparse } from "../../o3/wigner3j.js";
import { describedRowKernel, f32, OPAQUE_ZERO, opaqueBound, readF32, readU32, readVec4, type RowKernel, u32, writeF32, writeVec4 } from "./common.js";
import { groupOf, type Columns } from "../column-groups.js";
import { stagedTablePartialKernel } from "./radial-table.js";

interface Path {
  mode: "uvw" | "uvu" | "uvv" | "uuw" | "uuu";
  mul1: number; mul2: number; mulOut: number;
  d1: number; d2: number; dOut: number;
  off1: number; off2: number; offOut: number; offW: number;
  numel: number;
  hasWeight: boolean;
  /** Wigner 3j entries times the path weight. */
  cg: { i: number; j: number; k: number; c: number }[];
}

function pathsOf(tp: TensorProductIR): Path[] {
  const [a, b, o] = [Irreps.parse(tp.irrepsIn1), Irreps.parse(tp.irrepsIn2), Irreps.parse(tp.irrepsOut)];
  return tp.instructions.map((ins) => {
    const [x, y, z] = [a.get(ins.i1), b.get(ins.i2), o.get(ins.iOut)];
    const s = wigner3jSparse(x.ir.l, y.ir.l, z.ir.l);
    const cg = Array.from(s.value, (v, t) => ({ i: s.i[t]!, j: s.j[t]!, k: s.k[t]!, c: v * ins.pathWeight }));
    return {
      mode: ins.mode, mul1: x.mul, mul2: y.mul, mulOut: z.mul, d1: x.ir.dim, d2: y.ir.dim, dOut: z.ir.dim,
      off1: a.offsets[ins.i1]!, off2: b.offsets[ins.i2]!, offOut: o.offsets[ins.iOut]!, offW: Math.max(0, ins.weightOffset),
      numel: ins.hasWeight ? ins.pathShape.reduce((p, q) => p * q, 1) : 0, hasWeight: ins.hasWeight, cg,
    };
  });
}

/** The weight index of (u, v, w) in a path's block, as e3nn lays it out. */
function weightIndex(p: Path, u: string, v: string, w: string): string {
  switch (p.mode) {
    case "uvw": return `(${u} * ${u32(p.mul2)} + ${v}) * ${u32(p.mulOut)} + ${w}`;
    case "uvu": case "uvv": return `${u} * ${u32(p.mul2)} + ${v}`;
    case "uuw": return `${u} * ${u32(p.mulOut)} + ${w}`;
    case "uuu": return u;
  }
}

/** The edge's interpolated weight j (or 1 for a path without weights), given `t0` and `l` from its stencil. */
function weightAt(p: Path, J: number, idx: string): string {
  if (!p.hasWeight) return "1.0";
  const j = `${u32(p.offW)} + ${idx}`;
  return `dot(l, vec4f(table[t0 + ${j}], table[t0 + ${u32(J)} + ${j}], table[t0 + ${u32(2 * J)} + ${j}], table[t0 + ${u32(3 * J)} + ${j}]))`;
}

const STENCIL_LINES = (J: number) => [
  "let s = e * 5u;",
  `let t0 = u32(stencil[s]) * ${u32(J)};`,
  "let l = vec4f(stencil[s + 1u], stencil[s + 2u], stencil[s + 3u], stencil[s + 4u]);",
];

const sum = (terms: string[]) => (terms.length ? terms.join(" + ") : "0.0");
const indent = (n: number, lines: string[]) => lines.map((l) => " ".repeat(n) + l);

interface Dims { d1: number; d2: number; dOut: number; J: number; scale: number }

function dimsOf(tp: TensorProductIR, scale: number): Dims {
  const [d1, d2, dOut] = [tp.irrepsIn1, tp.irrepsIn2, tp.irrepsOut].map((s) => Irreps.parse(s).dim) as [number, number, number];
  return { d1, d2, dOut, J: Math.max(1, tp.weightNumel), scale };
}

/**
 * Where path p's output block lives in the out / grad_out binding: that binding holds the product's output
 * columns `group` (all of them unless the plan split the output into column groups, column-groups.ts).
 */
function outLayout(p: Path, D: Dims, group: Columns | undefined): { stride: number; off: number } {
  const g = group ?? { start: 0, cols: D.dOut };
  groupOf([g], p.offOut, p.mulOut * p.dOut);
  return { stride: g.cols, off: p.offOut - g.start };
}

/**
 * For one edge of the loop: the (u, v, w) terms that touch a fixed channel (the loop variable `fixed` is
 * the output channel in the forward, the input channel in the input backward). Opens loops or lets for
 * the other two and returns them with the number of braces to close.
 */
function pairLoops(p: Path, fixed: "w" | "u"): { open: string[]; close: number } {
  // Inside the edge loop: a single iteration is a plain block; longer loops get bounds LLVM cannot unroll.
  const loop = (x: string, n: number) => (n === 1 ? `{ let ${x} = 0u;` : `for (var ${x} = 0u; ${x} < ${opaqueBound(n)}; ${x}++) {`);
  if (fixed === "w") {
    switch (p.mode) {
      case "uvw": return { open: [loop("u", p.mul1), loop("v", p.mul2)], close: 2 };
      case "uvu": return { open: ["{", "let u = w;", loop("v", p.mul2)], close: 2 };
      case "uvv": return { open: [loop("u", p.mul1), "let v = w;"], close: 1 };
      case "uuw": return { open: [loop("u", p.mul1), "let v = u;"], close: 1 };
      case "uuu": return { open: ["{", "let u = w;", "let v = w;"], close: 1 };
    }
  }
  switch (p.mode) {
    case "uvw": return { open: [loop("v", p.mul2), loop("w", p.mulOut)], close: 2 };
    case "uvu": return { open: [loop("v", p.mul2), "let w = u;"], close: 1 };
    case "uvv": return { open: [loop("v", p.mul2), "let w = v;"], close: 1 };
    case "uuw": return { open: ["{", "let v = u;", loop("w", p.mulOut)], close: 2 };
    case "uuu": return { open: ["{", "let v = u;", "let w = u;"], close: 1 };
  }
}

/** How many paths (one kernel each) a product has. */
export function fusedConvPathCount(tp: TensorProductIR): number {
  return tp.instructions.length;
}

const LANES = ["x", "y", "z", "w"];

/**
 * Which of u, v, w vary with the lane when the loop variable `fixed` is blocked 4 channels at a time (a
 * vec4u): the fixed one and those the mode ties to it.
 */
function laneVars(p: Path, fixed: "w" | "u"): Set<string> {
  const tied: Record<Path["mode"], string[]> = { uvw: [], uvu: ["u", "w"], uvv: fixed === "w" ? ["v", "w"] : [], uuw: fixed === "u" ? ["u", "v"] : [], uuu: ["u", "v", "w"] };
  return new Set([fixed, ...tied[p.mode]]);
}

/** A load per lane (vec4f) when `vec`, else one scalar load; `at(i)` is the WGSL of the element at index i. */
const load = (vec: boolean, index: string, at: (i: string) => string) => (vec ? `vec4f(${LANES.map((c) => at(`${index}.${c}`)).join(", ")})` : at(index));

/**
 * Whether the 4 lanes' weight indices are consecutive from a multiple of 4 (so each grid node's 4 weights
 * are one aligned vec4 of the table): the blocked channel's count is a multiple of 4 and the index steps by
 * 1 with it.
 */
function vectorWeights(p: Path, J: number, fixed: "w" | "u"): boolean {
  if (!p.hasWeight || p.offW % 4 !== 0 || J % 4 !== 0) return false;
  if (fixed === "w") {
    if (p.mulOut % 4 !== 0) return false;
    return p.mode === "uvw" || p.mode === "uuw" || p.mode === "uuu" || (p.mode === "uvu" && p.mul2 === 1) || (p.mode === "uvv" && p.mul2 % 4 === 0);
  }
  return p.mul1 % 4 === 0 && (p.mode === "uuu" || (p.mode === "uvu" && p.mul2 === 1));
}

/**
 * The components `comps` of 4 consecutive channels c0 .. c0 + 3 (c0 a multiple of 4) of an irrep block of
 * dimension d, as vec4s named `${name}${k}` (one lane per channel), read as d aligned vec4s from `buf` (an
 * array<vec4f>) at float offset `base + c0 · d`, `base` a multiple of 4: the 4d numbers are contiguous. On
 * lavapipe a vec4 load costs about what a scalar one does, so this replaces 4d loads by d.
 */
function channelVec4s(buf: string, base: string, c0: string, d: number, comps: readonly number[], name: string): string[] {
  const q = `${name}_q`;
  const at = (f: number) => `${q}${f >> 2}.${LANES[f & 3]}`;
  return [
    `let ${q} = (${base} + ${c0} * ${u32(d)}) / 4u;`,
    ...Array.from({ length: d }, (_, i) => `let ${q}${i} = ${buf}[${q} + ${u32(i)}];`),
    ...comps.map((k) => `let ${name}${k} = vec4f(${[0, 1, 2, 3].map((lane) => at(lane * d + k)).join(", ")});`),
  ];
}

/** Whether a row base `rowStride · r + off` is always a multiple of 4 (so channelVec4s applies). */
const aligned = (rowStride: number, off: number) => rowStride % 4 === 0 && off % 4 === 0;

/** The weights of the 4 lanes' (u, v, w) terms: vec4 of interpolated table entries. */
function laneWeights(p: Path, J: number, vector: boolean): string {
  if (!p.hasWeight) return "vec4f(1.0)";
  if (vector) {
    const q = `(t0 + ${u32(p.offW)} + idx.x) / 4u`, J4 = J / 4;
    return `l.x * table4[${q}] + l.y * table4[${q} + ${u32(J4)}] + l.z * table4[${q} + ${u32(2 * J4)}] + l.w * table4[${q} + ${u32(3 * J4)}]`;
  }
  return `vec4f(${LANES.map((c) => weightAt(p, J, `idx.${c}`)).join(", ")})`;
}

/**
 * rows = nodes; path `path` only. Output channels go 4 at a time (vec4 accumulators, one per component),
 * so an edge's stencil, source and x2 are loaded once per 4 channels. Several paths may feed one output
 * block (uvw), so every path adds and path 0 zeroes the row first: the plan runs the paths' kernels in order.
 * Bindings: x1 (nodes x d1), x2 (edges x d2), stencil, table (read; as `table4`, array<vec4f>, when the
 * lanes' weights are aligned vec4s); out (write); dst_offsets, edge_src (u32).
 */
export function fusedConvForwardKernel(tp: TensorProductIR, scale: number, path: number, group?: Columns): RowKernel {
  const D = dimsOf(tp, scale);
  const body = [OPAQUE_ZERO, "  let start = dst_offsets[row];", "  let end = dst_offsets[row + 1u];"];
  const paths = pathsOf(tp), p = paths[path];
  if (!p) throw new Error(`fused conv: no path ${path}`);
  const O = outLayout(p, D, group);
  // The first path writing into this binding zeroes its row.
  const inBinding = (q: Path) => q.offOut - p.offOut + O.off >= 0 && q.offOut - p.offOut + O.off < O.stride;
  if (paths.findIndex(inBinding) === path) body.push(`  for (var i = 0u; i < ${u32(O.stride)}; i++) { out[row * ${u32(O.stride)} + i] = 0.0; }`);
  const lane = laneVars(p, "w"), vector = vectorWeights(p, D.J, "w");
  // u = w in every lane (uvu, uuu) and no lane clamped: x1's 4 channels are contiguous.
  const x1Vec = (p.mode === "uvu" || p.mode === "uuu") && p.mulOut % 4 === 0 && aligned(D.d1, p.off1);
  const ks = Array.from({ length: p.dOut }, (_, k) => k);
  const is = [...new Set(p.cg.map((t) => t.i))], js = [...new Set(p.cg.map((t) => t.j))];
  const pl = pairLoops(p, "w");
  body.push(
    `  // path ${path}: ${p.mode}, ${p.mul1} x ${p.mul2} -> ${p.mulOut} channels of dim ${p.dOut}`,
    `  for (var w0 = 0u; w0 < ${u32(p.mulOut)}; w0 += 4u) {`,
    `    let w = min(vec4u(w0) + vec4u(0u, 1u, 2u, 3u), vec4u(${u32(p.mulOut - 1)}));`,
    ...ks.map((k) => `    var acc${k} = vec4f(0.0);`),
    "    for (var e = start; e < end; e++) {",
    ...indent(6, [...STENCIL_LINES(D.J), `let xb = edge_src[e] * ${u32(D.d1)} + ${u32(p.off1)};`, `let yb = e * ${u32(D.d2)} + ${u32(p.off2)};`]),
    ...indent(6, pl.open),
    ...indent(8, [
      `let idx = ${weightIndex(p, "u", "v", "w")};`,
      `let c = ${laneWeights(p, D.J, vector)};`,
      ...(x1Vec ? channelVec4s("x1", "xb", "w0", p.d1, is, "a") : is.map((i) => `let a${i} = ${load(lane.has("u"), "u", (u) => `x1[xb + ${u} * ${u32(p.d1)} + ${u32(i)}]`)};`)),
      ...js.map((j) => `let y${j} = ${load(lane.has("v"), "v", (v) => `x2[yb + ${v} * ${u32(p.d2)} + ${u32(j)}]`)};`),
      ...ks.map((k) => `acc${k} += c * (${sum(p.cg.filter((t) => t.k === k).map((t) => `${f32(t.c)} * a${t.i} * y${t.j}`))});`),
    ]),
    ...indent(6, Array(pl.close).fill("}")),
    "    }",
    ...[0, 1, 2, 3].flatMap((l) => [
      `    if (w0 + ${u32(l)} < ${u32(p.mulOut)}) {`,
      `      let o = row * ${u32(O.stride)} + ${u32(O.off)} + (w0 + ${u32(l)}) * ${u32(p.dOut)};`,
      ...ks.map((k) => `      out[o + ${u32(k)}] += ${f32(scale)} * acc${k}.${LANES[l]};`),
      "    }",
    ]),
    "  }",
  );
  const bindings = [x1Vec ? readVec4("x1") : readF32("x1"), readF32("x2"), readF32("stencil"), vector ? readVec4("table4") : readF32("table"), writeF32("out"), readU32("dst_offsets"), readU32("edge_src")];
  return describedRowKernel(`conv_fused_forward_${path}`, "nodes", bindings, body);
}

/**
 * rows = nodes; path `path` only: grad_x1[n] += scale · Σ over n's outgoing edges of the product's adjoint
 * in x1, input channels 4 at a time.
 * Bindings: x2, stencil, table | table4 (as in the forward), grad_out (nodes x dOut) (read); grad_x1 (ADDS);
 * src_offsets, src_edges, edge_dst (u32).
 */
export function fusedConvBackwardInputKernel(tp: TensorProductIR, scale: number, path: number, group?: Columns): RowKernel {
  const D = dimsOf(tp, scale);
  const body = [OPAQUE_ZERO, "  let start = src_offsets[row];", "  let end = src_offsets[row + 1u];"];
  const p = pathsOf(tp)[path];
  if (!p) throw new Error(`fused conv: no path ${path}`);
  const O = outLayout(p, D, group);
  const lane = laneVars(p, "u"), vector = vectorWeights(p, D.J, "u");
  // w = u in every lane (uvu, uuu) and no lane clamped: grad_out's 4 channels are contiguous.
  const gVec = (p.mode === "uvu" || p.mode === "uuu") && p.mul1 % 4 === 0 && aligned(O.stride, O.off);
  const is = Array.from({ length: p.d1 }, (_, i) => i);
  const js = [...new Set(p.cg.map((t) => t.j))], ks = [...new Set(p.cg.map((t) => t.k))];
  const pl = pairLoops(p, "u");
  body.push(
    `  // path ${path}: ${p.mode}, ${p.mul1} x ${p.mul2} -> ${p.mulOut} channels`,
    `  for (var u0 = 0u; u0 < ${u32(p.mul1)}; u0 += 4u) {`,
    `    let u = min(vec4u(u0) + vec4u(0u, 1u, 2u, 3u), vec4u(${u32(p.mul1 - 1)}));`,
    ...is.map((i) => `    var acc${i} = vec4f(0.0);`),
    "    for (var q = start; q < end; q++) {",
    ...indent(6, ["let e = src_edges[q];", ...STENCIL_LINES(D.J), `let gb = edge_dst[e] * ${u32(O.stride)} + ${u32(O.off)};`, `let yb = e * ${u32(D.d2)} + ${u32(p.off2)};`]),
    ...indent(6, pl.open),
    ...indent(8, [
      `let idx = ${weightIndex(p, "u", "v", "w")};`,
      `let c = ${laneWeights(p, D.J, vector)};`,
      ...js.map((j) => `let y${j} = ${load(lane.has("v"), "v", (v) => `x2[yb + ${v} * ${u32(p.d2)} + ${u32(j)}]`)};`),
      ...(gVec ? channelVec4s("grad_out", "gb", "u0", p.dOut, ks, "g") : ks.map((k) => `let g${k} = ${load(lane.has("w"), "w", (w) => `grad_out[gb + ${w} * ${u32(p.dOut)} + ${u32(k)}]`)};`)),
      ...is.flatMap((i) => {
        const terms = p.cg.filter((t) => t.i === i).map((t) => `${f32(t.c)} * y${t.j} * g${t.k}`);
        return terms.length ? [`acc${i} += c * (${sum(terms)});`] : [];
      }),
    ]),
    ...indent(6, Array(pl.close).fill("}")),
    "    }",
    ...[0, 1, 2, 3].flatMap((l) => [
      `    if (u0 + ${u32(l)} < ${u32(p.mul1)}) {`,
      `      let o = row * ${u32(D.d1)} + ${u32(p.off1)} + (u0 + ${u32(l)}) * ${u32(p.d1)};`,
      ...is.map((i) => `      grad_x1[o + ${u32(i)}] += ${f32(scale)} * acc${i}.${LANES[l]};`),
      "    }",
    ]),
    "  }",
  );
  const bindings = [readF32("x2"), readF32("stencil"), vector ? readVec4("table4") : readF32("table"), gVec ? readVec4("grad_out") : readF32("grad_out"), writeF32("grad_x1"), readU32("src_offsets"), readU32("src_edges"), readU32("edge_dst")];
  return describedRowKernel(`conv_fused_backward_input_${path}`, "nodes", bindings, body);
}

/** A path's weights are whole aligned blocks of 4 in the table: each grid node's 4 partial sums are one vec4. */
const wholeWeightBlocks = (p: Path, D: Dims) => p.offW % 4 === 0 && D.J % 4 === 0 && p.numel % 4 === 0;

/**
 * For the weight gradients' 4 lanes (weights idx0 .. idx0 + 3): whether x1's and grad_out's 4 channels are
 * contiguous, so channelVec4s reads them: u = w = idx0 + lane (uvu with one v, uuu), never clamped.
 */
function laneChannelVectors(p: Path, D: Dims, O: { stride: number; off: number }): { x1Vec: boolean; gVec: boolean } {
  const laneChannels = (p.mode === "uuu" || (p.mode === "uvu" && p.mul2 === 1)) && p.numel % 4 === 0;
  return { x1Vec: laneChannels && aligned(D.d1, p.off1), gVec: laneChannels && aligned(O.stride, O.off) };
}

/**
 * Lines computing, for edge `e` and the 4 lanes' weights (u, v, w decoded from `idx`), `g` = scale ·
 * ∂L/∂w_e (a vec4), and `s` = the edge's stencil offset. Bindings read: x1, x2, grad_out, edge_src, edge_dst.
 */
function edgeWeightGradient(p: Path, D: Dims, O: { stride: number; off: number }, scale: number): string[] {
  const ks = [...new Set(p.cg.map((t) => t.k))], is = [...new Set(p.cg.map((t) => t.i))], js = [...new Set(p.cg.map((t) => t.j))];
  const vConst = p.mul2 === 1 && !p.mode.startsWith("uu"); // v is 0 for every lane
  const { x1Vec, gVec } = laneChannelVectors(p, D, O);
  return [
    "let s = e * 5u;",
    `let xb = edge_src[e] * ${u32(D.d1)} + ${u32(p.off1)};`,
    `let yb = e * ${u32(D.d2)} + ${u32(p.off2)};`,
    `let gb = edge_dst[e] * ${u32(O.stride)} + ${u32(O.off)};`,
    ...(x1Vec ? channelVec4s("x1", "xb", "idx0", p.d1, is, "a") : is.map((i) => `let a${i} = ${load(true, "u", (u) => `x1[xb + ${u} * ${u32(p.d1)} + ${u32(i)}]`)};`)),
    ...js.map((j) => `let y${j} = ${vConst ? `x2[yb + ${u32(j)}]` : load(true, "v", (v) => `x2[yb + ${v} * ${u32(p.d2)} + ${u32(j)}]`)};`),
    ...(gVec ? channelVec4s("grad_out", "gb", "idx0", p.dOut, ks, "gv") : ks.map((k) => `let gv${k} = ${load(true, "w", (w) => `grad_out[gb + ${w} * ${u32(p.dOut)} + ${u32(k)}]`)};`)),
    `let g = ${f32(scale)} * (${sum(ks.map((k) => `gv${k} * (${sum(p.cg.filter((t) => t.k === k).map((t) => `${f32(t.c)} * a${t.i} * y${t.j}`))})`))});`,
  ];
}

/**
 * The GPU shape's weight partials (radial-table.ts, stagedTablePartialKernel), for a path with weights (else
 * undefined). The per-invocation kernel below gives each (chunk, 4 weights) one thread that walks the chunk's
 * thousands of edges alone: a few thousand threads on a GPU that runs a quarter million. Here a workgroup owns
 * the pair, each of its threads one edge per round. Bindings as the per-invocation kernel's (the partial table
 * as `partial4` when the path's weights are whole aligned blocks of 4, else `partial`).
 */
export function fusedConvWeightPartialWorkgroupKernel(tp: TensorProductIR, scale: number, cells: number, path: number, chunkEdges: number, group?: Columns): RowKernel | undefined {
  const D = dimsOf(tp, scale);
  const p = pathsOf(tp)[path]!;
  if (!p.hasWeight || p.numel === 0) return undefined;
  const O = outLayout(p, D, group);
  const { x1Vec, gVec } = laneChannelVectors(p, D, O);
  return stagedTablePartialKernel({
    label: `conv_fused_weight_partial_wg_${path}`,
    note: `path ${path}: ${p.mode}`,
    cells, cols: D.J, firstCol: p.offW, colCount: p.numel, chunkEdges,
    reads: [x1Vec ? readVec4("x1") : readF32("x1"), readF32("x2"), gVec ? readVec4("grad_out") : readF32("grad_out"), readF32("stencil")],
    indices: [readU32("edge_src"), readU32("edge_dst")],
    prologue: [`let idx = min(vec4u(idx0) + vec4u(0u, 1u, 2u, 3u), vec4u(${u32(p.numel - 1)}));`, ...decode(p)],
    edge: edgeWeightGradient(p, D, O, scale),
  });
}

/** (u, v, w) of weight index `idx` within a path's block (inverse of weightIndex). */
function decode(p: Path): string[] {
  switch (p.mode) {
    case "uvw": return [`let w = idx % ${u32(p.mulOut)};`, `let u = idx / ${u32(p.mul2 * p.mulOut)};`, `let v = (idx / ${u32(p.mulOut)}) % ${u32(p.mul2)};`];
    case "uvu": return [`let u = idx / ${u32(p.mul2)};`, `let v = idx % ${u32(p.mul2)};`, "let w = u;"];
    case "uvv": return [`let u = idx / ${u32(p.mul2)};`, `let v = idx % ${u32(p.mul2)};`, "let w = v;"];
    case "uuw": return [`let u = idx / ${u32(p.mulOut)};`, "let v = u;", `let w = idx % ${u32(p.mulOut)};`];
    case "uuu": return ["let u = idx;", "let v = idx;", "let w = idx;"];
  }
}

/**
 * rows = { count: chunks x ceil(numel / 4) } for path `path` (none for a path without weights): invocation
 * (c, b) owns weights j = offW + 4b .. offW + 4b + 3; it zeroes their columns of partial table c, then adds,
 * for each edge of chunk c in order, L_m · g_e[j] at the stencil's nodes, g_e[j] = scale · <grad_out[dst_e] of the weight's output
 * channel, the coupled product of x1[src_e] and x2[e]>.
 * Bindings: x1, x2, grad_out, stencil (read); partial (write; as `partial4`, array<vec4f>, when the path's
 * weights are whole aligned blocks of 4); edge_src, edge_dst (u32). The CPU shape's: the GPU shape's is
 * fusedConvWeightPartialWorkgroupKernel.
 */
export function fusedConvWeightPartialKernel(tp: TensorProductIR, scale: number, cells: number, chunks: number, path: number, group?: Columns): RowKernel | undefined {
  const D = dimsOf(tp, scale), J = u32(D.J), nodes = cells + 1;
  const p = pathsOf(tp)[path]!;
  if (!p.hasWeight || p.numel === 0) return undefined;
  const O = outLayout(p, D, group);
  // 4 consecutive weights per invocation: an edge's stencil, endpoints and x2 load once per 4 weights.
  const NB = Math.ceil(p.numel / 4);
  // Whole aligned blocks of 4 weights: each grid node's 4 partial sums are one vec4.
  const vector = wholeWeightBlocks(p, D);
  const lanes = [0, 1, 2, 3];
  const body = [
    OPAQUE_ZERO,
    `  // path ${path}: ${p.mode}`,
    `  let chunk = row / ${u32(NB)};`,
    `  let idx0 = (row % ${u32(NB)}) * 4u;`,
    `  let idx = min(vec4u(idx0) + vec4u(0u, 1u, 2u, 3u), vec4u(${u32(p.numel - 1)}));`,
    `  let per = (params.edges + ${u32(chunks - 1)}) / ${u32(chunks)};`,
    "  let e0 = min(chunk * per, params.edges);",
    "  let e1 = min(e0 + per, params.edges);",
    `  let base = chunk * ${u32(nodes * D.J)} + ${u32(p.offW)} + idx0;`,
    `  let n = min(4u, ${u32(p.numel)} - idx0);`,
    vector
      ? `  for (var k = 0u; k < ${opaqueBound(nodes)}; k++) { partial4[base / 4u + k * ${u32(D.J / 4)}] = vec4f(0.0); }`
      : `  for (var k = 0u; k < ${opaqueBound(nodes)}; k++) { for (var l = 0u; l < n; l++) { partial[base + k * ${J} + l] = 0.0; } }`,
    ...indent(2, decode(p)),
    "  for (var e = e0; e < e1; e++) {",
    ...indent(4, [
      ...edgeWeightGradient(p, D, O, scale),
      `let o = base + u32(stencil[s]) * ${J};`,
      "let l = vec4f(stencil[s + 1u], stencil[s + 2u], stencil[s + 3u], stencil[s + 4u]);",
      ...(vector
        ? [0, 1, 2, 3].map((m) => `partial4[o / 4u + ${u32((m * D.J) / 4)}] += l.${LANES[m]} * g;`)
        : lanes.flatMap((lane) => [
            `if (${u32(lane)} < n) {`,
            ...[0, 1, 2, 3].map((m) => `  partial[o + ${u32(m * D.J + lane)}] += l.${LANES[m]} * g.${LANES[lane]};`),
            "}",
          ])),
    ]),
    "  }",
  ];
  const { x1Vec, gVec } = laneChannelVectors(p, D, O);
  const bindings = [x1Vec ? readVec4("x1") : readF32("x1"), readF32("x2"), gVec ? readVec4("grad_out") : readF32("grad_out"), readF32("stencil"), vector ? writeVec4("partial4") : writeF32("partial"), readU32("edge_src"), readU32("edge_dst")];
  return describedRowKernel(`conv_fused_weight_partial_${path}`, { count: chunks * NB }, bindings, body);
}

