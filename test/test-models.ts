/**
 * Support for the reference's tests (no test framework inside): compiling small specs, random inputs for a
 * model on a hand-built batch, and the scalar objective whose gradients the finite-difference tests check.
 */
import { compileSource } from "../compiler/compile.js";
import type { ModelIR } from "../compiler/ir/types.js";
import { Irreps } from "../compiler/o3/irreps.js";
import type { Rng } from "../compiler/o3/rotation.js";
import type { GraphBatch } from "../runtime/graph/batch.js";
import { executeBackward } from "../compiler/reference/backward.js";
import { rowsOf } from "../compiler/reference/domains.js";
import { executeForward } from "../compiler/reference/forward.js";
import { gaussianArray } from "./hand-batch.js";
import { loss } from "../compiler/reference/loss.js";
import { regularization } from "../compiler/reference/regularization.js";

export function compileOrThrow(source: string, file = "test.regnn"): ModelIR {
  const r = compileSource(source, file);
  if (!r.ir) throw new Error(`spec does not compile:\n${r.diagnostics.map((d) => `${d.code} ${d.message}`).join("\n")}`);
  return r.ir;
}

/** Random features for every input and target of `ir` on `batch` (positions scaled by `posScale`). */
export function randomFeatures(ir: ModelIR, batch: GraphBatch, rng: Rng, posScale = 0.8): void {
  for (const f of [...ir.inputs, ...ir.targets]) {
    const n = rowsOf(f.domain, batch) * Irreps.parse(f.irreps).dim;
    batch.features[f.name] = gaussianArray(n, rng, f.name === ir.graph.positions ? posScale : 1);
  }
}

/** J = Σ_outputs <output, weights[output]> (+ the loss and the regularisers when `withTraining`). */
export function objective(ir: ModelIR, params: Float64Array, batch: GraphBatch, weights: Record<string, Float64Array>, withTraining: boolean): number {
  const { outputs } = executeForward(ir, params, batch);
  let j = 0;
  for (const [name, w] of Object.entries(weights)) for (let i = 0; i < w.length; i++) j += outputs[name]![i]! * w[i]!;
  if (withTraining) j += loss(ir, outputs, batch).value + regularization(ir, params).value;
  return j;
}

/** Analytic gradients of `objective`. */
export function objectiveGrad(ir: ModelIR, params: Float64Array, batch: GraphBatch, weights: Record<string, Float64Array>, withTraining: boolean, terms: "all" | "smooth" = "all") {
  const fwd = executeForward(ir, params, batch);
  const gradOutputs: Record<string, Float64Array> = {};
  for (const [name, w] of Object.entries(weights)) gradOutputs[name] = Float64Array.from(w);
  let reg: Float64Array | null = null;
  if (withTraining) {
    for (const [name, g] of Object.entries(loss(ir, fwd.outputs, batch).grad)) gradOutputs[name] = gradOutputs[name]!.map((v, i) => v + g[i]!);
    reg = regularization(ir, params, { terms }).grad;
  }
  const g = executeBackward(ir, params, batch, fwd, gradOutputs);
  if (reg) for (let i = 0; i < reg.length; i++) g.params[i] += reg[i]!;
  return g;
}

/**
 * Largest relative error between analytic gradients and central differences of f over the entries `indices`
 * of `x` (perturbed in place and restored): |a - n| / max(|a|, |n|, floor).
 */
export function finiteDifferenceError(f: () => number, x: Float64Array, analytic: Float64Array, indices: number[], floor: number, h = 1e-5): { err: number; at: number } {
  let err = 0, at = -1;
  for (const i of indices) {
    const x0 = x[i]!;
    x[i] = x0 + h;
    const up = f();
    x[i] = x0 - h;
    const down = f();
    x[i] = x0;
    const n = (up - down) / (2 * h), a = analytic[i]!;
    const e = Math.abs(a - n) / Math.max(Math.abs(a), Math.abs(n), floor);
    if (e > err) [err, at] = [e, i];
  }
  return { err, at };
}

/**
 * The whole-model test specs (the ones gradients.test.ts checks against central differences): together they
 * use every layer op, both relaxed layers, every edge embedding basis but gaussian-only cases, node, edge and
 * graph inputs, and both losses and regularisers. Other consumers of the IR (the PyTorch emitter) are judged
 * on them too.
 */
