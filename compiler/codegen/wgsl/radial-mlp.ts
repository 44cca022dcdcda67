/**
 * WGSL for the radial network: e3nn's FullyConnectedNet without biases (compiler/reference/radial-mlp.ts):
 *   h_{k+1} = a_k @ W_k / sqrt(fan_in_k),  a_0 = emb,  a_k = actScale · act(h_k) for the hidden layers,
 * and the last layer's h is the output. W_k is (fan_in, fan_out) row-major at `offsets[k]` in the model's flat
 * parameter vector. All f32; sizes, offsets and constants are baked in, the matrix loops stay loops.
 *
 * The flat parameter vector is bound under the WGSL name `model_params` (the executor's "params" buffer:
 * `params` itself is the uniform every kernel gets) and its gradient as `grad_params`.
 *
 * Scratch layouts (row-major, one row per edge):
 *   hidden: edges x H, H = Σ sizes[1 .. L-1] (the hidden pre-activations h_1 .. h_{L-1}); layer k starts at
 *           column Σ_{m=1}^{k-1} sizes[m] (`hiddenOffsets[k-1]`).
 *   delta:  edges x D, D = Σ sizes[1 .. L] (d loss / d h_k for k = 1 .. L, the last one being grad_out);
 *           layer k starts at the same column as in hidden (`deltaOffsets[k-1]`), the output layer at H.
 * With a single layer (no hidden sizes) H = 0 and the kernels neither declare nor use `hidden`.
 *
 * Performance notes (benchmark: E = 16000, sizes [10, 100, 192]): the forward and the input backward are
 * one invocation per edge with private arrays of the layer activations; the weight gradient is one
 * invocation per weight looping over every edge and recomputes act(h) per (weight, edge) (fan_out times
 * more activations than needed). Ideas: give each weight-gradient invocation a block of outputs j (vec4
 * accumulators, act(h) computed once per edge and block), or a two-stage reduction over edge chunks
 * (deterministic partial sums, then a fixed-order sum); store a_k in the forward instead of recomputing it;
 * in the forward, have each invocation compute 4 outputs with vec4 weights.
 */
import type { RadialMlpIR } from "../../ir/types.js";
import { activationFunctions, describedRowKernel, f32, readF32, type RowKernel, u32, writeF32 } from "./common.js";

export interface RadialMlpKernels {
  /**
   * rows = edges.
   *   - `emb` (read, f32, edges x sizes[0])
   *   - `model_params` (read, f32, the flat parameters)
   *   - `out` (read_write, f32, edges x sizes[L]): writes the output (`=`)
   *   - `hidden` (read_write, f32, edges x H): writes h_1 .. h_{L-1} (`=`); only when H > 0
   */
  forward: RowKernel;
  /**
   * Part A of the backward, rows = edges.
   *   - `hidden` (read, f32, edges x H): only when H > 0
   *   - `model_params` (read, f32)
   *   - `grad_out` (read, f32, edges x sizes[L])
   *   - `delta` (read_write, f32, edges x D): writes d loss / d h_k for k = 1 .. L (`=`)
   *   - `grad_emb` (read_write, f32, edges x sizes[0]): ADDS d loss / d emb (`+=`)
   */
  backward: RowKernel;
  /**
   * Part B of the backward, rows = { count: weightCount }, one invocation per MLP weight (layer by layer,
   * each W_k row-major): dW_k[i][j] = Σ_e a_k[e][i] · delta_{k+1}[e][j] / sqrt(fan_in_k), summed over the
   * edges 0 .. params.edges-1 in order (a_k recomputed from `emb` / `hidden`).
   *   - `emb` (read, f32, edges x sizes[0])
   *   - `hidden` (read, f32, edges x H): only when H > 0
   *   - `delta` (read, f32, edges x D)
   *   - `grad_params` (read_write, f32, the flat parameter gradient): writes W_k's gradient at offsets[k]
   *     (`=`, each entry has one producer)
   */
  weightGrad: RowKernel;
  /** H and D, the columns of `hidden` and `delta`. */
  hiddenSize: number;
  deltaSize: number;
  /** Column where h_k (k = 1 .. L-1) starts in hidden, and where delta_k (k = 1 .. L) starts in delta (index k-1). */
  hiddenOffsets: number[];
  deltaOffsets: number[];
  /** Number of MLP weights (the weight-gradient kernel's rows). */
  weightCount: number;
}

