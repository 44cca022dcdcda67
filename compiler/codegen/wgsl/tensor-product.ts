/**
 * WGSL for one tensor product (e3nn semantics, any instruction list), forward and backward, one invocation
 * per row. The paths and their sparse Wigner 3j coefficients (with the path weights) are a constant table
 * the compiler builds (`tensorProductTable`), uploaded once; the kernel walks it.
 *
 * Why a table and not unrolled code: lavapipe compiles a shader with LLVM at its first dispatch, and that
 * time grows faster than the code. Measured here, cold: unrolled θ ⊗ Y products of 9 / 27 / 54 KB of WGSL
 * took 0.8 / 7.3 / 23 s, and the lmax-4 relaxed convolution's backward (204 KB) minutes. The table-driven
 * kernel is a few KB whatever the product, and identical for products of the same shape class, so one
 * pipeline serves many layers.
 *
 * Bindings: see `tensorProductBindings`. The gradients are written per row (rows x dim): where x1 is
 * gathered or broadcast, x2 broadcast, or the weights shared, the caller reduces them deterministically
 * (CSR by source, column sums) — no float atomics.
 */
import type { TensorProductIR } from "../../ir/types.js";
import { Irreps } from "../../o3/irreps.js";
import { wigner3jSparse } from "../../o3/wigner3j.js";
import { type Binding, rowKernelCode, u32 } from "./common.js";

export interface TensorProductKernelOptions {
  /** Where row r's x1 is: row r (default), row idx1[r] (a gather, e.g. an edge's source node), or row 0 for every r. */
  x1?: "row" | "gather" | "broadcast";
  /** Where row r's x2 is: row r (default) or row 0 for every r (θ, or the constant 1x0e of a linear layer). */
  x2?: "row" | "broadcast";
  /** With shared weights: where they start in the weight buffer (the model's flat parameters). Default 0. */
  weightOffset?: number;
}

/** Storage bindings in order, by their names in the WGSL. `tp_table` holds `tensorProductTable(tp)`. */
export function tensorProductBindings(kind: "forward" | "backward", options: TensorProductKernelOptions = {}): string[] {
  const names =
    kind === "forward"
      ? ["x1", "x2", "weight", "tp_table", "out"]
      : ["x1", "x2", "weight", "grad_out", "tp_table", "grad_x1", "grad_x2", "grad_weight"];
  return options.x1 === "gather" ? [...names, "idx1"] : names;
}

const MODES = { uvw: 0, uvu: 1, uvv: 2, uuw: 3, uuu: 4 } as const;
const PATH_STRIDE = 16;

/**
 * The table a tensor-product kernel walks (f32; indices are small integers, exact in f32). Per path, 16
 * numbers: off1, off2, offOut, offW, mul1, mul2, mulOut, d1, d2, dOut, cgStart, cgCount, mode, hasWeight,
 * pathWeight, 0; then the Wigner 3j entries, 4 numbers each: i, j, k, C_ijk.
 */
export function tensorProductTable(tp: TensorProductIR): Float32Array {
  const [a, b, o] = [Irreps.parse(tp.irrepsIn1), Irreps.parse(tp.irrepsIn2), Irreps.parse(tp.irrepsOut)];
  const [oa, ob, oo] = [a.offsets, b.offsets, o.offsets];
  const cgStart = new Map<string, [number, number]>();
  const cg: number[] = [];
  const cgBase = tp.instructions.length * PATH_STRIDE;
  for (const ins of tp.instructions) {
    const key = `${a.get(ins.i1).l},${b.get(ins.i2).l},${o.get(ins.iOut).l}`;
    if (cgStart.has(key)) continue;
    const s = wigner3jSparse(a.get(ins.i1).l, b.get(ins.i2).l, o.get(ins.iOut).l);
    cgStart.set(key, [cgBase + cg.length, s.value.length]);
    for (let t = 0; t < s.value.length; t++) cg.push(s.i[t]!, s.j[t]!, s.k[t]!, s.value[t]!);
  }
  const paths = tp.instructions.flatMap((ins) => {
    const [x, y, z] = [a.get(ins.i1), b.get(ins.i2), o.get(ins.iOut)];
    const [start, count] = cgStart.get(`${x.l},${y.l},${z.l}`)!;
    return [
      oa[ins.i1]!, ob[ins.i2]!, oo[ins.iOut]!, Math.max(0, ins.weightOffset), x.mul, y.mul, z.mul, x.ir.dim, y.ir.dim, z.ir.dim,
      start, count, MODES[ins.mode], ins.hasWeight ? 1 : 0, ins.pathWeight, 0,
    ];
  });
  return Float32Array.from([...paths, ...cg]);
}

