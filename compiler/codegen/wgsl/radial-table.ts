/**
 * The radial MLP of a convolution as a table over the edge length. Its input, the radial embedding, is a
 * function of r alone, so the MLP's outputs are too: evaluated once per pass on K+1 grid points instead of
 * once per edge, then interpolated per edge (cubic Lagrange on 4 grid points); the backward goes through
 * the transposed interpolation.
 *
 * Exactness: the GPU computes the exact gradient of the interpolated model; interpolation changes the
 * function by a relative 2e-7 at most (see radialTableCells), below the f32 noise of the tests. Only
 * bases that are smooth on [start, end] and zero outside qualify (gaussian has no cutoff, cosine has
 * kinks), with smooth activations (not relu); the grid ends use one-sided stencils, so the kinks of
 * bessel and fourier at start and end are never straddled. At ~16 edges per grid node it is ~16x fewer
 * MLP evaluations than per edge.
 *
 * Grid: node k at r_k = start + k h, h = (end - start) / K. Per edge a stencil (b, L0..L3): the nodes
 * b .. b+3 and their Lagrange weights at r; all weights 0 outside (start, end), where every qualifying
 * basis is 0. No atomics: the table's gradient sums per-chunk partial tables in a fixed order.
 */
import type { Activation, EdgeAttrIR, RadialMlpIR } from "../../ir/types.js";
import { radialBasis } from "../../nn/radial-basis.js";
import { type Binding, bindingLayout, declareBindings, describedRowKernel, dropUnusedLets, f32, OPAQUE_ZERO, readF32, readU32, type RowKernel, u32, writeF32, writeVec4 } from "./common.js";
import { edgeVectorLines, type RadialBasisIR } from "./edge-geometry.js";
import type { RowDomain } from "./kernel.js";

const SMOOTH_BASES = new Set<RadialBasisIR["basis"]>(["smooth_finite", "bessel", "fourier"]);
const SMOOTH_ACTIVATIONS = new Set<Activation>(["silu", "tanh", "sigmoid", "identity"]);

/** Numbers per edge stencil: the first node, then the four weights. */
export const STENCIL_COLS = 5;

/** Whether an MLP on this embedding can be tabulated without leaving the f32 tolerances. */
export function radialTableApplies(attr: EdgeAttrIR | undefined, mlp: RadialMlpIR): attr is RadialBasisIR {
  return attr?.op === "radial_basis" && SMOOTH_BASES.has(attr.basis) && SMOOTH_ACTIVATIONS.has(mlp.act) && attr.cutoff > attr.start;
}

/**
 * Grid cells K. Measured in f64 (radial-table.test.ts), worst relative error over r of the interpolated MLP
 * with standard-normal weights (e3nn's initialisation) and with e3nn's own weights: smooth_finite (its
 * exp(-1/x) steps have the largest high derivatives) up to 3.4e-6 at 1024 cells (tanh; silu 1.1e-6), below
 * 1e-6 at 1536, 2.1e-7 at 2048; bessel 2.1e-7 and fourier 4.2e-8 at 1024. Each stays a tenth below the f32
 * tolerance (1e-5) with the fewest cells that do: the table is evaluated (and differentiated) every step, at
 * N = 1000 2048 cells cost 15% of the benchmark's forward + backward, 1536 half as much.
 */
export function radialTableCells(attr: RadialBasisIR): number {
  return attr.basis === "smooth_finite" ? 1536 : 1024;
}

/**
 * The embedding at the K+1 grid nodes, (K+1) x count, in f64 from the reference. The end nodes take the
 * limits from inside the interval (bessel's sin(kx)/x is not 0 at x -> 0+), since only edges strictly inside
 * interpolate.
 */
export function radialTableEmbedding(attr: RadialBasisIR, cells: number): number[] {
  const h = (attr.cutoff - attr.start) / cells;
  const out: number[] = [];
  for (let k = 0; k <= cells; k++) {
    const r = k === 0 ? attr.start + 1e-9 * h : k === cells ? attr.cutoff - 1e-9 * h : attr.start + k * h;
    out.push(...radialBasis(attr, r).value);
  }
  return out;
}

/**
 * rows = edges: `stencil` (edges x 5) from the edge length (same |v| as the edge-geometry kernels).
 * Bindings: `pos` (read), `stencil` (write), `src`, `dst` (u32), and with `shift` the edges' lattice shifts
 * (read, edges x 3), as the edge-geometry kernels take them.
 */
