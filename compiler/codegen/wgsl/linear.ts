/**
 * Equivariant linear layers (a tensor product with the constant 1x0e, uvw paths l -> l) as register-blocked
 * matrix products: for each output block, out[n, w, m] = Σ_paths Σ_u c_path W[u, w] x[n, u, m], with
 * c_path = path weight · C(l, 0, l) (diagonal in m). The generic table-driven product walks its table per
 * term; here an invocation owns a node and 4 output channels at a time (vec4 accumulators, one per
 * component m), so weights load as uniform vec4s and each x value feeds 4 multiply-adds.
 *
 * Kernels, several small ones per layer (deterministic, each invocation owns what it writes):
 *   forward        rows = nodes, per output irrep: out (assigned, including blocks no path reaches).
 *   backwardInput  rows = nodes, per path: grad_x += Σ_w c W[u, w] grad_out[n, w, m].
 *   weightGrad     per path, rows = 4 x 4 blocks of its W: dW[u, w] = c Σ_n Σ_m x[n,u,m] g[n,w,m] summed over
 *                  nodes in order, assigned into grad_params.
 */
import type { TensorProductIR } from "../../ir/types.js";
import { Irreps } from "../../o3/irreps.js";
import { wigner3jSparse } from "../../o3/wigner3j.js";
import { f32, opaqueBound, OPAQUE_ZERO, u32 } from "./common.js";
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
  return paths.length ? paths : undefined;
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
    `  for (var o = 0u; o < ${opaqueBound(nOut)}; o += 4u) {`,
    ...ms.map((m) => `    var acc${m} = vec4f(0.0);`),
  ];
  for (const s of segments) {
    lines.push(`    for (var k = 0u; k < ${opaqueBound(s.count)}; k++) {`, `      let wv = ${s.weight4("k")};`, ...ms.map((m) => `      acc${m} += ${s.input("k", m)} * wv;`), "    }");
  }
  for (let lane = 0; lane < 4; lane++) {
    lines.push(`    if (o + ${u32(lane)} < ${u32(nOut)}) {`, ...ms.map((m) => `      ${store(m, `o + ${u32(lane)}`).replace("$v", `acc${m}[${lane}]`)}`), "    }");
  }
  lines.push("  }");
  return lines;
}

/** vec4 of 4 consecutive entries (clamped to `last`) of a weight row: model_params[base + min(o + c, last)]. */
const weights4 = (base: (c: string) => string, coef: number) => `${f32(coef)} * vec4f(${[0, 1, 2, 3].map((c) => `model_params[${base(`o + ${u32(c)}`)}]`).join(", ")})`;

/**
 * rows = nodes, one kernel per output irrep (lavapipe's compile time grows faster than a kernel: the
 * benchmark's lin2 backward as one kernel took 15 s cold). Bindings `x` (nodes x dim in), `model_params`
 * (read), `out` (nodes x dim out; each kernel assigns its block, including blocks no path reaches).
 */
export function linearForwardKernels(tp: TensorProductIR, weightOffset: number): RowKernel[] {
  const paths = linearPaths(tp)!;
  const [a, o] = [Irreps.parse(tp.irrepsIn1), Irreps.parse(tp.irrepsOut)];
  const blockBase = (iOut: number) => `row * ${u32(o.dim)} + ${u32(o.offsets[iOut]!)}`;
  // Blocks no path reaches are zeroed by the first kernel (a kernel of zeros alone would bind nothing it reads).
  const unreached = o.entries.flatMap((irrep, iOut) => (paths.some((p) => p.iOut === iOut) ? [] : [`  for (var i = 0u; i < ${opaqueBound(irrep.mul * irrep.ir.dim)}; i++) { out[${blockBase(iOut)} + i] = 0.0; }`]));
  const reached = o.entries.flatMap((irrep, iOut) => (paths.some((p) => p.iOut === iOut) ? [{ irrep, iOut }] : []));
  return reached.map(({ irrep, iOut }, n) => {
    const ps = paths.filter((p) => p.iOut === iOut), d = irrep.ir.dim;
    const body = [OPAQUE_ZERO, ...(n === 0 ? unreached : []), ...channelMap(irrep.mul, d, ps.map((p) => ({
      count: p.mul1,
      input: (k: string, m: number) => `x[row * ${u32(a.dim)} + ${u32(p.off1 + m)} + ${k} * ${u32(d)}]`,
      weight4: (k: string) => weights4((w) => `${u32(weightOffset + p.offW)} + ${k} * ${u32(p.mulOut)} + min(${w}, ${u32(p.mulOut - 1)})`, p.c),
    })), (m, w) => `out[${blockBase(iOut)} + (${w}) * ${u32(d)} + ${u32(m)}] = $v;`)];
    return rowKernel(`linear_forward_${iOut}`, "nodes", [ro("x"), ro("model_params"), rw("out")], body);
  });
}