function check(mlp: RadialMlpIR, offsets: readonly number[]): void {
  const L = mlp.sizes.length - 1;
  if (L < 1) throw new Error(`radialMlpKernels: ${mlp.sizes.length} sizes, need at least 2`);
  if (mlp.sizes.some((s) => !Number.isInteger(s) || s < 1)) throw new Error(`radialMlpKernels: sizes [${mlp.sizes.join(", ")}] must be positive integers`);
  if (offsets.length !== L) throw new Error(`radialMlpKernels: ${L} weight matrices need ${L} offsets, got ${offsets.length}`);
  for (const o of offsets) u32(o);
}

/**
 * The radial MLP's kernels (see {@link RadialMlpKernels} for bindings and row domains).
 * @param offsets where each weight matrix W_k starts in the flat parameter buffer.
 */
export function radialMlpKernels(mlp: RadialMlpIR, offsets: readonly number[]): RadialMlpKernels {
  check(mlp, offsets);
  const s = mlp.sizes, L = s.length - 1;
  const IN = s[0]!, OUT = s[L]!;
  // Column offsets of layer k (1-based) in hidden / delta: Σ_{m=1}^{k-1} sizes[m].
  const col: number[] = [];
  for (let k = 1, c = 0; k <= L; c += s[k]!, k++) col.push(c);
  const H = col[L - 1]!, D = H + OUT;
  const inv = (k: number) => 1 / Math.sqrt(s[k]!);
  const hasHidden = H > 0;
  const helpers = hasHidden ? activationFunctions(mlp.act, mlp.actScale) : [];
  const W = (k: number, i: string, o: string) => `model_params[${u32(offsets[k]!)} + ${i} * ${u32(s[k + 1]!)} + ${o}]`;

  // ---- forward
  const fwd: string[] = [`  let be = row * ${u32(IN)};`, `  let bo = row * ${u32(OUT)};`];
  if (hasHidden) fwd.push(`  let bh = row * ${u32(H)};`);
  fwd.push(`  var a0: array<f32, ${IN}>;`, `  for (var i = 0u; i < ${u32(IN)}; i++) { a0[i] = emb[be + i]; }`);
  for (let k = 0; k < L; k++) {
    const last = k === L - 1;
    fwd.push(`  // layer ${k}: ${s[k]} -> ${s[k + 1]}${last ? " (output)" : ""}`);
    if (!last) fwd.push(`  var a${k + 1}: array<f32, ${s[k + 1]}>;`);
    fwd.push(
      `  for (var o = 0u; o < ${u32(s[k + 1]!)}; o++) {`,
      "    var acc = 0.0;",
      `    for (var i = 0u; i < ${u32(s[k]!)}; i++) { acc += a${k}[i] * ${W(k, "i", "o")}; }`,
      `    let h = acc * ${f32(inv(k))};`,
      ...(last ? ["    out[bo + o] = h;"] : [`    hidden[bh + ${u32(col[k]!)} + o] = h;`, `    a${k + 1}[o] = act(h);`]),
      "  }",
    );
  }
  const fwdBindings = [readF32("emb"), readF32("model_params"), writeF32("out"), ...(hasHidden ? [writeF32("hidden")] : [])];

  // ---- backward, part A: deltas and the input gradient
  const bwd: string[] = [`  let be = row * ${u32(IN)};`, `  let bo = row * ${u32(OUT)};`, `  let bd = row * ${u32(D)};`];
  if (hasHidden) bwd.push(`  let bh = row * ${u32(H)};`);
  bwd.push(
    `  // layer ${L}'s delta is grad_out`,
    `  var d${L}: array<f32, ${OUT}>;`,
    `  for (var o = 0u; o < ${u32(OUT)}; o++) {`,
    "    let g = grad_out[bo + o];",
    `    d${L}[o] = g;`,
    `    delta[bd + ${u32(col[L - 1]!)} + o] = g;`,
    "  }",
  );
  for (let k = L - 1; k >= 1; k--) {
    bwd.push(
      `  // delta_${k} = act'(h_${k}) (W_${k} delta_${k + 1}) / sqrt(${s[k]})`,
      `  var d${k}: array<f32, ${s[k]}>;`,
      `  for (var i = 0u; i < ${u32(s[k]!)}; i++) {`,
      "    var acc = 0.0;",
      `    for (var o = 0u; o < ${u32(s[k + 1]!)}; o++) { acc += ${W(k, "i", "o")} * d${k + 1}[o]; }`,
      `    let g = acc * ${f32(inv(k))} * act_d(hidden[bh + ${u32(col[k - 1]!)} + i]);`,
      `    d${k}[i] = g;`,
      `    delta[bd + ${u32(col[k - 1]!)} + i] = g;`,
      "  }",
    );
  }
  bwd.push(
    "  // the input gradient",
    `  for (var i = 0u; i < ${u32(IN)}; i++) {`,
    "    var acc = 0.0;",
    `    for (var o = 0u; o < ${u32(s[1]!)}; o++) { acc += ${W(0, "i", "o")} * d1[o]; }`,
    `    grad_emb[be + i] += acc * ${f32(inv(0))};`,
    "  }",
  );
  const bwdBindings = [...(hasHidden ? [readF32("hidden")] : []), readF32("model_params"), readF32("grad_out"), writeF32("delta"), writeF32("grad_emb")];

  // ---- backward, part B: weight gradients, one invocation per weight
  const wg: string[] = [];
  let start = 0;
  for (let k = 0; k < L; k++) {
    const n = s[k]! * s[k + 1]!;
    const a = k === 0 ? `emb[e * ${u32(IN)} + i]` : `act(hidden[e * ${u32(H)} + ${u32(col[k - 1]!)} + i])`;
    wg.push(
      `  ${k === 0 ? "" : "else "}if (row < ${u32(start + n)}) {`,
      `    // W_${k}: ${s[k]} x ${s[k + 1]}`,
      `    let local = row - ${u32(start)};`,
      `    let i = local / ${u32(s[k + 1]!)};`,
      `    let j = local % ${u32(s[k + 1]!)};`,
      "    var acc = 0.0;",
      "    for (var e = 0u; e < params.edges; e++) {",
      `      acc += ${a} * delta[e * ${u32(D)} + ${u32(col[k]!)} + j];`,
      "    }",
      `    grad_params[${u32(offsets[k]!)} + local] = acc * ${f32(inv(k))};`,
      "  }",
    );
    start += n;
  }
  const wgBindings = [readF32("emb"), ...(hasHidden ? [readF32("hidden")] : []), readF32("delta"), writeF32("grad_params")];

  const name = `radial_mlp_${s.join("x")}_${mlp.act}`;
  return {
    forward: describedRowKernel(`${name}_forward`, "edges", fwdBindings, fwd, helpers),
    backward: describedRowKernel(`${name}_backward`, "edges", bwdBindings, bwd, helpers),
    weightGrad: describedRowKernel(`${name}_weight_grad`, { count: start }, wgBindings, wg, helpers),
    hiddenSize: H,
    deltaSize: D,
    hiddenOffsets: col.slice(0, L - 1),
    deltaOffsets: col,
    weightCount: start,
  };
}