export function radialStencilKernel(attr: RadialBasisIR, cells: number, options: { shift?: boolean } = {}): RowKernel {
  if (cells < 3) throw new Error(`radial table: ${cells} cells, need at least 3`);
  const body = [
    ...edgeVectorLines({ shift: options.shift ?? false }),
    `  let p = (r - ${f32(attr.start)}) * ${f32(cells / (attr.cutoff - attr.start))};`,
    `  let inside = r > ${f32(attr.start)} && r < ${f32(attr.cutoff)};`,
    `  let b = clamp(floor(p) - 1.0, 0.0, ${f32(cells - 3)});`,
    "  let t = p - b;",
    "  let s = row * 5u;",
    "  stencil[s] = b;",
    "  stencil[s + 1u] = select(0.0, -(t - 1.0) * (t - 2.0) * (t - 3.0) * (1.0 / 6.0), inside);",
    "  stencil[s + 2u] = select(0.0, t * (t - 2.0) * (t - 3.0) * 0.5, inside);",
    "  stencil[s + 3u] = select(0.0, -t * (t - 1.0) * (t - 3.0) * 0.5, inside);",
    "  stencil[s + 4u] = select(0.0, t * (t - 1.0) * (t - 2.0) * (1.0 / 6.0), inside);",
  ];
  return describedRowKernel("radial_stencil", "edges", [readF32("pos"), writeF32("stencil"), readU32("src"), readU32("dst"), ...(options.shift ? [readF32("shift")] : [])], body);
}

/** rows = edges: out[e] = Σ_m L_m table[b + m], rows of `cols`. Bindings `stencil`, `table` (read), `out` (write). */
export function radialInterpolateKernel(cols: number): RowKernel {
  const J = u32(cols);
  const body = [
    "  let s = row * 5u;",
    `  let t0 = u32(stencil[s]) * ${J};`,
    "  let l = vec4f(stencil[s + 1u], stencil[s + 2u], stencil[s + 3u], stencil[s + 4u]);",
    `  for (var j = 0u; j < ${J}; j++) {`,
    `    let v = vec4f(table[t0 + j], table[t0 + ${J} + j], table[t0 + ${u32(2 * cols)} + j], table[t0 + ${u32(3 * cols)} + j]);`,
    `    out[row * ${J} + j] = dot(l, v);`,
    "  }",
  ];
  return describedRowKernel("radial_interpolate", "edges", [readF32("stencil"), readF32("table"), writeF32("out")], body);
}

/**
 * Edge chunks of the table gradient. Each chunk costs a partial table to zero and to sum, so few: 4 chunks x
 * the weights already make hundreds of invocations, enough for a CPU device; fewer when 4 partial tables
 * would pass 64 MiB.
 */
export function radialTableChunks(cells: number, cols: number): number {
  return Math.max(1, Math.min(4, Math.floor((16 * 2 ** 20) / ((cells + 1) * cols))));
}

/**
 * The transposed interpolation, stage 1: rows = { count: chunks x cols }; invocation (c, j) sums column j of
 * the per-edge gradients of its contiguous edge chunk onto its own partial table (zeroed first), in edge
 * order. Bindings `stencil`, `grad_rows` (edges x cols, read), `partial` (chunks x (K+1) x cols, write).
 * The CPU shape's: the GPU shape's is radialTablePartialWorkgroupKernel.
 */
export function radialTablePartialKernel(cells: number, cols: number, chunks: number): RowKernel {
  const J = u32(cols), nodes = cells + 1;
  const body = [
    `  let c = row / ${J};`,
    `  let j = row % ${J};`,
    `  let per = (params.edges + ${u32(chunks - 1)}) / ${u32(chunks)};`,
    "  let e0 = min(c * per, params.edges);",
    "  let e1 = min(e0 + per, params.edges);",
    `  let base = c * ${u32(nodes * cols)} + j;`,
    `  for (var k = 0u; k < ${u32(nodes)}; k++) { partial[base + k * ${J}] = 0.0; }`,
    "  for (var e = e0; e < e1; e++) {",
    "    let s = e * 5u;",
    `    let g = grad_rows[e * ${J} + j];`,
    `    let o = base + u32(stencil[s]) * ${J};`,
    "    partial[o] += stencil[s + 1u] * g;",
    `    partial[o + ${J}] += stencil[s + 2u] * g;`,
    `    partial[o + ${u32(2 * cols)}] += stencil[s + 3u] * g;`,
    `    partial[o + ${u32(3 * cols)}] += stencil[s + 4u] * g;`,
    "  }",
  ];
  return describedRowKernel("radial_table_partial", { count: chunks * cols }, [readF32("stencil"), readF32("grad_rows"), writeF32("partial")], body);
}

