// The module `regnnc compile --emit js` writes, imported as an application would and created on this machine's
// device in the shape the device's class picks and in the GPU shape forced: both run, agree with each other
// and with the float64 reference.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gpu, gpuContext, releaseGpu, scaledError } from "../../test/gpu.js";
import { runCli } from "../../test/cli.js";
import { compileOrThrow } from "../../test/test-models.js";
import { deviceClass } from "../../runtime/device-class.js";
import type { CompiledModel, CreateModelOptions } from "../../runtime/model/compiled-model.js";
import type { GraphInput } from "../../runtime/graph/batching.js";
import { seededRng } from "../o3/rotation.js";
import { executeForward, loss as referenceLoss } from "../reference/index.js";

beforeAll(gpuContext);
afterAll(releaseGpu);

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const dir = mkdtempSync(join(tmpdir(), "regnn-generated-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SPEC = `model Shapes {
  input x: 3x0e + 2x1o
  target t: 2x0e + 1x1o per graph
  layer l = linear(x) -> 2x0e + 1x1o
  layer p = pool(l)
  output y = p per graph
  train { loss: sse(y, t)  optimizer: sgd(lr: 0.01) }
}`;

type Module = { Shapes: { create(device: GPUDevice, options?: CreateModelOptions): Promise<CompiledModel> } };

describe("a generated JavaScript module", () => {
  it("creates in the device's shape and in the forced GPU shape; both agree with the float64 reference", async () => {
    writeFileSync(join(dir, "shapes.regnn"), SPEC);
    const runtime = pathToFileURL(resolve(root, "runtime/index.ts")).href;
    const r = await runCli(["compile", join(dir, "shapes.regnn"), "-o", dir, "--emit", "js", "--runtime-import", runtime]);
    expect(r.code, r.err).toBe(0);
    const { Shapes } = (await import(/* @vite-ignore */ pathToFileURL(join(dir, "Shapes.js")).href)) as Module;
    const ir = compileOrThrow(SPEC, "shapes.regnn");
    const rng = seededRng(3);
    const graphs: GraphInput[] = [5, 3, 6].map((n) => ({
      numNodes: n,
      features: { x: Array.from({ length: n * 9 }, () => rng() - 0.5), t: Array.from({ length: 5 }, () => rng() - 0.5) },
    }));
    const run = async (options: CreateModelOptions) => {
      const model = await Shapes.create(gpu().device, { seed: 4, ...options });
      try {
        const batch = model.batch(graphs);
        const params = Float64Array.from(await model.getParams());
        const out = await model.forward(batch);
        const { loss } = await model.trainStep(batch);
        const ref = executeForward(ir, params, batch);
        expect(scaledError(out.y!, ref.outputs.y!, 1e-3), "output y against the reference").toBeLessThan(1e-5);
        expect(Math.abs(loss - referenceLoss(ir, ref.outputs, batch).value)).toBeLessThan(1e-5 * Math.max(1, loss));
        return { plan: model.plan, out: out.y!, loss, params: await model.getParams() };
      } finally {
        model.destroy();
      }
    };
    const forced = await run({ shape: "gpu" });
    expect(forced.plan.backward.some((s) => s.label.endsWith(".level0")), "block-sum trees").toBe(true);
    const own = await run({});
    const cls = deviceClass(gpu().adapterInfo);
    expect(own.plan.backward.some((s) => s.label.endsWith(".level0")), `the ${cls} shape`).toBe(cls === "gpu");
    expect(own.plan.gpu).toBeUndefined();
    expect(scaledError(forced.out, own.out, 1e-3)).toBeLessThan(1e-5);
    expect(scaledError(forced.params, own.params, 1e-3), "parameters after one step").toBeLessThan(1e-5);
  }, 240_000);
});
