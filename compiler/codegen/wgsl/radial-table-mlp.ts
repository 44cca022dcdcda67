/**
 * The radial MLP on the table's grid (radial-table.ts), as blocked matrix products: each invocation owns a
 * 4 x 4 block of a layer's output and keeps it in four vec4 accumulators (on lavapipe ~4x the throughput
 * of one output per invocation, see webgpu-on-cpu.md). Same function as radial-mlp.ts:
 *   z_k = a_k @ W_k / sqrt(fan_in_k), a_0 = the grid's embedding, a_{k+1} = act(z_k), output z_{L-1};
 * backward from g_{L-1} = the table's gradient (of z_{L-1}):
 *   g_{k-1} = (g_k @ W_kᵀ) / sqrt(fan_in_k) ⊙ act'(z_{k-1}) for k = L-1 .. 1,  dW_k = a_kᵀ @ g_k / sqrt(fan_in_k).
 *
 * Buffers (rows = R grid nodes): `hidden` R x H holds z_1 .. z_{L-1} (pre-activations), `acts` R x H their
 * activations, `delta` R x H the hidden layers' gradients, columns of layer k at `col[k-1]` (as radial-mlp.ts).
 */
import type { RadialMlpIR } from "../../ir/types.js";
import { activationFunctions, describedRowKernel, f32, OPAQUE_ZERO, opaqueBound, readF32, readVec4, type RowKernel, u32, writeF32 } from "./common.js";

interface Product {
  label: string;
  M: number; N: number; K: number;
  /** WGSL expressions of A[m][k] and B[k][n], given u32 variables `m`, `k`, `n`. */
  a: (m: string, k: string) => string;
  b: (k: string, n: string) => string;
  /** Statements storing value `v` at (m, n). */
  store: (m: string, n: string, v: string) => string[];
  /** Where A and B lie in memory, when they can be read as aligned vec4s (see {@link vectorForm}). */
  va?: Operand;
  vb?: Operand;
}

/**
 * An operand in a binding: element (i, j) at `base + i * stride + j` ("rows", j contiguous) or at
 * `base + j * stride + i` ("cols", i contiguous), with (i, j) = (m, k) for A and (k, n) for B.
 */
interface Operand {
  buffer: string;
  base: number;
  stride: number;
  layout: "rows" | "cols";
}

/**
 * The vec4 form of a product, or undefined where alignment rules it out. On lavapipe a vec4 load from an
 * array<vec4f> costs about what one scalar load does, so reading 4 numbers per load runs the grid's products
 * ~1.5x faster than 4 scalar loads (measured on the benchmark's 1537 x 100 x 192 product). Needs every base
 * and stride a multiple of 4, and where a vec4 runs along the summed dimension k, K a multiple of 4 (a vec4
 * along m or n may run past M or N: those lanes are never stored), and both bindings read-only (a binding the
 * kernel also writes keeps its scalar type).
 *   "ab":  A rows, B rows: A's vec4 over k, then per k one vec4 of B over n.
 *   "abt": A rows, B cols: vec4s over k of both, 16 dot products per step.
 *   "atb": A cols, B rows: per k one vec4 of A over m and one of B over n, an outer product.
 */
function vectorForm(p: Product, readOnly: ReadonlySet<string>): "ab" | "abt" | "atb" | undefined {
  const { va, vb } = p;
  if (!va || !vb || !readOnly.has(va.buffer) || !readOnly.has(vb.buffer) || [va.base, va.stride, vb.base, vb.stride].some((x) => x % 4 !== 0)) return undefined;
  if (va.layout === "rows" && p.K % 4 !== 0) return undefined;
  if (va.layout === "rows") return vb.layout === "rows" ? "ab" : p.K % 4 === 0 ? "abt" : undefined;
  return vb.layout === "rows" ? "atb" : undefined;
}

/** The vec4 at element (i, j0 .. j0 + 3) of a "rows" operand (or (i0 .. i0 + 3, j) of a "cols" one). */
function vec4At(o: Operand, i: string, j: string): string {
  return `${o.buffer}[(${u32(o.base)} + ${i} * ${u32(o.stride)} + ${j}) / 4u]`;
}

