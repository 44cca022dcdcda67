// Data that once trained on garbage: positions far from the origin (collapsed in float32) and fields named
// like Object.prototype's members (lost or mistaken for functions). Both must now run as the plain case does.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gpu, gpuContext, releaseGpu, scaledError } from "../../test/gpu.js";
import { planModel } from "../../compiler/codegen/plan.js";
import { parseDataset } from "../../compiler/data/dataset.js";
import { executeForward, initParams } from "../../compiler/reference/index.js";
import { compileOrThrow } from "../../test/test-models.js";
import type { GraphInput } from "../graph/batching.js";
import { CompiledModel } from "./compiled-model.js";

beforeAll(gpuContext);
afterAll(releaseGpu);

describe("positions far from the origin", () => {
  const ir = compileOrThrow(`model Far {
    graph radius 2.6
    input z: 2x0e
    input pos: positions
    edge sh = spherical_harmonics(lmax: 2)
    edge emb = bessel(count: 6, cutoff: 2.6)
    layer a = conv(z, sh, emb, radial: [8], num_neighbors: 4) -> 0e + 1o + 2e
    output y = a
  }`);
  const BASE = [0.05, -0.02, 0.01, 1.52, 0.47, 0.55, -0.3, 1.1, 0.9, 0.7, -0.8, 1.6];
  const Z = [1, 0, 0, 1, 1, 0, 0, 1];
  const CELL = [0, 1.5, 1.5, 1.5, 0, 1.5, 1.5, 1.5, 0];
  const shifted = (by: number[]) => BASE.map((v, i) => v + by[i % 3]!);

  it("give the outputs of the same graph at the origin (molecules and crystals)", async () => {
    const params = initParams(ir, 3);
    const model = await CompiledModel.fromPlan(gpu().device, planModel(ir), { params });
    try {
      for (const cell of [undefined, { vectors: CELL }]) {
        const graph = (pos: number[]): GraphInput => ({ numNodes: 4, features: { z: Z, pos }, ...(cell ? { cell } : {}) });
        const { y } = await model.forward([graph(BASE)]);
        const ref = executeForward(ir, params, model.batch([graph(BASE)])).outputs.y!;
        expect(scaledError(y!, ref, 1e-3)).toBeLessThan(1e-5);
        expect(Math.hypot(...ref)).toBeGreaterThan(1e-3);
        for (const by of [[1e8, -3e7, 5e7], [-2.5e6, 0, 1e8]]) {
          const { y: far } = await model.forward([graph(shifted(by))]);
          // In float32, 1e8 + 0.05 and 1e8 + 1.52 are the same number: without recentring the edges collapse.
          expect(scaledError(far!, ref, 1e-3), `shift ${by}${cell ? " (periodic)" : ""}`).toBeLessThan(1e-5);
        }
      }
    } finally {
      model.destroy();
    }
  });
});

// A target named `constructor` or `toString` is refused by the checker (E133), so the hostile target here is `__proto__`.
describe("fields named __proto__, constructor, toString", () => {
  const spec = (x: string, s: string, t: string) => `model Names {
    input ${x}: 0e + 1o
    input ${s}: 0e
    target ${t}: 0e + 1o per graph
    layer a = linear(${x}) -> 0e + 1o
    layer b = self_connection(a, ${s}) -> 0e + 1o
    layer p = pool(b)
    output y = p per graph
    train { loss: sse(y, ${t}) optimizer: sgd(lr: 1e-2) batch: 2 }
  }`;
  const data = (x: string, s: string, t: string) =>
    JSON.stringify({
      graphs: [0, 1, 2].map((g) => ({
        nodes: 2,
        inputs: { [x]: [[1, g, 0.5, -1], [0.5, 1, -g, 2]], [s]: [1 + g, 0.5] },
        targets: { [t]: [0.3 * g, 1, -1, 0.5] },
      })),
    });

  it("train end to end exactly as plain names do", async () => {
    const losses: number[][] = [];
    for (const names of [["x", "s", "t"], ["toString", "constructor", "__proto__"]] as [string, string, string][]) {
      const ir = compileOrThrow(spec(...names));
      const graphs = parseDataset(data(...names), "data.json", ir);
      const model = await CompiledModel.fromPlan(gpu().device, planModel(ir), { seed: 1 });
      try {
        const per: number[] = [];
        await model.fit(graphs, { epochs: 4, onEpoch: ({ loss }) => void per.push(loss) });
        const out = await model.forward(graphs);
        expect(Object.hasOwn(out, "y")).toBe(true);
        losses.push(per);
      } finally {
        model.destroy();
      }
    }
    const [plain, hostile] = losses;
    expect(plain![0]).toBeGreaterThan(0);
    expect(plain![3]).toBeLessThan(plain![0]!);
    expect(hostile).toEqual(plain);
  });
});
