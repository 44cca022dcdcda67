/**
 * Equivariant linear layers (a tensor product with the constant 1x0e, uvw paths l -> l) as register-blocked
 * matrix products: for each output block, out[n, w, m] = Σ_paths Σ_u c_path W[u, w] x[n, u, m], with
 * c_path = path weight · C(l, 0, l) (diagonal in m). The generic table-driven product walks its table per
 * term; here an invocation owns a node and 4 output channels at a time (vec4 accumulators, one per
 * component m), so weights load as uniform vec4s and each x value feeds 4 multiply-adds.
 *
 * Kernels (deterministic, each invocation owns what it writes):
 *   forward        rows = nodes: out (assigned, including blocks no path reaches).
 *   backwardInput  rows = nodes: grad_x += Σ_w c W[u, w] grad_out[n, w, m].
 *   weightGrad     rows = { count: blocks }: 4 x 4 blocks of each path's W, dW[u, w] = c Σ_n Σ_m x[n,u,m] g[n,w,m]
 *                  summed over nodes in order, assigned into grad_params.
 */
import type { TensorProductIR } from "../../ir/types.js";
import { Irreps } from "../../o3/irreps.js";
import { wigner3jSparse } from "../../o3/wigner3j.js";
import { f32, u32 } from "./common.js";
import { ro, rowKernel, rw, type RowKernel } from "./edge-geometry.js";

interface LinPath { off1: number; mul1: number; offOut: number; mulOut: number; d: number; offW: number; c: number; iOut: number }

/** The product's paths when it is a plain linear map (uvw, second operand 1x0e, shared weights), else undefined. */
function linearPaths(tp: TensorProductIR): LinPath[] | undefined {
  if (Irreps.parse(tp.irrepsIn2).dim !== 1 || !tp.sharedWeights) return undefined;
  const [a, o] = [Irreps.parse(tp.irrepsIn1), Irreps.parse(tp.irrepsOut)];
  const paths: LinPath[] = [];
  for (const ins of tp.instructions) {
    const [x, z] = [a.get(ins.i1), o.get(ins.iOut)];
    if (ins.mode !== "uvw" || !ins.hasWeight || x.ir.l !== z.ir.l) return undefined;
    const s = wigner3jSparse(x.ir.l, 0, z.ir.l);
    const c = s.value[0]!;
    if (s.value.length !== x.ir.dim || Array.from(s.value).some((v, t) => Math.abs(v - c) > 1e-12 || s.i[t] !== s.k[t])) return undefined;
    paths.push({ off1: a.offsets[ins.i1]!, mul1: x.mul, offOut: o.offsets[ins.iOut]!, mulOut: z.mul, d: x.ir.dim, offW: ins.weightOffset, c: c * ins.pathWeight, iOut: ins.iOut });
  }
  return paths;
}

export function isPlainLinear(tp: TensorProductIR): boolean {
  return linearPaths(tp) !== undefined;
}

/**
 * Lines computing, for the invocation's node `row`, a map from `nIn` channels of `inName` to `nOut`
 * channels, 4 outputs at a time. `segments` are the contributions (input offset, weight expression for
 * (k, o) with o the first of 4 outputs, coefficient); `store(m, lane)` writes acc{m}[lane] for channel o + lane.
 */
function channelMap(nOut: number, d: number, segments: { count: number; input: (k: string, m: number) => string; weight4: (k: string) => string }[], store: (m: number, o: string) => string): string[] {
  const ms = Array.from({ length: d }, (_, m) => m);
  const lines = [
    `  for (var o = 0u; o < ${u32(nOut)}; o += 4u) {`,
    ...ms.map((m) => `    var acc${m} = vec4f(0.0);`),
  ];
  for (const s of segments) {
    lines.push(`    for (var k = 0u; k < ${u32(s.count)}; k++) {`, `      let wv = ${s.weight4("k")};`, ...ms.map((m) => `      acc${m} += ${s.input("k", m)} * wv;`), "    }");
  }
  for (let lane = 0; lane < 4; lane++) {
    lines.push(`    if (o + ${u32(lane)} < ${u32(nOut)}) {`, ...ms.map((m) => `      ${store(m, `o + ${u32(lane)}`).replace("$v", `acc${m}[${lane}]`)}`), "    }");
  }
  lines.push("  }");
  return lines;
}

/** vec4 of 4 consecutive entries (clamped to `last`) of a weight row: model_params[base + min(o + c, last)]. */
const weights4 = (base: (c: string) => string, coef: number) => `${f32(coef)} * vec4f(${[0, 1, 2, 3].map((c) => `model_params[${base(`o + ${u32(c)}`)}]`).join(", ")})`;

