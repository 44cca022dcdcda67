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
import { activationFunctions, describedRowKernel, f32, OPAQUE_ZERO, opaqueBound, readF32, type RowKernel, u32, writeF32 } from "./common.js";

interface Product {
  label: string;
  M: number; N: number; K: number;
  /** WGSL expressions of A[m][k] and B[k][n], given u32 variables `m`, `k`, `n`. */
  a: (m: string, k: string) => string;
  b: (k: string, n: string) => string;
  /** Statements storing value `v` at (m, n). */
  store: (m: string, n: string, v: string) => string[];
}

/** One invocation per 4 x 4 output block; edge blocks clamp their loads and guard their stores. */
function blocked(p: Product, bindings: Parameters<typeof describedRowKernel>[2], helpers: string[]): RowKernel {
  const NB = Math.ceil(p.N / 4), MB = Math.ceil(p.M / 4);
  const body = [
    OPAQUE_ZERO,
    `  let mb = (row / ${u32(NB)}) * 4u;`,
    `  let nb = (row % ${u32(NB)}) * 4u;`,
    ...[0, 1, 2, 3].map((r) => `  let m${r} = min(mb + ${u32(r)}, ${u32(p.M - 1)});`),
    ...[0, 1, 2, 3].map((c) => `  let n${c} = min(nb + ${u32(c)}, ${u32(p.N - 1)});`),
    ...[0, 1, 2, 3].map((r) => `  var c${r} = vec4f(0.0);`),
    `  for (var k = 0u; k < ${opaqueBound(p.K)}; k++) {`,
    `    let b = vec4f(${[0, 1, 2, 3].map((c) => p.b("k", `n${c}`)).join(", ")});`,
    ...[0, 1, 2, 3].map((r) => `    c${r} += ${p.a(`m${r}`, "k")} * b;`),
    "  }",
  ];
  for (let r = 0; r < 4; r++)
    for (let c = 0; c < 4; c++) {
      body.push(`  if (mb + ${u32(r)} < ${u32(p.M)} && nb + ${u32(c)} < ${u32(p.N)}) {`, ...p.store(`m${r}`, `n${c}`, `c${r}[${c}]`).map((s) => `    ${s}`), "  }");
    }
  return describedRowKernel(p.label, { count: MB * NB }, bindings, body, helpers);
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
  /** g_k[m][o], the gradient of z_k: the table's gradient for the output layer, else the stored delta. */
  const deltaOut = (k: number) => (m: string, o: string) => (k === L - 1 ? `grad_out[${m} * ${u32(s[L]!)} + ${o}]` : `delta[${m} * ${u32(H)} + ${u32(col[k]!)} + ${o}]`);
  const name = `table_mlp_${s.join("x")}_${mlp.act}`;

  const forward: RowKernel[] = [];
  for (let k = 0; k < L; k++) {
    const last = k === L - 1;
    // Layer k > 0 reads columns of acts and writes others: one read_write binding.
    const b = k === 0 ? [readF32("emb"), readF32("model_params"), ...(last ? [writeF32("out")] : [writeF32("hidden"), writeF32("acts")])] : [readF32("model_params"), ...(last ? [writeF32("out")] : [writeF32("hidden")]), writeF32("acts")];
    forward.push(
      blocked(
        {
          label: `${name}_forward_${k}`, M: R, N: s[k + 1]!, K: s[k]!, a: actIn(k), b: (i, o) => W(k, i, o),
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
          label: `${name}_delta_${k}`, M: R, N: s[k]!, K: s[k + 1]!, a: deltaOut(k), b: (o, i) => W(k, i, o),
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
          label: `${name}_grad_weight_${k}`, M: s[k]!, N: s[k + 1]!, K: R, a: (i, m) => aIn(m, i), b: (m, o) => dOut(m, o),
          store: (i, o, v) => [`grad_params[${u32(offsets[k]!)} + ${i} * ${u32(s[k + 1]!)} + ${o}] = ${v} * ${inv(k)};`],
        },
        [readF32(k === 0 ? "emb" : "acts"), readF32(k === L - 1 ? "grad_out" : "delta"), writeF32("grad_params")],
        [],
      ),
    );
  }
  return { forward, backward, hiddenSize: H };
}
