// Whole compiled models on the WebGPU device against the float64 reference: outputs, the loss, and the
// gradients of the loss with respect to every parameter and every feature input.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gpu, gpuContext, releaseGpu, scaledError } from "../../test/gpu.js";
import { PlanExecutor } from "../../runtime/model/executor.js";
import { CompiledModel } from "../../runtime/model/compiled-model.js";
import { seededRng } from "../o3/rotation.js";
import { executeForward, initParams, loss as referenceLoss, proximalGroupLasso } from "../reference/index.js";
import { fullEdges, handBatch } from "../../test/hand-batch.js";
import { expectLikeReference } from "../../test/reference-check.js";
import { compileOrThrow, objectiveGrad, randomFeatures, BENCH_LIKE } from "../../test/test-models.js";
import type { ModelIR } from "../ir/types.js";
import { planModel, type PlanOptions } from "./plan.js";

beforeAll(gpuContext);
afterAll(releaseGpu);

async function checkModel(ir: ModelIR, nodesPerGraph: number[], seed: number, posScale?: number, options?: PlanOptions & { split?: string[] }): Promise<void> {
  const rng = seededRng(seed);
  const batch = handBatch(nodesPerGraph, fullEdges(nodesPerGraph));
  randomFeatures(ir, batch, rng, posScale);
  const params = initParams(ir, seed);
  const plan = planModel(ir, options);
  // The values expected stored as column groups must be (and no others).
  const split = [...new Set(plan.buffers.filter((b) => b.name.startsWith("v.") && b.name.includes("@")).map((b) => b.name.slice(2, b.name.indexOf("@"))))];
  expect(split.sort(), "values split into column groups").toEqual([...(options?.split ?? [])].sort());
  const exec = await PlanExecutor.create(gpu().device, plan);
  try {
    await expectLikeReference(exec, ir, params, batch, { inputGradients: true });
  } finally {
    exec.destroy();
  }
}

describe("compiled models on the GPU against the float64 reference", () => {
  it("linear, self-connection, gate, norm, add, concat, pool and an sse loss", async () => {
    const ir = compileOrThrow(`model Pointwise {
      input x: 4x0e + 2x1o + 1x2e
      input a: 2x0e
      target t: 3x0e + 2x1o per graph
      layer l = linear(x) -> 3x0e + 2x0e + 2x1o
      layer s = self_connection(x, a) -> 3x0e + 2x0e + 2x1o
      layer sum = add(l, s)
      layer g = gate(sum) -> 3x0e + 2x1o
      layer n = norm(g)
      layer c = concat(n, g)
      layer back = linear(c) -> 3x0e + 2x1o
      layer p = pool(back, reduce: mean)
      output y = p per graph
      train { loss: sse(y, t) }
    }`);
    await checkModel(ir, [3, 1, 4], 2);
  });
});

describe("linear layers over graphs and over edges on the GPU against the float64 reference", () => {
  // A linear layer's weight gradient sums over the rows of its own domain: graphs or edges, not nodes.
  it("per graph (after a pool) and per edge", async () => {
    const perGraph = compileOrThrow(`model PerGraph {
      input x: 3x0e + 2x1o
      target t: 2x0e + 1x1o per graph
      layer p = pool(x)
      layer q = linear(p) -> 2x0e + 1x1o
      output y = q per graph
      train { loss: sse(y, t) }
    }`);
    const perEdge = compileOrThrow(`model PerEdge {
      input ee: 2x0e + 1x1o per edge
      target te: 0e + 1o per edge
      layer le = linear(ee) -> 0e + 1o
      output w = le per edge
      train { loss: sse(w, te) }
    }`);
    for (const ir of [perGraph, perEdge]) {
      await checkModel(ir, [3, 5, 2], 4);
      await checkModel(ir, [6, 1], 5);
    }
  });
});