function maxOutDim(tp: TensorProductIR): number {
  const o = Irreps.parse(tp.irrepsOut);
  return Math.max(1, ...tp.instructions.map((i) => o.get(i.iOut).ir.dim));
}

function bindingsOf(kind: "forward" | "backward", gather: boolean): Binding[] {
  const ro = (name: string, type: Binding["type"] = "array<f32>"): Binding => ({ name, type, access: "read" });
  const rw = (name: string): Binding => ({ name, type: "array<f32>", access: "read_write" });
  const list =
    kind === "forward"
      ? [ro("x1"), ro("x2"), ro("weight"), ro("tp_table"), rw("out")]
      : [ro("x1"), ro("x2"), ro("weight"), ro("grad_out"), ro("tp_table"), rw("grad_x1"), rw("grad_x2"), rw("grad_weight")];
  if (gather) list.push(ro("idx1", "array<u32>"));
  return list;
}

/** Module-scope helpers: a path's fields, and where a (u, v, w) term reads its weight and writes its output. */
const HELPERS = `
struct TpPath { off1: u32, off2: u32, offOut: u32, offW: u32, mul1: u32, mul2: u32, mulOut: u32, d1: u32, d2: u32, dOut: u32, cgStart: u32, cgCount: u32, mode: u32, hasWeight: bool, pw: f32 }

fn tp_path(p: u32) -> TpPath {
  let h = p * ${u32(PATH_STRIDE)};
  return TpPath(u32(tp_table[h]), u32(tp_table[h + 1u]), u32(tp_table[h + 2u]), u32(tp_table[h + 3u]), u32(tp_table[h + 4u]),
    u32(tp_table[h + 5u]), u32(tp_table[h + 6u]), u32(tp_table[h + 7u]), u32(tp_table[h + 8u]), u32(tp_table[h + 9u]),
    u32(tp_table[h + 10u]), u32(tp_table[h + 11u]), u32(tp_table[h + 12u]), tp_table[h + 13u] != 0.0, tp_table[h + 14u]);
}

// uvw and uuw have an output multiplicity loop (w); the other modes write one channel per (u, v).
fn tp_w_count(q: TpPath) -> u32 { return select(1u, q.mulOut, q.mode == 0u || q.mode == 3u); }

fn tp_weight_index(q: TpPath, u: u32, v: u32, w: u32) -> u32 {
  switch q.mode {
    case 0u: { return (u * q.mul2 + v) * q.mulOut + w; }
    case 1u, 2u: { return u * q.mul2 + v; }
    case 3u: { return u * q.mulOut + w; }
    default: { return u; }
  }
}

fn tp_out_channel(q: TpPath, u: u32, v: u32, w: u32) -> u32 {
  switch q.mode {
    case 0u, 3u: { return w; }
    case 2u: { return v; }
    default: { return u; }
  }
}`;

function rowBases(tp: TensorProductIR, o: TensorProductKernelOptions): string[] {
  const x1 = o.x1 ?? "row", x2 = o.x2 ?? "row";
  const [d1, d2, dOut] = [tp.irrepsIn1, tp.irrepsIn2, tp.irrepsOut].map((s) => Irreps.parse(s).dim) as [number, number, number];
  return [
    `  let base1 = ${x1 === "broadcast" ? "0u" : `${x1 === "gather" ? "idx1[row]" : "row"} * ${u32(d1)}`};`,
    `  let base2 = ${x2 === "broadcast" ? "0u" : `row * ${u32(d2)}`};`,
    `  let baseW = ${tp.sharedWeights ? u32(o.weightOffset ?? 0) : `row * ${u32(Math.max(tp.weightNumel, 1))}`};`,
    `  let baseO = row * ${u32(dOut)};`,
    `  let baseG1 = row * ${u32(d1)};`,
    `  let baseG2 = row * ${u32(d2)};`,
    `  let baseGW = row * ${u32(Math.max(tp.weightNumel, 1))};`,
    `  let dim1 = ${u32(d1)};`,
    `  let dim2 = ${u32(d2)};`,
    `  let dimOut = ${u32(dOut)};`,
  ];
}

