// The GPU-shaped plan (shape "gpu": reductions as fixed-size blocks, then trees of block sums) run on this
// machine's device against the float64 reference, with blocks small enough that a small batch spans several;
// the same shape chosen from a plan that carries both (as a generated module's); and its training bit for bit
// reproducible.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gpu, gpuContext, releaseGpu, scaledError } from "../../test/gpu.js";
import { PlanExecutor } from "../../runtime/model/executor.js";
import { CompiledModel } from "../../runtime/model/compiled-model.js";
import { selectPlanShape } from "../../runtime/model/plan-shape.js";
import type { ModelPlan } from "../../runtime/model/plan.js";
import { cachedPipelineCount } from "../../runtime/pipelines.js";
import { createDevice, deviceClassOf } from "../../runtime/device.js";
import { deviceClass, type DeviceClass } from "../../runtime/device-class.js";
import { seededRng } from "../o3/rotation.js";
import { executeForward, initParams, loss as referenceLoss } from "../reference/index.js";
import { fullEdges, handBatch } from "../../test/hand-batch.js";
import { expectLikeReference } from "../../test/reference-check.js";
import { compileOrThrow, randomFeatures, BENCH_LIKE } from "../../test/test-models.js";
import type { ModelIR } from "../ir/types.js";
import { planModel, type PlanOptions } from "./plan.js";

beforeAll(gpuContext);
afterAll(releaseGpu);

const SMALL_BLOCKS: PlanOptions = { shape: "gpu", gpuBlocks: { nodes: 4, edges: 16 } };

const hasTree = (plan: ModelPlan) => plan.backward.some((s) => s.label.endsWith(".level0"));

/**
 * Loss and every parameter gradient of one forward + backward against the f64 reference. `shape`: the shape
 * the executor is told to run, of a plan planned without one (carrying both).
 */
async function checkGradients(ir: ModelIR, nodesPerGraph: number[], seed: number, options: PlanOptions, posScale?: number, shape?: DeviceClass): Promise<void> {
  const rng = seededRng(seed);
  const batch = handBatch(nodesPerGraph, fullEdges(nodesPerGraph));
  randomFeatures(ir, batch, rng, posScale);
  const params = initParams(ir, seed);
  const plan = planModel(ir, options);
  const exec = await PlanExecutor.create(gpu().device, plan, shape ? { shape } : {});
  expect(hasTree(exec.plan), "a reduction tree").toBe(true);
  try {
    await expectLikeReference(exec, ir, params, batch);
  } finally {
    exec.destroy();
  }
}

// specs/bench_conv.regnn at small multiplicities: fused conv (weight partials over edge chunks), plain linear
// layers (weight gradients over node blocks), an sse loss over nodes.
const bench = () => compileOrThrow(BENCH_LIKE);

describe("the GPU shape on this device against the float64 reference", () => {
  it("the benchmark's convolution, linear and self-connection layers, edge chunks of 16 and node blocks of 4", async () => {
    await checkGradients(bench(), [9, 8], 6, SMALL_BLOCKS, 6);
  }, 240_000);

  it("relaxed_conv and relaxed_node (unfused radial table, column sums over edges and nodes), norm, mse", async () => {
    const ir = compileOrThrow(`model Relaxed {
      symmetry relax to C1 lmax 2
      input x: 2x0e + 1x1o
      input pos: positions
      target t: 0e + 1o + 2e
      edge sh = spherical_harmonics(lmax: 2)
      edge emb = bessel(count: 6, cutoff: 3.0)
      layer a = relaxed_conv(x, sh, emb, radial: [8], num_neighbors: 3) -> 0e + 1o + 2e
      layer n = norm(a)
      layer b = relaxed_node(n) -> 0e + 1o + 2e
      output y = b
      train { loss: mse(y, t)  regularize: l2(1e-2) }
    }`);
    await checkGradients(ir, [4, 3], 4, SMALL_BLOCKS);
  }, 240_000);
});

describe("the GPU shape, pointwise layers", () => {
  it("linear layers per node and per graph (after a pool), gate, self-connection with an attribute, sse", async () => {
    const ir = compileOrThrow(`model Pointwise {
      input x: 4x0e + 2x1o + 1x2e
      input a: 2x0e
      target t: 3x0e + 2x1o per graph
      layer l = linear(x) -> 3x0e + 2x0e + 2x1o
      layer s = self_connection(x, a) -> 3x0e + 2x0e + 2x1o
      layer sum = add(l, s)
      layer g = gate(sum) -> 3x0e + 2x1o
      layer p = pool(g, reduce: mean)
      layer back = linear(p) -> 3x0e + 2x1o
      output y = back per graph
      train { loss: sse(y, t) }
    }`);
    await checkGradients(ir, [3, 1, 4, 2, 5, 1], 2, { shape: "gpu", gpuBlocks: { nodes: 2, edges: 16 } });
  }, 240_000);
});