/** One invocation per 4 x 4 output block; edge blocks clamp their loads and guard their stores. */
function blocked(p: Product, bindings: Parameters<typeof describedRowKernel>[2], helpers: string[]): RowKernel {
  const NB = Math.ceil(p.N / 4), MB = Math.ceil(p.M / 4);
  const form = vectorForm(p, new Set(bindings.filter((b) => b.access === "read").map((b) => b.name)));
  const R = [0, 1, 2, 3];
  const body = [
    OPAQUE_ZERO,
    `  let mb = (row / ${u32(NB)}) * 4u;`,
    `  let nb = (row % ${u32(NB)}) * 4u;`,
    ...R.map((r) => `  let m${r} = min(mb + ${u32(r)}, ${u32(p.M - 1)});`),
    ...R.map((c) => `  let n${c} = min(nb + ${u32(c)}, ${u32(p.N - 1)});`),
    ...R.map((r) => `  var c${r} = vec4f(0.0);`),
  ];
  const va = p.va!, vb = p.vb!;
  if (form === "ab") {
    body.push(
      `  for (var k4 = 0u; k4 < ${opaqueBound(p.K / 4)}; k4++) {`,
      ...R.map((r) => `    let a${r} = ${vec4At(va, `m${r}`, "k4 * 4u")};`),
      "    for (var kk = 0u; kk < 4u; kk++) {",
      `      let b = ${vec4At(vb, "(k4 * 4u + kk)", "nb")};`,
      ...R.map((r) => `      c${r} += a${r}[kk] * b;`),
      "    }",
      "  }",
    );
  } else if (form === "abt") {
    body.push(
      `  for (var k4 = 0u; k4 < ${opaqueBound(p.K / 4)}; k4++) {`,
      ...R.map((r) => `    let a${r} = ${vec4At(va, `m${r}`, "k4 * 4u")};`),
      ...R.map((c) => `    let b${c} = ${vec4At(vb, `n${c}`, "k4 * 4u")};`),
      ...R.map((r) => `    c${r} += vec4f(${R.map((c) => `dot(a${r}, b${c})`).join(", ")});`),
      "  }",
    );
  } else if (form === "atb") {
    body.push(
      `  for (var k = 0u; k < ${opaqueBound(p.K)}; k++) {`,
      `    let a = ${vec4At(va, "k", "mb")};`,
      `    let b = ${vec4At(vb, "k", "nb")};`,
      ...R.map((r) => `    c${r} += a[${r}] * b;`),
      "  }",
    );
  } else {
    body.push(
      `  for (var k = 0u; k < ${opaqueBound(p.K)}; k++) {`,
      `    let b = vec4f(${R.map((c) => p.b("k", `n${c}`)).join(", ")});`,
      ...R.map((r) => `    c${r} += ${p.a(`m${r}`, "k")} * b;`),
      "  }",
    );
  }
  for (let r = 0; r < 4; r++)
    for (let c = 0; c < 4; c++) {
      body.push(`  if (mb + ${u32(r)} < ${u32(p.M)} && nb + ${u32(c)} < ${u32(p.N)}) {`, ...p.store(`m${r}`, `n${c}`, `c${r}[${c}]`).map((s) => `    ${s}`), "  }");
    }
  const vectors = form ? new Set([va.buffer, vb.buffer]) : new Set<string>();
  const declared = bindings.map((b) => (vectors.has(b.name) ? readVec4(b.name) : b));
  return describedRowKernel(p.label, { count: MB * NB }, declared, body, helpers);
}

export interface TableMlpKernels {
  /** In order; each runs over its own `rows`. */
  forward: RowKernel[];
  backward: RowKernel[];
  /** Columns of hidden / acts / delta (at least 1). */
  hiddenSize: number;
}

/**
 * Bindings: forward `emb` (R x sizes[0]), `model_params`, `out` (R x sizes[L]), `hidden`, `acts`;
 * backward `emb`, `acts`, `hidden`, `model_params`, `grad_out` (R x sizes[L]), `delta`, `grad_params`
 * (weights' gradients assigned at their offsets). Kernels only declare what they use.
 */