/** The loops shared by both passes: per path, per (u, v), the coupled values t[k] = Σ C_ijk x1[u,i] x2[v,j]. */
function pathLoops(tp: TensorProductIR, inner: string[]): string[] {
  return [
    `  for (var p = 0u; p < ${u32(tp.instructions.length)}; p++) {`,
    "    let q = tp_path(p);",
    "    let uu = q.mode >= 3u;",
    "    for (var u = 0u; u < q.mul1; u++) {",
    "      let vStart = select(0u, u, uu);",
    "      let vEnd = select(q.mul2, u + 1u, uu);",
    "      for (var v = vStart; v < vEnd; v++) {",
    "        let a = base1 + q.off1 + u * q.d1;",
    "        let b = base2 + q.off2 + v * q.d2;",
    `        var t: array<f32, ${maxOutDim(tp)}>;`,
    // Explicit: some drivers keep a loop-body var's storage across iterations.
    `        for (var k = 0u; k < ${u32(maxOutDim(tp))}; k++) { t[k] = 0.0; }`,
    "        for (var e = 0u; e < q.cgCount; e++) {",
    "          let c = q.cgStart + e * 4u;",
    "          let k = u32(tp_table[c + 2u]);",
    "          t[k] += q.pw * tp_table[c + 3u] * x1[a + u32(tp_table[c])] * x2[b + u32(tp_table[c + 1u])];",
    "        }",
    ...inner.map((l) => `        ${l}`),
    "      }",
    "    }",
    "  }",
  ];
}

export function tensorProductForwardWGSL(tp: TensorProductIR, options: TensorProductKernelOptions = {}): string {
  const body = [
    ...rowBases(tp, options),
    "  for (var i = 0u; i < dimOut; i++) { out[baseO + i] = 0.0; }",
    ...pathLoops(tp, [
      "for (var w = 0u; w < tp_w_count(q); w++) {",
      "  let c = select(1.0, weight[baseW + q.offW + tp_weight_index(q, u, v, w)], q.hasWeight);",
      "  let o = baseO + q.offOut + tp_out_channel(q, u, v, w) * q.dOut;",
      "  for (var k = 0u; k < q.dOut; k++) { out[o + k] += c * t[k]; }",
      "}",
    ]),
  ];
  return rowKernelCode(bindingsOf("forward", options.x1 === "gather"), body, [HELPERS.trim()]);
}

export function tensorProductBackwardWGSL(tp: TensorProductIR, options: TensorProductKernelOptions = {}): string {
  const body = [
    ...rowBases(tp, options),
    "  for (var i = 0u; i < dim1; i++) { grad_x1[baseG1 + i] = 0.0; }",
    "  for (var i = 0u; i < dim2; i++) { grad_x2[baseG2 + i] = 0.0; }",
    ...pathLoops(tp, [
      // s[k] = Σ_w c_w g[w, k]; the weight gradient is Σ_k g[w, k] t[k] (t carries the path weight).
      `var s: array<f32, ${maxOutDim(tp)}>;`,
      `for (var k = 0u; k < ${u32(maxOutDim(tp))}; k++) { s[k] = 0.0; }`,
      "for (var w = 0u; w < tp_w_count(q); w++) {",
      "  let o = baseO + q.offOut + tp_out_channel(q, u, v, w) * q.dOut;",
      "  var c = 1.0;",
      "  if (q.hasWeight) {",
      "    let wi = q.offW + tp_weight_index(q, u, v, w);",
      "    c = weight[baseW + wi];",
      "    var dot = 0.0;",
      "    for (var k = 0u; k < q.dOut; k++) { dot += grad_out[o + k] * t[k]; }",
      "    grad_weight[baseGW + wi] = dot;",
      "  }",
      "  for (var k = 0u; k < q.dOut; k++) { s[k] += c * grad_out[o + k]; }",
      "}",
      "let ga = baseG1 + q.off1 + u * q.d1;",
      "let gb = baseG2 + q.off2 + v * q.d2;",
      "for (var e = 0u; e < q.cgCount; e++) {",
      "  let c = q.cgStart + e * 4u;",
      "  let i = u32(tp_table[c]);",
      "  let j = u32(tp_table[c + 1u]);",
      "  let g = q.pw * tp_table[c + 3u] * s[u32(tp_table[c + 2u])];",
      "  grad_x1[ga + i] += g * x2[b + j];",
      "  grad_x2[gb + j] += g * x1[a + i];",
      "}",
    ]),
  ];
  return rowKernelCode(bindingsOf("backward", options.x1 === "gather"), body, [HELPERS.trim()]);
}
