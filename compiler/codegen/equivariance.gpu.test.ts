// Compiled models on the GPU (f32) transform as they must: a plain model under random rotations and
// inversions, a model kept to D4h under every element of D4h, and not under a rotation outside it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gpu, gpuContext, releaseGpu } from "../../test/gpu.js";
import { transformRows } from "../../test/equivariance.js";
import { PlanExecutor } from "../../runtime/model/executor.js";
import { Irreps } from "../o3/irreps.js";
import { pointGroup } from "../o3/point-groups.js";
import { axisAngleToMatrix, randomNormal, randomOrthogonal, seededRng, type Matrix3 } from "../o3/rotation.js";
import { irrepsD } from "../o3/wigner-d.js";
import { fullEdges, handBatch } from "../../test/hand-batch.js";
import { compileOrThrow, randomFeatures } from "../../test/test-models.js";
import type { GraphBatch } from "../../runtime/graph/batch.js";
import type { ModelIR } from "../ir/types.js";
import { planModel } from "./plan.js";

beforeAll(gpuContext);
afterAll(releaseGpu);

const spec = (symmetry: string) => `model Eq {
  ${symmetry}
  input x: 2x0e + 1x1o + 1x2e
  input pos: positions
  edge sh = spherical_harmonics(lmax: 2)
  edge emb = bessel(count: 6, cutoff: 4.0)
  layer a = ${symmetry ? "relaxed_conv" : "conv"}(x, sh, emb, radial: [8], num_neighbors: 4) -> 2x0e + 1x1o + 1x2e
  layer g0 = linear(a) -> 2x0e + 2x0e + 1x1o + 1x2e
  layer g = gate(g0) -> 2x0e + 1x1o + 1x2e
  layer b = ${symmetry ? "relaxed_conv" : "conv"}(g, sh, emb, radial: [8], num_neighbors: 4) -> 0e + 1o + 2e
  output y = b
}`;

/** Runs the model on the batch with every node feature and position transformed by g. */
async function outputs(exec: PlanExecutor, ir: ModelIR, batch: GraphBatch, g: Matrix3 | null): Promise<Float32Array> {
  const features: Record<string, Float64Array> = {};
  for (const f of ir.inputs) {
    const irreps = Irreps.parse(f.irreps);
    features[f.name] = g ? transformRows(irrepsD(irreps, g), irreps.dim, batch.features[f.name]!) : batch.features[f.name]!;
  }
  exec.load({ ...batch, features });
  await exec.run("forward");
  return exec.read("v.b");
}

async function equivarianceError(exec: PlanExecutor, ir: ModelIR, batch: GraphBatch, g: Matrix3): Promise<number> {
  const out = Irreps.parse("0e+1o+2e");
  const fx = await outputs(exec, ir, batch, null);
  const fgx = await outputs(exec, ir, batch, g);
  const gfx = transformRows(irrepsD(out, g), out.dim, Float64Array.from(fx));
  let err = 0, scale = 0;
  for (let i = 0; i < fx.length; i++) {
    err = Math.max(err, Math.abs(fgx[i]! - gfx[i]!));
    scale = Math.max(scale, Math.abs(fx[i]!));
  }
  return err / scale;
}

async function setUp(symmetry: string, randomTheta: boolean) {
  const ir = compileOrThrow(spec(symmetry));
  const rng = seededRng(21);
  const batch = handBatch([6], fullEdges([6]));
  randomFeatures(ir, batch, rng, 1.2);
  const exec = await PlanExecutor.create(gpu().device, planModel(ir));
  // Random parameters everywhere, θ included: a relaxed model must still keep exactly its group.
  const params = Float32Array.from({ length: ir.paramCount }, () => (randomTheta ? randomNormal(rng) : 0.5 * randomNormal(rng)));
  exec.write("params", params);
  return { ir, batch, exec, rng };
}

describe("equivariance of compiled models (f32, GPU)", () => {
  it("a plain model commutes with random rotations and inversions to 1e-5", async () => {
    const { ir, batch, exec, rng } = await setUp("", false);
    try {
      for (let t = 0; t < 4; t++) expect(await equivarianceError(exec, ir, batch, randomOrthogonal(rng))).toBeLessThan(1e-5);
    } finally {
      exec.destroy();
    }
  });

  it("relaxed to O(3) (θ only its scalar, whatever the coefficients) it is an ordinary equivariant model", async () => {
    const { ir, batch, exec, rng } = await setUp("symmetry relax to O(3) lmax 4", true);
    try {
      expect(ir.symmetry.theta!.coefficients).toBe(1);
      for (let t = 0; t < 4; t++) expect(await equivarianceError(exec, ir, batch, randomOrthogonal(rng))).toBeLessThan(1e-5);
    } finally {
      exec.destroy();
    }
  });

  it("a model kept to D4h (random θ coefficients) commutes with all 16 elements, and not with a generic rotation", async () => {
    const { ir, batch, exec } = await setUp("symmetry relax to D4h lmax 4", true);
    try {
      for (const g of pointGroup("D4h").elements()) expect(await equivarianceError(exec, ir, batch, g)).toBeLessThan(1e-5);
      expect(await equivarianceError(exec, ir, batch, axisAngleToMatrix([1, 2, 3], 0.7))).toBeGreaterThan(1e-3);
    } finally {
      exec.destroy();
    }
  });
});
