/**
 * Equivariant linear layers (a tensor product with the constant 1x0e, uvw paths l -> l) as register-blocked
 * channel maps: out[n, w, m] = Σ_paths Σ_u c_path W[u, w] x[n, u, m], with c_path = path weight · C(l, 0, l)
 * (diagonal in m). An invocation owns a node and 4 output channels at a time (one vec4 accumulator per
 * component m), so weights load as vec4s and each x value feeds 4 multiply-adds.
 *
 * Table-driven like tensor-product.ts: the blocks, paths, offsets and coefficients are a small constant table
 * per layer and irrep dimension, and the WGSL depends only on the dimension d (unrolled over m) and the pass.
 * So every linear layer of a model shares 3 kernels per d, compiled once: lavapipe's compile time grows
 * faster than a kernel, and specialised kernels for the benchmark's three linear layers took ~20 s cold.
 *
 * Kernels (deterministic, each invocation owns what it writes):
 *   map (forward, assigns; input backward, adds)  rows = nodes, table `lin_table`:
 *     [dimIn, dimOut, blocks, then per block: offOut, nOut, segments, then per segment: offIn, count, offW,
 *      strideK, strideO, c]; block output channel o gets Σ_seg c Σ_k W[offW + k strideK + o strideO] in[offIn + k d + m].
 *   weight gradient  rows = 4 x 4 blocks of every path's W, table `lin_table`: [dimIn, dimOut, paths, then per
 *     path: off1, mul1, offOut, mulOut, offW, c, firstRow]; dW[u, w] = c Σ_n Σ_m x[n,u,m] g[n,w,m] summed over
 *     nodes in order, assigned into grad_params.
 */
import type { TensorProductIR } from "../../ir/types.js";
import { Irreps } from "../../o3/irreps.js";
import { wigner3jSparse } from "../../o3/wigner3j.js";
import { describedRowKernel, readF32, type RowKernel, u32, writeF32 } from "./common.js";
import type { RowDomain } from "./kernel.js";
import { groupOf, type Columns } from "../column-groups.js";

interface LinPath { off1: number; mul1: number; offOut: number; mulOut: number; d: number; offW: number; c: number; i1: number; iOut: number }

/** The product's paths when it is a plain linear map (uvw, second operand 1x0e, shared weights), else undefined. */
function linearPaths(tp: TensorProductIR, weightOffset = 0): LinPath[] | undefined {
  if (Irreps.parse(tp.irrepsIn2).dim !== 1 || !tp.sharedWeights) return undefined;
  const [a, o] = [Irreps.parse(tp.irrepsIn1), Irreps.parse(tp.irrepsOut)];
  const paths: LinPath[] = [];
  for (const ins of tp.instructions) {
    const [x, z] = [a.get(ins.i1), o.get(ins.iOut)];
    if (ins.mode !== "uvw" || !ins.hasWeight || x.ir.l !== z.ir.l) return undefined;
    const s = wigner3jSparse(x.ir.l, 0, z.ir.l);
    const c = s.value[0]!;
    if (s.value.length !== x.ir.dim || Array.from(s.value).some((v, t) => Math.abs(v - c) > 1e-12 || s.i[t] !== s.k[t])) return undefined;
    paths.push({ off1: a.offsets[ins.i1]!, mul1: x.mul, offOut: o.offsets[ins.iOut]!, mulOut: z.mul, d: x.ir.dim, offW: weightOffset + ins.weightOffset, c: c * ins.pathWeight, i1: ins.i1, iOut: ins.iOut });
  }
  return paths.length ? paths : undefined;
}

export function isPlainLinear(tp: TensorProductIR): boolean {
  return linearPaths(tp) !== undefined;
}

/** One dispatch of a linear layer: a kernel (shared by every layer with the same d and pass), its table, its rows. */
export interface LinearStep {
  kernel: RowKernel;
  table: number[];
  /** undefined: one invocation per node. */
  rows?: number;
  /** Which column group of the layer's input (x, or grad_x in the input backward) the step binds. */
  group: number;
}