/** Stage 2: rows = { count: (K+1) x cols }: grad_table = Σ_c partial[c], chunks in order. */
export function radialTableReduceKernel(cells: number, cols: number, chunks: number): RowKernel {
  const body = [
    "  var s = 0.0;",
    `  for (var c = 0u; c < ${u32(chunks)}; c++) { s += partial[c * ${u32((cells + 1) * cols)} + row]; }`,
    "  grad_table[row] = s;",
  ];
  return describedRowKernel("radial_table_reduce", { count: (cells + 1) * cols }, [readF32("partial"), writeF32("grad_table")], body);
}

/** Edges staged per round by stagedTablePartialKernel: its threads per workgroup. */
export const STAGED_THREADS = 256;

export interface StagedPartial {
  label: string;
  /** A comment line naming what the kernel sums. */
  note: string;
  cells: number;
  /** Columns of the table (and of each chunk's partial table). */
  cols: number;
  /** The columns this kernel covers, firstCol .. firstCol + colCount - 1, in blocks of 4 (the last may be short). */
  firstCol: number;
  colCount: number;
  chunkEdges: number;
  /** Bindings read besides the partial table (stencil among them), and the u32 ones. */
  reads: Binding[];
  indices: Binding[];
  /** Lines (given `idx0`, the block's first column minus firstCol) run once per workgroup. */
  prologue: string[];
  /** Lines that, given edge `e`, define `s` (its stencil offset, e * 5) and `g` (its 4 columns' gradient, a vec4). */
  edge: string[];
}

/**
 * A radial table's per-chunk partial gradient, shaped for GPUs: a workgroup of 256 threads per (chunk of
 * `chunkEdges` edges, block of 4 columns). Per round each thread computes one edge's gradient and stages it
 * with the edge's stencil in workgroup memory; after a barrier each thread owns a run of grid nodes and adds
 * every staged edge that touches them, in edge order, into registers; at the end it writes its nodes' sums
 * into the chunk's partial table (chunks x (K+1) x cols, as radialTablePartialKernel's). Each node's sum runs
 * in edge order, so results are bit-identical from run to run; no atomics; every loop is bounded by the
 * chunk's size, and only the rounds that hold edges run. On a CPU device this is serial work (each thread
 * scans every staged edge), so only the GPU shape uses it.
 * rows = ceil(edges / chunkEdges) x colBlocks x 256 (a workgroup per pair); KernelPlan.workgroupSize 256.
 */
