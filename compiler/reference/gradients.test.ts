import { describe, expect, it } from "vitest";
import type { ModelIR } from "../ir/types.js";
import { seededRng } from "../o3/rotation.js";
import { gaussianArray, handBatch } from "../../test/hand-batch.js";
import { initParams } from "./init.js";
import { executeForward } from "./forward.js";
import { compileOrThrow, finiteDifferenceError, objective, objectiveGrad, randomFeatures } from "../../test/test-models.js";

/** Two graphs (3 + 2 nodes); node 2 has no incoming edge, node 4 none outgoing. */
function batchFor(ir: ModelIR, seed: number) {
  const b = handBatch([3, 2], [[0, 1], [1, 0], [2, 0], [2, 1], [3, 4]]);
  randomFeatures(ir, b, seededRng(seed));
  return b;
}

/** Checks every parameter (or `maxParams` spread over them) and every input entry against central differences. */
function checkModel(ir: ModelIR, seed: number, opts: { randomTheta?: boolean; maxParams?: number; tol?: number } = {}) {
  const rng = seededRng(seed + 100);
  const batch = batchFor(ir, seed);
  const params = initParams(ir, seed);
  if (opts.randomTheta)
    for (const p of ir.params) if (p.relaxed) params.set(gaussianArray(p.size, rng, 0.7), p.offset);
  const fwd = executeForward(ir, params, batch);
  const weights: Record<string, Float64Array> = {};
  for (const [name, y] of Object.entries(fwd.outputs)) weights[name] = gaussianArray(y.length, rng);
  const withTraining = ir.train.loss !== null;
  const f = () => objective(ir, params, batch, weights, withTraining);
  const g = objectiveGrad(ir, params, batch, weights, withTraining);
  const scale = Math.max(...Array.from(g.params, Math.abs), ...Object.values(g.inputs).flatMap((a) => Array.from(a, Math.abs)));
  const floor = 1e-4 * scale;
  const tol = opts.tol ?? 1e-6;
  const step = Math.max(1, Math.ceil(ir.paramCount / (opts.maxParams ?? 400)));
  const idx = Array.from({ length: Math.ceil(ir.paramCount / step) }, (_, k) => k * step);
  const pe = finiteDifferenceError(f, params, g.params, idx, floor);
  const name = ir.params.find((p) => pe.at >= p.offset && pe.at < p.offset + p.size)?.name;
  expect(pe.err, `parameters (worst: ${name}[${pe.at}])`).toBeLessThan(tol);
  // every parameter tensor receives some gradient (nothing silently disconnected)
  for (const p of ir.params) expect(g.params.subarray(p.offset, p.offset + p.size).some((v) => v !== 0), `${p.name} has a zero gradient`).toBe(true);
  for (const input of ir.inputs) {
    const x = batch.features[input.name]!;
    const ie = finiteDifferenceError(f, x, g.inputs[input.name]!, Array.from(x, (_, i) => i), floor);
    expect(ie.err, `input ${input.name} (worst entry ${ie.at})`).toBeLessThan(tol);
    expect(g.inputs[input.name]!.some((v) => v !== 0), `${input.name} has a zero gradient`).toBe(true);
  }
  return { ir, g };
}

describe("whole-model gradients against central differences (float64, relative 1e-6)", () => {
  it("relaxed_conv, relax to C1, random θ, sse loss + l2 + group_lasso", () => {
    const ir = compileOrThrow(`model RC1 {
      symmetry relax to C1 lmax 2
      input x: 2x0e + 1o
      input pos: positions
      target t: 0e + 1o + 2e
      edge sh = spherical_harmonics(lmax: 2)
      edge emb = bessel(count: 4, cutoff: 3.0)
      layer h1 = relaxed_conv(x, sh, emb, radial: [5], num_neighbors: 2.5) -> 0e + 1o + 2e
      output y = h1
      train { loss: sse(y, t) regularize: [l2(0.1), group_lasso(0.05)] }
    }`);
    checkModel(ir, 1, { randomTheta: true });
  });

  it("relaxed_conv and relaxed_node, relax to D4h with mul 2 (θ = B c), mse loss + group_lasso", () => {
    const ir = compileOrThrow(`model RD4h {
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
    }`);
    expect(ir.symmetry.theta!.blocks.some((b) => b.basis.length > 0 && b.basis.length < b.basis[0]!.length)).toBe(true); // a proper subspace
    checkModel(ir, 2, { randomTheta: true });
  });

  it("conv uvw and uvu, gate, norm, self_connection with attr, add, concat, linear, pool (mean), graph and edge inputs", () => {
    const ir = compileOrThrow(`model Plain {
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
    }`);
    checkModel(ir, 3);
  });

  it("the edge embeddings smooth_finite and fourier, integral harmonics without normalize, pool (sum)", () => {
    const ir = compileOrThrow(`model Bases {
      input x: 0e + 1o
      input pos: positions
      edge sh = spherical_harmonics(lmax: 3, normalization: integral, normalize: false)
      edge e1 = soft_one_hot(count: 5, cutoff: 3.0, basis: smooth_finite, scale: 2.2)
      edge e2 = soft_one_hot(count: 3, cutoff: 3.2, basis: fourier, start: 0.1)
      layer c1 = conv(x, sh, e1, radial: [4]) -> 0e + 1o + 2e + 3o
      layer c2 = conv(c1, sh, e2, radial: []) -> 0e + 1o
      layer p = pool(c2)
      output y = p
    }`);
    checkModel(ir, 4);
  });
});
