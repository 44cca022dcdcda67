import { describe, expect, it } from "vitest";
import type { ModelIR } from "../ir/types.js";
import { seededRng } from "../o3/rotation.js";
import { gaussianArray, handBatch } from "../../test/hand-batch.js";
import { initParams } from "./init.js";
import { executeForward } from "./forward.js";
import { compileOrThrow, finiteDifferenceError, objective, objectiveGrad, randomFeatures, TEST_MODELS } from "../../test/test-models.js";

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
    const ir = compileOrThrow(TEST_MODELS.RC1!);
    checkModel(ir, 1, { randomTheta: true });
  });

  it("relaxed_conv and relaxed_node, relax to D4h with mul 2 (θ = B c), mse loss + group_lasso", () => {
    const ir = compileOrThrow(TEST_MODELS.RD4h!);
    expect(ir.symmetry.theta!.blocks.some((b) => b.basis.length > 0 && b.basis.length < b.basis[0]!.length)).toBe(true); // a proper subspace
    checkModel(ir, 2, { randomTheta: true });
  });

  it("conv uvw and uvu, gate, norm, self_connection with attr, add, concat, linear, pool (mean), graph and edge inputs", () => {
    const ir = compileOrThrow(TEST_MODELS.Plain!);
    checkModel(ir, 3);
  });

  it("the edge embeddings smooth_finite and fourier, integral harmonics without normalize, pool (sum)", () => {
    const ir = compileOrThrow(TEST_MODELS.Bases!);
    checkModel(ir, 4);
  });
});
