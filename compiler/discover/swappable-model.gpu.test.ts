// The swappable-θ model (θ's basis in a buffer) against models compiled for one kept group: with the group's
// table written in, training runs step for step as the model compiled for that group (SGD with momentum and
// Adam, l2 and proximal group lasso), and one compiled model serves several groups in turn.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gpu, gpuContext, releaseGpu, scaledError } from "../../test/gpu.js";
import { CompiledModel } from "../../runtime/model/compiled-model.js";
import type { GraphInput } from "../../runtime/graph/batching.js";
import { planModel } from "../codegen/plan.js";
import { pointGroup } from "../o3/point-groups.js";
import { seededRng, randomNormal } from "../o3/rotation.js";
import { compileOrThrow } from "../../test/test-models.js";
import { thetaLayout } from "../nn/theta-layout.js";
import type { ModelIR } from "../ir/types.js";
import { SwappableThetaModel } from "./swappable-model.js";
import { padCoefficients } from "./theta-coefficients.js";

beforeAll(gpuContext);
afterAll(releaseGpu);

const spec = (symmetry: string, optimizer: string) => compileOrThrow(`model T {
  symmetry ${symmetry}
  graph radius 2.5
  input x: 0e + 1o
  input pos: positions
  target t: 0e + 1o
  edge sh = spherical_harmonics(lmax: 2)
  edge emb = bessel(count: 4, cutoff: 2.5)
  layer h1 = relaxed_conv(x, sh, emb, radial: [6], num_neighbors: 3) -> 0e + 1o + 2e
  layer h2 = relaxed_node(h1, lmax: 1, mul: 3) -> 0e + 1o
  output y = h2
  train { loss: sse(y, t) optimizer: ${optimizer} regularize: [l2(0.01), group_lasso(0.02)] }
}`);

function graphs(): GraphInput[] {
  const rng = seededRng(5);
  return [5, 4].map((n) => ({
    numNodes: n,
    features: {
      x: Array.from({ length: 4 * n }, () => randomNormal(rng)),
      pos: Array.from({ length: 3 * n }, () => randomNormal(rng)),
      t: Array.from({ length: 4 * n }, () => randomNormal(rng)),
    },
  })) as GraphInput[];
}

/** `kept`'s parameters in the C1 model's layout (θ padded onto the kept group's table rows). */
function toSwappable(kept: ModelIR, c1: ModelIR, params: Float32Array, scalarRows: Map<string, number>): Float32Array {
  const out = new Float32Array(c1.paramCount);
  for (const p of c1.params) {
    const q = kept.params.find((x) => x.name === p.name)!;
    const data = params.subarray(q.offset, q.offset + q.size);
    if (!p.relaxed) out.set(data, p.offset);
    else {
      const layer = kept.layers.find((l) => "theta" in l && l.theta === p.name) as Extract<ModelIR["layers"][number], { theta: string }>;
      out.set(padCoefficients(thetaLayout(kept, p.name, layer.thetaIrreps), scalarRows.get(layer.name)!, data), p.offset);
    }
  }
  return out;
}

const D4H = "relax to D4h axis (0, 0.6, 0.8) secondary (1, 0, 0) lmax 2 mul 2";

describe("θ basis in a buffer", () => {
  // `regnnc discover` plans for the device: the GPU shape (block-sum reductions) must swap bases just as well.
  for (const [optimizer, shape] of [["sgd(lr: 1e-2, momentum: 0.9)", "cpu"], ["adam(lr: 1e-2)", "cpu"], ["sgd(lr: 1e-2, momentum: 0.9)", "gpu"]] as const) {
    it(`${optimizer}, ${shape} shape: trains step for step as the model compiled for D4h (tilted axis), then serves C1 unchanged`, async () => {
      const kept = spec(D4H, optimizer), c1 = spec("relax to C1 lmax 2 mul 2", optimizer);
      const device = gpu().device;
      const baked = await CompiledModel.fromPlan(device, planModel(kept), { seed: 3 });
      const plan = planModel(c1, { thetaBasis: "buffer", shape, gpuBlocks: { nodes: 2, edges: 4 } });
      expect(plan.buffers.filter((b) => b.name.startsWith("theta_basis.")).map((b) => b.name)).toEqual(["theta_basis.h1", "theta_basis.h2"]);
      const swap = await SwappableThetaModel.create(device, plan);
      try {
        const scalarRows = new Map(plan.thetas.map((t) => [t.layer, plan.buffers.find((b) => b.name === `theta_basis.${t.layer}`)!.values![0]!] as const));
        swap.restart(toSwappable(kept, c1, await baked.getParams(), scalarRows));
        swap.keep(pointGroup("D4h", { axis: [0, 0.6, 0.8], secondary: [1, 0, 0] }));
        const data = graphs();
        for (let step = 0; step < 6; step++) {
          const a = await baked.trainStep(data, { epoch: 0 }), b = await swap.trainStep(data, { epoch: 0 });
          expect(Math.abs(a.loss - b.loss) / a.loss, `loss at step ${step}`).toBeLessThan(1e-4);
          expect(Math.abs(a.regularization - b.regularization), `regulariser at step ${step}`).toBeLessThanOrEqual(1e-4 * Math.max(a.regularization, 1e-6));
        }
        await baked.forward(data);
        await swap.forward(data);
        const [ta, tb] = [await baked.thetas(), await swap.thetas()];
        for (let i = 0; i < ta.length; i++) expect(scaledError(tb[i]!.theta, ta[i]!.theta), `θ of ${ta[i]!.layer}`).toBeLessThan(1e-4);
        // The coefficients off D4h's basis never move from 0.
        const now = await swap.getParams();
        const padded = toSwappable(kept, c1, await baked.getParams(), scalarRows);
        for (const p of c1.params.filter((q) => q.relaxed)) {
          for (let i = p.offset; i < p.offset + p.size; i++) if (padded[i] === 0) expect(now[i], `${p.name}[${i - p.offset}]`).toBe(0);
        }

        // The same compiled model, now fully relaxed: the forward equals a model compiled for C1.
        const plain = await CompiledModel.fromPlan(device, planModel(c1), { seed: 4 });
        try {
          swap.restart(await plain.getParams());
          swap.keep(pointGroup("C1"));
          const [ya, yb] = [await plain.forward(data), await swap.forward(data)];
          expect(scaledError(yb.y!, ya.y!)).toBeLessThan(1e-5);
        } finally {
          plain.destroy();
        }
      } finally {
        baked.destroy();
        swap.destroy();
      }
    }, 180_000);
  }
});
