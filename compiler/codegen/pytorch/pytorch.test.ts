// The generated PyTorch module (regnnc compile --emit pytorch) against the float64 reference: outputs and the
// gradients of every parameter, from the same safetensors weights, for every spec in specs/ and every test
// model, on batches of two graphs (and periodic edges with lattice shifts); weights round-trip
// regnn -> PyTorch -> regnn unchanged. Needs Debian's python3-torch (`npm run setup`).
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { requireTorch, runPython, runTorchCases, type TorchCase } from "../../../test/pytorch.js";
import type { GraphBatch } from "../../../runtime/graph/batch.js";
import { decodeSafetensors, encodeSafetensors } from "../../../runtime/model/safetensors.js";
import type { ModelIR } from "../../ir/types.js";
import { randomNormal, seededRng } from "../../o3/rotation.js";
import { executeForward } from "../../reference/forward.js";
import { gaussianArray, handBatch } from "../../../test/hand-batch.js";
import { compileOrThrow, objectiveGrad, randomFeatures, TEST_MODELS } from "../../../test/test-models.js";
import { Irreps } from "../../o3/irreps.js";
import { emitPyTorchModule, pytorchClassName } from "./emit.js";
import { buildProgram } from "../../cli/program.js";

const root = new URL("../../../", import.meta.url);
const dir = mkdtempSync(join(tmpdir(), "regnn-pytorch-test-"));

function emit(ir: ModelIR): string {
  const path = join(dir, `${pytorchClassName(ir)}.py`);
  writeFileSync(path, emitPyTorchModule(ir));
  return path;
}

function weightsFile(ir: ModelIR, params: Float64Array, name: string, dtype: "F32" | "F64" = "F64"): string {
  const tensors = Object.fromEntries(ir.params.map((p) => {
    const data = params.subarray(p.offset, p.offset + p.size);
    return [p.name, { dtype, shape: p.shape, data: dtype === "F64" ? Float64Array.from(data) : Float32Array.from(data) }];
  }));
  const path = join(dir, name);
  writeFileSync(path, encodeSafetensors(tensors, { model: ir.model, spec_sha256: ir.source.sha256, format: "regnn-weights-1" }));
  return path;
}

/** Two graphs (4 + 3 nodes), every ordered pair within each graph an edge, plus a second edge 0 -> 1. */
function batchFor(ir: ModelIR, seed: number, periodic = false): GraphBatch {
  const edges: [number, number][] = [];
  for (const [base, n] of [[0, 4], [4, 3]] as const) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) edges.push([base + i, base + j]);
  edges.push([0, 1]);
  const b = handBatch([4, 3], edges);
  randomFeatures(ir, b, seededRng(seed));
  // Only x and positions of the cube specs: keep x the constant scalar those models assume (any value works).
  if (periodic) b.edgeShifts = gaussianArray(b.numEdges * 3, seededRng(seed + 7), 0.5).map((v, i) => (Math.floor(i / 3) % 3 === 0 ? v : 0));
  return b;
}

function dimsOf(ir: ModelIR): Record<string, number> {
  return Object.fromEntries([...ir.inputs, ...ir.targets].map((f) => [f.name, Irreps.parse(f.irreps).dim]));
}

function randomParams(ir: ModelIR, seed: number): Float64Array {
  const rng = seededRng(seed);
  return Float64Array.from({ length: ir.paramCount }, () => randomNormal(rng));
}