describe("compiled convolutions and relaxed layers on the GPU against the float64 reference", () => {
  const edgeSpec = (body: string, symmetry = "") => `model Conv {
    ${symmetry}
    input x: 2x0e + 1x1o
    input pos: positions
    target t: 0e + 1o + 2e
    edge sh = spherical_harmonics(lmax: 2)
    edge emb = bessel(count: 6, cutoff: 3.0)
    ${body}
    train { loss: sse(y, t)  regularize: [l2(1e-2), group_lasso(1e-2)] }
  }`;

  it("conv with uvw paths and with e3nn's uvu layout", async () => {
    await checkModel(compileOrThrow(edgeSpec("layer a = conv(x, sh, emb, radial: [8], num_neighbors: 3) -> 2x0e + 1x1o + 1x2e\n layer b = conv(a, sh, emb, paths: uvu, radial: [8, 4], act: tanh) -> 0e + 1o + 2e\n layer c = linear(b) -> 0e + 1o + 2e\n output y = c")), [4, 3], 3);
  });

  // The benchmark's model (specs/bench_conv.regnn) at small multiplicities. Each case compiles a fresh set of
  // conv kernels; with a cold shader cache (CI) that takes tens of seconds.
  const bench = () => compileOrThrow(BENCH_LIKE);

  it("the benchmark's convolution (smooth_finite embedding, edge lengths across the whole cutoff, uvu)", async () => {
    await checkModel(bench(), [9, 8], 6, 6);
  });

  // 1: every block its own buffer; 20: groups of several blocks, mixing irrep dimensions.
  for (const splitCols of [1, 20]) {
    it(`conv outputs stored as column groups (splitCols ${splitCols}), uvu, forward and backward`, async () => {
      await checkModel(bench(), [9, 8], 6, 6, { splitCols, split: ["tp"] });
    }, 240_000);
  }

  it("conv outputs stored as column groups, uvw: several paths add into one block (its first path zeroes it); a conv read by a conv stays whole", async () => {
    const uvw = compileOrThrow(edgeSpec("layer a = conv(x, sh, emb, radial: [8], num_neighbors: 3) -> 2x0e + 1x1o + 1x2e\n layer b = linear(a) -> 0e + 1o + 2e\n layer c = conv(b, sh, emb, radial: [8]) -> 0e + 1o + 2e\n layer d = linear(c) -> 0e + 1o + 2e\n output y = d"));
    await checkModel(uvw, [4, 3], 3, undefined, { splitCols: 3, split: ["a", "c"] });
  }, 240_000);

  it("relaxed_conv (relax to C1) and relaxed_node, with both regularisers", async () => {
    await checkModel(compileOrThrow(edgeSpec("layer a = relaxed_conv(x, sh, emb, radial: [8], num_neighbors: 3) -> 0e + 1o + 2e\n layer b = relaxed_node(a) -> 0e + 1o + 2e\n output y = b", "symmetry relax to C1 lmax 2")), [4, 3], 4);
  });

  it("relaxed_conv kept to D4h (θ = B c), with two copies of θ", async () => {
    await checkModel(compileOrThrow(edgeSpec("layer a = relaxed_conv(x, sh, emb, radial: [8]) -> 0e + 1o + 2e\n output y = a", "symmetry relax to D4h lmax 4 mul 2")), [5], 5);
  });
});