/** The input's column groups (the whole input when not split) and each path's group. */
function inputGroups(paths: LinPath[], dimIn: number, groups: readonly Columns[] | undefined) {
  const gs = groups ?? [{ start: 0, cols: dimIn }];
  return { gs, of: (p: LinPath) => groupOf(gs, p.off1, p.mul1 * p.d) };
}

const dims = (tp: TensorProductIR) => [Irreps.parse(tp.irrepsIn1).dim, Irreps.parse(tp.irrepsOut).dim] as const;
const distinct = (xs: number[]) => [...new Set(xs)].sort((p, q) => p - q);

/** The map kernel for irreps of dimension d: `input` (read), `model_params` (read), `lin_table` (read), `output` (assigned or added). */
function mapKernel(d: number, add: boolean): RowKernel {
  const ms = Array.from({ length: d }, (_, m) => m);
  const body = [
    "  let dimIn = u32(lin_table[0]);",
    "  let dimOut = u32(lin_table[1]);",
    "  var h = 3u;",
    "  for (var bl = 0u; bl < u32(lin_table[2]); bl++) {",
    "    let offOut = row * dimOut + u32(lin_table[h]);",
    "    let nOut = u32(lin_table[h + 1u]);",
    "    let segs = u32(lin_table[h + 2u]);",
    "    h += 3u;",
    "    for (var o = 0u; o < nOut; o += 4u) {",
    ...ms.map((m) => `      var acc${m} = vec4f(0.0);`),
    "      // Channels past nOut read a valid weight (clamped) and are never stored.",
    "      let oc = vec4u(o, min(o + 1u, nOut - 1u), min(o + 2u, nOut - 1u), min(o + 3u, nOut - 1u));",
    "      for (var sg = 0u; sg < segs; sg++) {",
    "        let q = h + sg * 6u;",
    "        let inBase = row * dimIn + u32(lin_table[q]);",
    "        let count = u32(lin_table[q + 1u]);",
    "        let wo = u32(lin_table[q + 2u]) + oc * u32(lin_table[q + 4u]);",
    "        let sk = u32(lin_table[q + 3u]);",
    "        let c = lin_table[q + 5u];",
    "        for (var k = 0u; k < count; k++) {",
    "          let wk = wo + k * sk;",
    "          let wv = c * vec4f(model_params[wk.x], model_params[wk.y], model_params[wk.z], model_params[wk.w]);",
    `          let ib = inBase + k * ${u32(d)};`,
    ...ms.map((m) => `          acc${m} += input[ib + ${u32(m)}] * wv;`),
    "        }",
    "      }",
    ...[0, 1, 2, 3].flatMap((lane) => [
      `      if (o + ${u32(lane)} < nOut) {`,
      `        let ob = offOut + (o + ${u32(lane)}) * ${u32(d)};`,
      ...ms.map((m) => `        output[ob + ${u32(m)}] ${add ? "+=" : "="} acc${m}[${lane}];`),
      "      }",
    ]),
    "    }",
    "    h += segs * 6u;",
    "  }",
  ];
  return describedRowKernel(`linear_map_d${d}_${add ? "add" : "assign"}`, "nodes", [readF32("input"), readF32("model_params"), readF32("lin_table"), writeF32("output")], body);
}

/**
 * The forward, one step per irrep dimension and input column group: bindings input = x (its group),
 * output = out. The first step of a dimension assigns every output block of that dimension (blocks no path
 * reaches are written 0), later ones (other groups) add.
 */