/** max |a - b| / max |b| (b the reference). */
function relative(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let err = 0, scale = 1e-300;
  for (let i = 0; i < b.length; i++) {
    err = Math.max(err, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return err / scale;
}

interface Model {
  label: string;
  ir: ModelIR;
  periodic?: boolean;
}

const models: Model[] = [
  ...readdirSync(new URL("specs/", root)).filter((f) => f.endsWith(".regnn")).sort().map((f) => ({ label: `specs/${f}`, ir: compileOrThrow(readFileSync(new URL(`specs/${f}`, root), "utf8"), f) })),
  ...Object.entries(TEST_MODELS).map(([name, src]) => ({ label: `test model ${name}`, ir: compileOrThrow(src, `${name}.regnn`) })),
];
models.push({ label: "test model RC1, periodic edges (lattice shifts)", ir: models.find((m) => m.ir.model === "RC1")!.ir, periodic: true });

describe("the PyTorch module against the float64 reference (1e-10)", () => {
  beforeAll(() => requireTorch());

  it("every spec and test model: outputs and parameter gradients (with loss and regularisers where trained)", () => {
    const cases: TorchCase[] = [];
    const expected: { label: string; outputs: Record<string, Float64Array>; grad: Float64Array; inputs: Record<string, Float64Array> }[] = [];
    models.forEach((m, k) => {
      const { ir } = m;
      const params = randomParams(ir, 10 + k);
      const batch = batchFor(ir, 20 + k, m.periodic);
      const fwd = executeForward(ir, params, batch);
      const rng = seededRng(30 + k);
      const gradOutputs = Object.fromEntries(Object.entries(fwd.outputs).map(([name, y]) => [name, gaussianArray(y.length, rng)]));
      const withTraining = ir.train.loss !== null;
      const g = objectiveGrad(ir, params, batch, gradOutputs, withTraining);
      expected.push({ label: m.label, outputs: fwd.outputs, grad: g.params, inputs: g.inputs });
      cases.push({ path: emit(ir), weights: weightsFile(ir, params, `w${k}.safetensors`), batch, dims: dimsOf(ir), gradOutputs, withTraining });
    });
    const results = runTorchCases(cases);
    expect(results.length).toBe(models.length);
    results.forEach((r, k) => {
      const e = expected[k]!;
      for (const [name, y] of Object.entries(e.outputs)) expect(relative(r.outputs[name]!, y), `${e.label}: output ${name}`).toBeLessThan(1e-10);
      expect(relative(r.gradParams, e.grad), `${e.label}: parameter gradients`).toBeLessThan(1e-10);
      for (const [name, g] of Object.entries(e.inputs)) {
        if (!g.some((v) => v !== 0)) continue;
        expect(relative(r.gradInputs[name]!, g), `${e.label}: gradient of input ${name}`).toBeLessThan(1e-10);
      }
    });
  });

  it("weights round-trip regnn -> PyTorch -> regnn bit for bit (F32, names, shapes and metadata)", () => {
    const ir = models.find((m) => m.ir.model === "CubeToPrism")!.ir;
    const params = Float64Array.from(Float32Array.from(randomParams(ir, 3)));
    const src = weightsFile(ir, params, "roundtrip-in.safetensors", "F32");
    const out = join(dir, "roundtrip-out.safetensors");
    const py = emit(ir);
    const r = runPython(["-c", `import importlib.util as u, sys; s = u.spec_from_file_location("m", sys.argv[1]); m = u.module_from_spec(s); s.loader.exec_module(m); x = m.MODEL_CLASS(); x.load_weights(sys.argv[2]); x.save_weights(sys.argv[3])`, py, src, out]);
    expect(r.status, r.stderr).toBe(0);
    const a = decodeSafetensors(readFileSync(src)), b = decodeSafetensors(readFileSync(out));
    expect(Object.keys(b.tensors).sort()).toEqual(Object.keys(a.tensors).sort());
    for (const [name, t] of Object.entries(a.tensors)) {
      expect(b.tensors[name]!.dtype).toBe("F32");
      expect(b.tensors[name]!.shape).toEqual(t.shape);
      expect(Array.from(b.tensors[name]!.data)).toEqual(Array.from(t.data));
    }
    expect(b.metadata).toEqual({ model: ir.model, spec_sha256: ir.source.sha256, format: "regnn-weights-1" });
  });

  it("regnnc compile --emit pytorch writes <Model>.py, and Python imports it", async () => {
    const out = join(dir, "cli");
    let text = "";
    const program = buildProgram({ out: (t) => (text += t), err: (t) => (text += t) }).exitOverride();
    process.exitCode = undefined;
    await program.parseAsync(["compile", new URL("specs/cube_to_box.regnn", root).pathname, "-o", out, "--emit", "pytorch"], { from: "user" });
    expect(Number(process.exitCode ?? 0), text).toBe(0);
    process.exitCode = undefined;
    expect(readdirSync(out)).toEqual(["CubeToBox.py"]);
    const r = runPython(["-c", "import importlib.util as u, sys; s = u.spec_from_file_location('m', sys.argv[1]); m = u.module_from_spec(s); s.loader.exec_module(m); print(m.MODEL_CLASS.__name__, m.MODEL_CLASS().params.numel())", join(out, "CubeToBox.py")]);
    expect(r.status, r.stderr).toBe(0);
    const ir = models.find((m) => m.ir.model === "CubeToBox")!.ir;
    expect(r.stdout.trim()).toBe(`CubeToBox ${ir.paramCount}`);
  });
});