describe("training steps on the GPU", () => {
  it("group lasso is a proximal step after the optimiser's: short θ copies become exactly 0, the others shrink by lr·λ", async () => {
    const ir = compileOrThrow(`model Prox {
      symmetry relax to D4h lmax 4 mul 2
      input x: 2x0e + 1x1o
      target t: 0e + 1o + 2e
      layer a = relaxed_node(x) -> 0e + 1o + 2e
      output y = a
      train { loss: sse(y, t)  optimizer: sgd(lr: 0.1)  regularize: [l2(1e-2), group_lasso(3)] }
    }`);
    const rng = seededRng(12);
    const batch = handBatch([3], []);
    randomFeatures(ir, batch, rng);
    const params = initParams(ir, 12);
    const theta = ir.params.find((p) => p.relaxed)!;
    for (let i = 0; i < theta.size; i++) params[theta.offset + i] = 2 * rng() - 1; // copies of norm ~0.3 to ~2 around lr·λ = 0.3
    const model = await CompiledModel.fromPlan(gpu().device, planModel(ir), { params });
    try {
      await model.trainStep(batch);
      const zeros = Object.fromEntries(Object.entries(executeForward(ir, params, batch).outputs).map(([k, v]) => [k, new Float64Array(v.length)]));
      const g = objectiveGrad(ir, params, batch, zeros, true, "smooth").params;
      const expected = proximalGroupLasso(ir, params.map((p, i) => p - 0.1 * g[i]!), 0.1);
      const got = await model.getParams();
      expect(scaledError(got, expected, 1e-3)).toBeLessThan(1e-5);
      const zeroed = [...expected.keys()].filter((i) => expected[i] === 0 && params[i] !== 0);
      expect(zeroed.length).toBeGreaterThan(0);
      expect(zeroed.every((i) => got[i] === 0)).toBe(true); // exactly 0 (either sign)
      expect([...expected.keys()].filter((i) => i >= theta.offset && i < theta.offset + theta.size && expected[i] !== 0).length).toBeGreaterThan(0);
    } finally {
      model.destroy();
    }
  });

  it("an SGD step moves every parameter by -lr times the float64 reference gradient, and reports the loss", async () => {
    const ir = compileOrThrow(`model Step {
      symmetry relax to C1 lmax 1
      input x: 2x0e + 1x1o
      input pos: positions
      target t: 0e + 1o
      edge sh = spherical_harmonics(lmax: 1)
      edge emb = bessel(count: 4, cutoff: 3.0)
      layer a = relaxed_conv(x, sh, emb, radial: [6]) -> 0e + 1o
      output y = a
      train { loss: sse(y, t)  optimizer: sgd(lr: 0.01)  regularize: l2(1e-3) }
    }`);
    const rng = seededRng(8);
    const batch = handBatch([4], fullEdges([4]));
    randomFeatures(ir, batch, rng);
    const params = initParams(ir, 8);
    const model = await CompiledModel.fromPlan(gpu().device, planModel(ir), { params });
    try {
      const { loss, regularization } = await model.trainStep(batch);
      const ref = executeForward(ir, params, batch);
      expect(Math.abs(loss - referenceLoss(ir, ref.outputs, batch).value) / loss).toBeLessThan(1e-5);
      expect(regularization).toBeGreaterThanOrEqual(0);
      const zeros = Object.fromEntries(Object.entries(ref.outputs).map(([k, v]) => [k, new Float64Array(v.length)]));
      const g = objectiveGrad(ir, params, batch, zeros, true).params;
      const expected = params.map((p, i) => p - 0.01 * g[i]!);
      expect(scaledError(await model.getParams(), expected, 1e-3)).toBeLessThan(1e-5);
      const second = await model.trainStep(batch);
      expect(second.loss).toBeLessThan(loss);

      // fit: epochs of trainStep over the graphs; the callback sees each epoch and can stop the run.
      const seen: number[] = [];
      const edges = fullEdges([4]);
      const graph = { numNodes: 4, edges: { src: edges.map((e) => e[0]), dst: edges.map((e) => e[1]) }, features: Object.fromEntries(Object.entries(batch.features).map(([k, v]) => [k, Array.from(v)])) };
      await model.fit([graph, graph], { epochs: 5, onEpoch: ({ epoch, loss }) => (seen.push(epoch), expect(loss).toBeGreaterThan(0), epoch < 2) });
      expect(seen).toEqual([1, 2]);

      // Weights round-trip through safetensors, by name, into a fresh model.
      const bytes = await model.save();
      const copy = await CompiledModel.fromPlan(gpu().device, planModel(ir), { seed: 99 });
      try {
        copy.load(bytes);
        expect([...(await copy.getParams())]).toEqual([...(await model.getParams())]);
        expect(() => copy.load(bytes.subarray(0, 20))).toThrow(/Step weights/);
      } finally {
        copy.destroy();
      }
    } finally {
      model.destroy();
    }
  });
});