export function linearForwardSteps(tp: TensorProductIR, weightOffset: number, groups?: readonly Columns[]): LinearStep[] {
  const paths = linearPaths(tp, weightOffset)!;
  const [dimIn, dimOut] = dims(tp), o = Irreps.parse(tp.irrepsOut);
  const { gs, of } = inputGroups(paths, dimIn, groups);
  const steps: LinearStep[] = [];
  const assigned = new Set<number>();
  const step = (d: number, group: number) => {
    const assign = !assigned.has(d);
    assigned.add(d);
    const table = [gs[group]!.cols, dimOut, 0];
    o.entries.forEach((e, iOut) => {
      if (e.ir.dim !== d) return;
      const ps = paths.filter((p) => p.iOut === iOut && of(p) === group);
      if (!assign && !ps.length) return;
      table[2]!++;
      table.push(o.offsets[iOut]!, e.mul, ps.length, ...ps.flatMap((p) => [p.off1 - gs[group]!.start, p.mul1, p.offW, p.mulOut, 1, p.c]));
    });
    steps.push({ kernel: mapKernel(d, !assign), table, group });
  };
  gs.forEach((_, g) => distinct(paths.filter((p) => of(p) === g).map((p) => p.d)).forEach((d) => step(d, g)));
  for (const d of distinct(o.entries.map((e) => e.ir.dim))) if (!assigned.has(d)) step(d, 0);
  return steps;
}

/** The input gradient, one step per irrep dimension and input column group: input = grad_out, output = grad_x's group (added). */
export function linearBackwardInputSteps(tp: TensorProductIR, weightOffset: number, groups?: readonly Columns[]): LinearStep[] {
  const paths = linearPaths(tp, weightOffset)!;
  const [dimIn, dimOut] = dims(tp), a = Irreps.parse(tp.irrepsIn1);
  const { gs, of } = inputGroups(paths, dimIn, groups);
  // Swapped roles: the blocks are x's irreps; W[u, w] is read transposed (stride 1 over w, mulOut over u).
  return gs.flatMap((g, group) =>
    distinct(paths.filter((p) => of(p) === group).map((p) => p.d)).map((d) => {
      const table = [dimOut, g.cols, 0];
      a.entries.forEach((e, i1) => {
        const ps = paths.filter((p) => p.i1 === i1 && p.d === d && of(p) === group);
        if (!ps.length) return;
        table[2]!++;
        table.push(a.offsets[i1]! - g.start, e.mul, ps.length, ...ps.flatMap((p) => [p.offOut, p.mulOut, p.offW, 1, p.mulOut, p.c]));
      });
      return { kernel: mapKernel(d, true), table, group };
    }),
  );
}

/**
 * `blocks` (the GPU shape): invocation (node block, weight quad) sums its block of `nodeBlock` nodes only and
 * writes row `block` of a partial buffer (`grad_params` bound to it; `weights` columns, weight k of the layer
 * at column k - `base`), which block-sum.ts then sums over the blocks; `rows` is the step's quad count.
 */
interface NodeBlocks {
  /** The rows the layer's values range over (a linear layer may act per node, per edge or per graph). */
  per: "nodes" | "edges" | "graphs";
  nodeBlock: number;
  rows: number;
  base: number;
  weights: number;
}