/** A linear layer and a convolution; `optimizer` is the spec's. */
const small = (optimizer: string) =>
  compileOrThrow(`model Repro {
    input x: 4x0e + 2x1o
    input pos: positions
    target t: 2x0e + 1x1o
    edge sh = spherical_harmonics(lmax: 2)
    edge emb = bessel(count: 6, cutoff: 3.0)
    layer l = linear(x) -> 4x0e + 2x1o
    layer c = conv(l, sh, emb, radial: [8], num_neighbors: 3) -> 2x0e + 1x1o
    output y = c
    train { loss: sse(y, t)  optimizer: ${optimizer} }
  }`);

describe("a plan carrying both shapes, as a generated module's", () => {
  it("forced to the GPU shape on this device: the benchmark's layers against the float64 reference", async () => {
    await checkGradients(bench(), [9, 8], 6, { gpuBlocks: SMALL_BLOCKS.gpuBlocks! }, 6, "gpu");
  }, 240_000);

  it("a model compiles only the shape it runs: forced GPU and CPU shapes agree with each other and the reference; the device's class by default", async () => {
    // SGD: one step moves each parameter by lr times its gradient, so the two shapes' parameters stay as close as their gradients.
    const ir = small("sgd(lr: 0.01)");
    const plan = planModel(ir, { gpuBlocks: { nodes: 4, edges: 16 } });
    const batch = handBatch([7, 6], fullEdges([7, 6]));
    randomFeatures(ir, batch, seededRng(8));
    const params = initParams(ir, 8);
    // A device of its own: its pipeline cache starts empty, so what a model compiles can be counted.
    const ctx = await createDevice();
    try {
      expect(deviceClassOf(ctx.device), "recorded by createDevice").toBe(deviceClass(ctx.adapterInfo));
      if (/llvmpipe|lavapipe/.test(ctx.adapterInfo.text)) expect(deviceClassOf(ctx.device)).toBe("cpu");
      const run = async (shape?: DeviceClass) => {
        const before = cachedPipelineCount(ctx.device);
        const model = await CompiledModel.fromPlan(ctx.device, plan, { params, ...(shape ? { shape } : {}) });
        const compiled = cachedPipelineCount(ctx.device) - before;
        try {
          const out = await model.forward(batch);
          const { loss } = await model.trainStep(batch);
          return { plan: model.plan, compiled, out, loss, params: await model.getParams() };
        } finally {
          model.destroy();
        }
      };
      const g = await run("gpu");
      expect(g.plan.gpu).toBeUndefined();
      expect(hasTree(g.plan)).toBe(true);
      expect(g.compiled, "pipelines: the GPU shape's kernels only").toBe(new Set(g.plan.kernels.map((k) => k.code)).size);
      const c = await run("cpu");
      expect(hasTree(c.plan)).toBe(false);
      // A pipeline is WGSL plus the workgroup size: the shapes' kernels with the same code share one only at the same size.
      expect(c.plan.workgroupSize).not.toBe(g.plan.workgroupSize);
      expect(c.compiled, "pipelines: every CPU-shape kernel (another workgroup size than the GPU shape's)").toBe(new Set(c.plan.kernels.map((k) => k.code)).size);
      const ref = executeForward(ir, params, batch);
      const refLoss = referenceLoss(ir, ref.outputs, batch).value;
      for (const r of [g, c]) {
        for (const o of plan.outputs) expect(scaledError(r.out[o.name]!, ref.outputs[o.name]!, 1e-3), `output ${o.name}`).toBeLessThan(1e-5);
        expect(Math.abs(r.loss - refLoss) / Math.max(1, refLoss)).toBeLessThan(1e-5);
      }
      expect(scaledError(g.params, c.params, 1e-3), "parameters after one step, GPU against CPU shape").toBeLessThan(1e-5);
      expect(g.params).not.toEqual(Float32Array.from(params));
      const d = await run();
      expect(d.plan).toEqual(selectPlanShape(plan, deviceClass(ctx.adapterInfo)));
      expect(d.compiled, "every kernel of the device's shape is on the device already").toBe(0);
    } finally {
      ctx.destroy();
    }
  }, 240_000);
});

describe("reproducible training", () => {
  for (const shape of ["cpu", "gpu"] as const) {
    it(`two runs of the same training (${shape.toUpperCase()} shape, Adam, 3 steps) end with bit-identical parameters and losses`, async () => {
      const ir = small("adam(lr: 0.01)");
      const rng = seededRng(5);
      const batch = handBatch([7, 6], fullEdges([7, 6]));
      randomFeatures(ir, batch, rng);
      const params = initParams(ir, 5);
      const train = async () => {
        const model = await CompiledModel.fromPlan(gpu().device, planModel(ir, shape === "gpu" ? SMALL_BLOCKS : { shape }), { params });
        try {
          const losses: number[] = [];
          for (let i = 0; i < 3; i++) losses.push((await model.trainStep(batch)).loss);
          return { losses, params: Array.from(await model.getParams()) };
        } finally {
          model.destroy();
        }
      };
      const [a, b] = [await train(), await train()];
      expect(a.losses[2]).toBeLessThan(a.losses[0]!);
      expect(b.losses).toEqual(a.losses);
      expect(b.params).toEqual(a.params);
      expect(a.params).not.toEqual(params);
    }, 240_000);
  }
});