export function tableMlpKernels(mlp: RadialMlpIR, offsets: readonly number[], R: number): TableMlpKernels {
  const s = mlp.sizes, L = s.length - 1;
  const col: number[] = [];
  for (let k = 1, c = 0; k <= L; c += s[k]!, k++) col.push(c);
  const H = Math.max(1, col[L - 1]!);
  const helpers = L > 1 ? activationFunctions(mlp.act, mlp.actScale) : [];
  const inv = (k: number) => f32(1 / Math.sqrt(s[k]!));
  const W = (k: number, i: string, o: string) => `model_params[${u32(offsets[k]!)} + ${i} * ${u32(s[k + 1]!)} + ${o}]`;
  /** a_k[m][i]: the embedding for k = 0, else the stored activations of layer k. */
  const actIn = (k: number) => (m: string, i: string) => (k === 0 ? `emb[${m} * ${u32(s[0]!)} + ${i}]` : `acts[${m} * ${u32(H)} + ${u32(col[k - 1]!)} + ${i}]`);
  const actOperand = (k: number, layout: Operand["layout"]): Operand => (k === 0 ? { buffer: "emb", base: 0, stride: s[0]!, layout } : { buffer: "acts", base: col[k - 1]!, stride: H, layout });
  const deltaOperand = (k: number, layout: Operand["layout"]): Operand => (k === L - 1 ? { buffer: "grad_out", base: 0, stride: s[L]!, layout } : { buffer: "delta", base: col[k]!, stride: H, layout });
  const weightOperand = (k: number, layout: Operand["layout"]): Operand => ({ buffer: "model_params", base: offsets[k]!, stride: s[k + 1]!, layout });
  /** g_k[m][o], the gradient of z_k: the table's gradient for the output layer, else the stored delta. */
  const deltaOut = (k: number) => (m: string, o: string) => (k === L - 1 ? `grad_out[${m} * ${u32(s[L]!)} + ${o}]` : `delta[${m} * ${u32(H)} + ${u32(col[k]!)} + ${o}]`);
  const name = `table_mlp_${s.join("x")}_${mlp.act}`;

  const forward: RowKernel[] = [];
  for (let k = 0; k < L; k++) {
    const last = k === L - 1;
    // Layer k > 0 reads columns of acts and writes others: one read_write binding.
    const b = k === 0 ? [readF32("emb"), readF32("model_params"), ...(last ? [writeF32("out")] : [writeF32("hidden"), writeF32("acts")])] : last ? [readF32("model_params"), readF32("acts"), writeF32("out")] : [readF32("model_params"), writeF32("hidden"), writeF32("acts")];
    forward.push(
      blocked(
        {
          label: `${name}_forward_${k}`, M: R, N: s[k + 1]!, K: s[k]!, a: actIn(k), b: (i, o) => W(k, i, o), va: actOperand(k, "rows"), vb: weightOperand(k, "rows"),
          store: (m, o, v) =>
            last
              ? [`out[${m} * ${u32(s[L]!)} + ${o}] = ${v} * ${inv(k)};`]
              : [`let z = ${v} * ${inv(k)};`, `hidden[${m} * ${u32(H)} + ${u32(col[k]!)} + ${o}] = z;`, `acts[${m} * ${u32(H)} + ${u32(col[k]!)} + ${o}] = act(z);`],
        },
        b,
        last ? [] : helpers,
      ),
    );
  }

  const backward: RowKernel[] = [];
  // Deltas of the hidden layers, output side first.
  for (let k = L - 1; k >= 1; k--) {
    const fromOut = k === L - 1;
    backward.push(
      blocked(
        {
          label: `${name}_delta_${k}`, M: R, N: s[k]!, K: s[k + 1]!, a: deltaOut(k), b: (o, i) => W(k, i, o), va: deltaOperand(k, "rows"), vb: weightOperand(k, "cols"),
          store: (m, i, v) => [`delta[${m} * ${u32(H)} + ${u32(col[k - 1]!)} + ${i}] = ${v} * ${inv(k)} * act_d(hidden[${m} * ${u32(H)} + ${u32(col[k - 1]!)} + ${i}]);`],
        },
        [readF32("hidden"), readF32("model_params"), ...(fromOut ? [readF32("grad_out")] : []), writeF32("delta")],
        helpers,
      ),
    );
  }
  // Weight gradients: dW_k[i][o] = Σ_m a_k[m][i] d_{k+1}[m][o] / sqrt(fan_in).
  for (let k = 0; k < L; k++) {
    const aIn = actIn(k), dOut = deltaOut(k);
    backward.push(
      blocked(
        {
          label: `${name}_grad_weight_${k}`, M: s[k]!, N: s[k + 1]!, K: R, a: (i, m) => aIn(m, i), b: (m, o) => dOut(m, o), va: actOperand(k, "cols"), vb: deltaOperand(k, "rows"),
          store: (i, o, v) => [`grad_params[${u32(offsets[k]!)} + ${i} * ${u32(s[k + 1]!)} + ${o}] = ${v} * ${inv(k)};`],
        },
        [readF32(k === 0 ? "emb" : "acts"), readF32(k === L - 1 ? "grad_out" : "delta"), writeF32("grad_params")],
        [],
      ),
    );
  }
  return { forward, backward, hiddenSize: H };
}