function weightGradKernel(d: number, per: NodeBlocks["per"], blocks?: NodeBlocks): RowKernel {
  const ms = Array.from({ length: d }, (_, m) => m);
  const at = blocks ? `blk * ${u32(blocks.weights)} + offW - ${u32(blocks.base)}` : "offW";
  const wr = blocks ? "wr" : "row";
  const body = [
    ...(blocks ? [`  let wr = row % ${u32(blocks.rows)};`, `  let blk = row / ${u32(blocks.rows)};`, `  let n0 = blk * ${u32(blocks.nodeBlock)};`, `  let n1 = min(n0 + ${u32(blocks.nodeBlock)}, params.${blocks.per});`] : []),
    "  let dimIn = u32(lin_table[0]);",
    "  let dimOut = u32(lin_table[1]);",
    "  var q = 3u;",
    "  for (var p = 1u; p < u32(lin_table[2]); p++) {",
    `    if (${wr} >= u32(lin_table[3u + p * 7u + 6u])) { q = 3u + p * 7u; }`,
    "  }",
    "  let off1 = u32(lin_table[q]);",
    "  let mul1 = u32(lin_table[q + 1u]);",
    "  let offOut = u32(lin_table[q + 2u]);",
    "  let mulOut = u32(lin_table[q + 3u]);",
    "  let offW = u32(lin_table[q + 4u]);",
    "  let c = lin_table[q + 5u];",
    `  let local = ${wr} - u32(lin_table[q + 6u]);`,
    "  let wb = (mulOut + 3u) / 4u;",
    "  let u0 = (local / wb) * 4u;",
    "  let w0 = (local % wb) * 4u;",
    `  let uc = vec4u(u0, min(u0 + 1u, mul1 - 1u), min(u0 + 2u, mul1 - 1u), min(u0 + 3u, mul1 - 1u)) * ${u32(d)};`,
    `  let wc = vec4u(w0, min(w0 + 1u, mulOut - 1u), min(w0 + 2u, mulOut - 1u), min(w0 + 3u, mulOut - 1u)) * ${u32(d)};`,
    ...[0, 1, 2, 3].map((r) => `  var c${r} = vec4f(0.0);`),
    blocks ? "  for (var nd = n0; nd < n1; nd++) {" : `  for (var nd = 0u; nd < params.${per}; nd++) {`,
    "    let xb = nd * dimIn + off1;",
    "    let gb = nd * dimOut + offOut;",
    ...ms.flatMap((m) => [
      `    let g${m} = vec4f(grad_out[gb + wc.x + ${u32(m)}], grad_out[gb + wc.y + ${u32(m)}], grad_out[gb + wc.z + ${u32(m)}], grad_out[gb + wc.w + ${u32(m)}]);`,
      ...["x", "y", "z", "w"].map((comp, r) => `    c${r} += x[xb + uc.${comp} + ${u32(m)}] * g${m};`),
    ]),
    "  }",
    ...[0, 1, 2, 3].flatMap((r) => [0, 1, 2, 3].map((col) => `  if (u0 + ${u32(r)} < mul1 && w0 + ${u32(col)} < mulOut) { grad_params[${at} + (u0 + ${u32(r)}) * mulOut + w0 + ${u32(col)}] = c * c${r}[${col}]; }`)),
  ];
  const rows: RowDomain = blocks ? { per: blocks.per, block: blocks.nodeBlock, times: blocks.rows } : { count: 0 };
  return describedRowKernel(`linear_weight_grad_d${d}${per === "nodes" ? "" : `_${per}`}`, rows, [readF32("x"), readF32("grad_out"), readF32("lin_table"), writeF32("grad_params")], body);
}

/**
 * The weights' gradient, one step per irrep dimension and input column group: bindings x (its group), grad_out,
 * grad_params (assigned). `per`: the rows the layer acts on, which the gradient sums over (nodes, edges or graphs).
 */
export function linearWeightGradSteps(tp: TensorProductIR, weightOffset: number, per: NodeBlocks["per"], groups?: readonly Columns[], blocked?: { block: number }): LinearStep[] {
  const paths = linearPaths(tp, weightOffset)!;
  const [dimIn, dimOut] = dims(tp);
  const { gs, of } = inputGroups(paths, dimIn, groups);
  return gs.flatMap((g, group) =>
    distinct(paths.filter((p) => of(p) === group).map((p) => p.d)).map((d) => {
      const ps = paths.filter((p) => p.d === d && of(p) === group);
      const table = [g.cols, dimOut, ps.length];
      let rows = 0;
      for (const p of ps) {
        table.push(p.off1 - g.start, p.mul1, p.offOut, p.mulOut, p.offW, p.c, rows);
        rows += Math.ceil(p.mul1 / 4) * Math.ceil(p.mulOut / 4);
      }
      const blocks = blocked && { per, nodeBlock: blocked.block, rows, base: weightOffset, weights: tp.weightNumel };
      return { kernel: weightGradKernel(d, per, blocks), table, rows, group };
    }),
  );
}