/** rows = nodes. Bindings `x` (nodes x dim in), `model_params` (read), `out` (nodes x dim out, assigned). */
export function linearForwardKernel(tp: TensorProductIR, weightOffset: number): RowKernel {
  const paths = linearPaths(tp)!;
  const [a, o] = [Irreps.parse(tp.irrepsIn1), Irreps.parse(tp.irrepsOut)];
  const body: string[] = [];
  o.entries.forEach((irrep, iOut) => {
    const ps = paths.filter((p) => p.iOut === iOut), d = irrep.ir.dim, base = `row * ${u32(o.dim)} + ${u32(o.offsets[iOut]!)}`;
    if (!ps.length) {
      body.push(`  for (var i = 0u; i < ${u32(irrep.mul * d)}; i++) { out[${base} + i] = 0.0; }`);
      return;
    }
    body.push(`  // output ${irrep.mul}x${irrep.ir.toString()}`);
    body.push(...channelMap(irrep.mul, d, ps.map((p) => ({
      count: p.mul1,
      input: (k: string, m: number) => `x[row * ${u32(a.dim)} + ${u32(p.off1 + m)} + ${k} * ${u32(d)}]`,
      weight4: (k: string) => weights4((w) => `${u32(weightOffset + p.offW)} + ${k} * ${u32(p.mulOut)} + min(${w}, ${u32(p.mulOut - 1)})`, p.c),
    })), (m, w) => `out[${base} + (${w}) * ${u32(d)} + ${u32(m)}] = $v;`));
  });
  return rowKernel("linear_forward", "nodes", [ro("x"), ro("model_params"), rw("out")], body);
}

/** rows = nodes. Bindings `grad_out` (nodes x dim out), `model_params` (read), `grad_x` (nodes x dim in, ADDS). */
export function linearBackwardInputKernel(tp: TensorProductIR, weightOffset: number): RowKernel {
  const paths = linearPaths(tp)!;
  const [a, o] = [Irreps.parse(tp.irrepsIn1), Irreps.parse(tp.irrepsOut)];
  const body: string[] = [];
  for (const p of paths) {
    const base = `row * ${u32(a.dim)} + ${u32(p.off1)}`;
    body.push(`  // path into input block at ${p.off1}`);
    body.push(...channelMap(p.mul1, p.d, [{
      count: p.mulOut,
      input: (k: string, m: number) => `grad_out[row * ${u32(o.dim)} + ${u32(p.offOut + m)} + ${k} * ${u32(p.d)}]`,
      weight4: (k: string) => weights4((u) => `${u32(weightOffset + p.offW)} + min(${u}, ${u32(p.mul1 - 1)}) * ${u32(p.mulOut)} + ${k}`, p.c),
    }], (m, u) => `grad_x[${base} + (${u}) * ${u32(p.d)} + ${u32(m)}] += $v;`));
  }
  return rowKernel("linear_backward_input", "nodes", [ro("grad_out"), ro("model_params"), rw("grad_x")], body);
}

/** rows = { count: returned rows }. Bindings `x`, `grad_out` (read), `grad_params` (assigned at the weights' offsets). */
export function linearWeightGradKernel(tp: TensorProductIR, weightOffset: number): { kernel: RowKernel; rows: number } {
  const paths = linearPaths(tp)!;
  const [a, o] = [Irreps.parse(tp.irrepsIn1), Irreps.parse(tp.irrepsOut)];
  const body: string[] = [];
  let start = 0;
  paths.forEach((p, n) => {
    const UB = Math.ceil(p.mul1 / 4), WB = Math.ceil(p.mulOut / 4), blocks = UB * WB;
    body.push(
      `  ${n ? "else " : ""}if (row < ${u32(start + blocks)}) {`,
      `    let local = row - ${u32(start)};`,
      `    let u0 = (local / ${u32(WB)}) * 4u;`,
      `    let w0 = (local % ${u32(WB)}) * 4u;`,
      ...[0, 1, 2, 3].map((r) => `    var c${r} = vec4f(0.0);`),
      "    for (var nd = 0u; nd < params.nodes; nd++) {",
      `      let xb = nd * ${u32(a.dim)} + ${u32(p.off1)};`,
      `      let gb = nd * ${u32(o.dim)} + ${u32(p.offOut)};`,
      `      for (var m = 0u; m < ${u32(p.d)}; m++) {`,
      `        let g = vec4f(${[0, 1, 2, 3].map((c) => `grad_out[gb + min(w0 + ${u32(c)}, ${u32(p.mulOut - 1)}) * ${u32(p.d)} + m]`).join(", ")});`,
      ...[0, 1, 2, 3].map((r) => `        c${r} += x[xb + min(u0 + ${u32(r)}, ${u32(p.mul1 - 1)}) * ${u32(p.d)} + m] * g;`),
      "      }",
      "    }",
    );
    for (let r = 0; r < 4; r++)
      for (let c = 0; c < 4; c++)
        body.push(`    if (u0 + ${u32(r)} < ${u32(p.mul1)} && w0 + ${u32(c)} < ${u32(p.mulOut)}) { grad_params[${u32(weightOffset + p.offW)} + (u0 + ${u32(r)}) * ${u32(p.mulOut)} + w0 + ${u32(c)}] = ${f32(p.c)} * c${r}[${c}]; }`);
    body.push("  }");
    start += blocks;
  });
  return { kernel: rowKernel("linear_weight_grad", { count: start }, [ro("x"), ro("grad_out"), rw("grad_params")], body), rows: start };
}