/** rows = nodes, one kernel per path. Bindings `grad_out` (nodes x dim out), `model_params` (read), `grad_x` (nodes x dim in, ADDS). */
export function linearBackwardInputKernels(tp: TensorProductIR, weightOffset: number): RowKernel[] {
  const paths = linearPaths(tp)!;
  const [a, o] = [Irreps.parse(tp.irrepsIn1), Irreps.parse(tp.irrepsOut)];
  return paths.map((p, n) => {
    const base = `row * ${u32(a.dim)} + ${u32(p.off1)}`;
    const body = [OPAQUE_ZERO, ...channelMap(p.mul1, p.d, [{
      count: p.mulOut,
      input: (k: string, m: number) => `grad_out[row * ${u32(o.dim)} + ${u32(p.offOut + m)} + ${k} * ${u32(p.d)}]`,
      weight4: (k: string) => weights4((u) => `${u32(weightOffset + p.offW)} + min(${u}, ${u32(p.mul1 - 1)}) * ${u32(p.mulOut)} + ${k}`, p.c),
    }], (m, u) => `grad_x[${base} + (${u}) * ${u32(p.d)} + ${u32(m)}] += $v;`)];
    return rowKernel(`linear_backward_input_${n}`, "nodes", [ro("grad_out"), ro("model_params"), rw("grad_x")], body);
  });
}

/** One kernel per path, rows = { count: rows }. Bindings `x`, `grad_out` (read), `grad_params` (assigned at the weights' offsets). */
export function linearWeightGradKernels(tp: TensorProductIR, weightOffset: number): { kernel: RowKernel; rows: number }[] {
  const paths = linearPaths(tp)!;
  const [a, o] = [Irreps.parse(tp.irrepsIn1), Irreps.parse(tp.irrepsOut)];
  return paths.map((p, n) => {
    const WB = Math.ceil(p.mulOut / 4), rows = Math.ceil(p.mul1 / 4) * WB;
    const body = [
      OPAQUE_ZERO,
      `  let u0 = (row / ${u32(WB)}) * 4u;`,
      `  let w0 = (row % ${u32(WB)}) * 4u;`,
      ...[0, 1, 2, 3].map((r) => `  var c${r} = vec4f(0.0);`),
      "  for (var nd = 0u; nd < params.nodes; nd++) {",
      `    let xb = nd * ${u32(a.dim)} + ${u32(p.off1)};`,
      `    let gb = nd * ${u32(o.dim)} + ${u32(p.offOut)};`,
      `    for (var m = 0u; m < ${opaqueBound(p.d)}; m++) {`,
      `      let g = vec4f(${[0, 1, 2, 3].map((c) => `grad_out[gb + min(w0 + ${u32(c)}, ${u32(p.mulOut - 1)}) * ${u32(p.d)} + m]`).join(", ")});`,
      ...[0, 1, 2, 3].map((r) => `      c${r} += x[xb + min(u0 + ${u32(r)}, ${u32(p.mul1 - 1)}) * ${u32(p.d)} + m] * g;`),
      "    }",
      "  }",
    ];
    for (let r = 0; r < 4; r++)
      for (let c = 0; c < 4; c++)
        body.push(`  if (u0 + ${u32(r)} < ${u32(p.mul1)} && w0 + ${u32(c)} < ${u32(p.mulOut)}) { grad_params[${u32(weightOffset + p.offW)} + (u0 + ${u32(r)}) * ${u32(p.mulOut)} + w0 + ${u32(c)}] = ${f32(p.c)} * c${r}[${c}]; }`);
    return { kernel: rowKernel(`linear_weight_grad_${n}`, { count: rows }, [ro("x"), ro("grad_out"), rw("grad_params")], body), rows };
  });
}