export const TEST_MODELS: Readonly<Record<string, string>> = {
  RC1: `model RC1 {
      symmetry relax to C1 lmax 2
      input x: 2x0e + 1o
      input pos: positions
      target t: 0e + 1o + 2e
      edge sh = spherical_harmonics(lmax: 2)
      edge emb = bessel(count: 4, cutoff: 3.0)
      layer h1 = relaxed_conv(x, sh, emb, radial: [5], num_neighbors: 2.5) -> 0e + 1o + 2e
      output y = h1
      train { loss: sse(y, t) regularize: [l2(0.1), group_lasso(0.05)] }
    }`,
  RD4h: `model RD4h {
      symmetry relax to D4h lmax 2 mul 2
      input x: 0e + 1o
      input pos: positions
      target t: 0e + 1e
      edge sh = spherical_harmonics(lmax: 2, normalization: norm)
      edge emb = gaussian(count: 3, cutoff: 3.0)
      layer h1 = relaxed_conv(x, sh, emb, radial: [4], act: tanh) -> 0e + 1o + 2e
      layer h2 = relaxed_node(h1) -> 0e + 1e
      output y = h2
      train { loss: mse(y, t) regularize: group_lasso(0.3) }
    }`,
  Plain: `model Plain {
      input x: 2x0e + 1o
      input a: 0e + 2e
      input ge: 0e + 1o per graph
      input ee: 2x0e per edge
      input pos: positions
      edge sh = spherical_harmonics(lmax: 2)
      edge emb = soft_one_hot(count: 4, cutoff: 3.0, basis: cosine)
      layer c1 = conv(x, sh, emb, radial: [6], act: sigmoid) -> 4x0e + 1o + 2e
      layer g = gate(c1, scalars: tanh) -> 2x0e + 1o + 2e
      layer n = norm(g)
      layer s = self_connection(x, a) -> 2x0e + 1o + 2e
      layer sum = add(n, s)
      layer u = conv(sum, sh, emb, paths: uvu, radial: [3], num_neighbors: 3)
      layer cat = concat(sum, u)
      layer l = linear(cat) -> 0e + 1o
      layer p = pool(l, reduce: mean)
      layer q = concat(p, ge)
      layer le = linear(ee) -> 0e
      output y = q
      output z = l
      output w = le
    }`,
  Bases: `model Bases {
      input x: 0e + 1o
      input pos: positions
      edge sh = spherical_harmonics(lmax: 3, normalization: integral, normalize: false)
      edge e1 = soft_one_hot(count: 5, cutoff: 3.0, basis: smooth_finite, scale: 2.2)
      edge e2 = soft_one_hot(count: 3, cutoff: 3.2, basis: fourier, start: 0.1)
      layer c1 = conv(x, sh, e1, radial: [4]) -> 0e + 1o + 2e + 3o
      layer c2 = conv(c1, sh, e2, radial: []) -> 0e + 1o
      layer p = pool(c2)
      output y = p
    }`,
};

/**
 * specs/bench_conv.regnn (e3nn's gate_points_2101.Convolution) at small multiplicities, with an sse loss:
 * fused conv, plain linear layers and a self-connection, for the GPU tests of both kernel shapes.
 */
export const BENCH_LIKE = `model BenchLike {
  input x: 4x0e + 2x1o + 2x2e
  input pos: positions
  target t: 4x0e + 2x1o + 2x2e
  edge sh = spherical_harmonics(lmax: 2, normalization: component)
  edge emb = soft_one_hot(count: 10, cutoff: 18, basis: smooth_finite, scale: 3.1622776601683795)
  layer sc = self_connection(x) -> 4x0e + 2x1o + 2x2e
  layer lin1 = linear(x) -> 4x0e + 2x1o + 2x2e
  layer tp = conv(lin1, sh, emb, paths: uvu, radial: [100], act: silu, num_neighbors: 16) -> 4x0e + 2x1o + 2x2e
  layer lin2 = linear(tp) -> 4x0e + 2x1o + 2x2e
  layer sum = add(sc, lin2)
  output y = sum
  train { loss: sse(y, t) }
}`;