export function stagedTablePartialKernel(k: StagedPartial): RowKernel {
  const T = STAGED_THREADS, nodes = k.cells + 1, perThread = Math.ceil(nodes / T), rounds = Math.ceil(k.chunkEdges / T);
  const colBlocks = Math.ceil(k.colCount / 4);
  // Whole aligned blocks of 4: each node's 4 sums are one vec4 of the partial table; else 4 guarded numbers.
  const vector = k.cols % 4 === 0 && k.firstCol % 4 === 0 && k.colCount % 4 === 0;
  const bindings = [...k.reads, vector ? writeVec4("partial4") : writeF32("partial"), ...k.indices];
  const store = vector
    ? [`      if (c < ${u32(nodes)}) { partial4[(base + c * ${u32(k.cols)}) / 4u] = acc[n]; }`]
    : [`      if (c < ${u32(nodes)}) {`, ...[0, 1, 2, 3].map((j) => `        if (idx0 + ${u32(j)} < ${u32(k.colCount)}) { partial[base + c * ${u32(k.cols)} + ${u32(j)}] = acc[n][${j}]; }`), "      }"];
  const body = dropUnusedLets([
    OPAQUE_ZERO,
    `  // ${k.note}; workgroup = (chunk, 4 columns), thread t owns grid nodes t * ${perThread} ..`,
    "  let item = wid.x + wid.y * nwg.x;",
    `  let chunk = item / ${u32(colBlocks)};`,
    `  let idx0 = (item % ${u32(colBlocks)}) * 4u;`,
    `  let live = chunk < (params.edges + ${u32(k.chunkEdges - 1)}) / ${u32(k.chunkEdges)};`,
    ...k.prologue.map((l) => `  ${l}`),
    `  let c0 = t * ${u32(perThread)};`,
    `  var acc: array<vec4f, ${perThread}>;`,
    // Only the rounds that hold edges: the batch's last chunk (and a batch smaller than a chunk) has fewer.
    `  let held = min(params.edges - min(chunk * ${u32(k.chunkEdges)}, params.edges), ${u32(k.chunkEdges)});`,
    `  for (var r = 0u; r < min((held + ${u32(T - 1)}) / ${u32(T)}, ${u32(rounds)}); r++) {`,
    `    let q = r * ${u32(T)} + t;`,
    `    let e = chunk * ${u32(k.chunkEdges)} + q;`,
    // An edge no thread owns a node of: its b + m never lands in [c0, c0 + perThread).
    `    var sb = ${u32(T * perThread)};`,
    "    var sg = vec4f(0.0);",
    "    var sl = vec4f(0.0);",
    `    if (live && q < ${u32(k.chunkEdges)} && e < params.edges) {`,
    ...k.edge.map((l) => `      ${l}`),
    "      sb = u32(stencil[s]);",
    "      sg = g;",
    "      sl = vec4f(stencil[s + 1u], stencil[s + 2u], stencil[s + 3u], stencil[s + 4u]);",
    "    }",
    "    stage_b[t] = sb;",
    "    stage_g[t] = sg;",
    "    stage_l[t] = sl;",
    "    workgroupBarrier();",
    `    for (var i = 0u; i < ${u32(T)}; i++) {`,
    "      let b = stage_b[i];",
    `      if (b + 3u >= c0 && b < c0 + ${u32(perThread)}) {`,
    "        let gi = stage_g[i];",
    "        let li = stage_l[i];",
    "        for (var m = 0u; m < 4u; m++) {",
    "          let c = b + m;",
    `          if (c >= c0 && c < c0 + ${u32(perThread)}) { acc[c - c0] += li[m] * gi; }`,
    "        }",
    "      }",
    "    }",
    "    workgroupBarrier();",
    "  }",
    "  if (live) {",
    `    let base = chunk * ${u32(nodes * k.cols)} + ${u32(k.firstCol)} + idx0;`,
    `    for (var n = 0u; n < ${u32(perThread)}; n++) {`,
    "      let c = c0 + n;",
    ...store,
    "    }",
    "  }",
  ], [], bindings.map((b) => b.name));
  const code = [
    declareBindings(bindings),
    "",
    `var<workgroup> stage_b: array<u32, ${T}>;`,
    `var<workgroup> stage_g: array<vec4f, ${T}>;`,
    `var<workgroup> stage_l: array<vec4f, ${T}>;`,
    "",
    `@compute @workgroup_size(${T})`,
    "fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) t: u32) {",
    ...body,
    "}",
    "",
  ].join("\n");
  const rows: RowDomain = { per: "edges", block: k.chunkEdges, times: colBlocks * T };
  return { label: k.label, code, rows, ...bindingLayout(bindings), workgroupSize: T };
}

/**
 * The GPU shape's table partial of an unfused radial MLP (the per-edge gradients in `grad_rows`, edges x cols)
 * by workgroup (stagedTablePartialKernel). Bindings `stencil`, `grad_rows` (read), `partial4` when cols is a
 * multiple of 4, else `partial`.
 */
export function radialTablePartialWorkgroupKernel(cells: number, cols: number, chunkEdges: number): RowKernel {
  const J = u32(cols), last = u32(cols - 1);
  return stagedTablePartialKernel({
    label: "radial_table_partial_wg", note: "a radial table's gradient", cells, cols, firstCol: 0, colCount: cols, chunkEdges,
    reads: [readF32("stencil"), readF32("grad_rows")], indices: [], prologue: [],
    // Columns past the last of a short final block read its last column and count 0.
    edge: ["let s = e * 5u;", `let g = vec4f(${[0, 1, 2, 3].map((j) => `select(0.0, grad_rows[e * ${J} + min(idx0 + ${u32(j)}, ${last})], idx0 + ${u32(j)} < ${J})`).join(", ")});`],
  });
}
