import { readFileSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { ModelIR } from "../ir/types.js";
import { seededRng } from "../o3/rotation.js";
import type { GraphBatch } from "../../runtime/graph/batch.js";
import { executeBackward } from "./backward.js";
import { executeForward } from "./forward.js";
import { fullEdges, handBatch } from "../../test/hand-batch.js";
import { initParams } from "./init.js";
import { loss } from "./loss.js";
import { regularization } from "./regularization.js";
import { compileOrThrow, randomFeatures } from "../../test/test-models.js";

const root = new URL("../../", import.meta.url);
const spec = (name: string) => compileOrThrow(readFileSync(new URL(`specs/${name}`, root), "utf8"), name);

function finite(values: Iterable<Float64Array>): boolean {
  for (const v of values) for (const x of v) if (!Number.isFinite(x)) return false;
  return true;
}

/** The cube's 8 vertices (±0.5)³, every ordered pair an edge (the radius 1.8 graph). */
function cubeBatch(ir: ModelIR): GraphBatch {
  const b = handBatch([8], fullEdges([8]));
  randomFeatures(ir, b, seededRng(1));
  b.features.pos = Float64Array.from({ length: 24 }, (_, k) => (((Math.floor(k / 3) >> (k % 3)) & 1) - 0.5));
  if (ir.inputs.find((f) => f.name === "x")?.irreps === "1x0e") b.features.x = new Float64Array(8).fill(1); // the one-hot scalar
  return b;
}

function runAll(ir: ModelIR, batch: GraphBatch) {
  const params = initParams(ir, 0);
  const fwd = executeForward(ir, params, batch);
  const grads: Record<string, Float64Array> = {};
  for (const [name, y] of Object.entries(fwd.outputs)) grads[name] = new Float64Array(y.length).fill(1);
  const bwd = executeBackward(ir, params, batch, fwd, grads);
  return { params, fwd, bwd };
}

describe("the specs in specs/ run on small hand-built batches", () => {
  it("cube_to_prism: forward, loss, l2 regulariser and backward are finite; θ starts scalar so l2 is 0", () => {
    const ir = spec("cube_to_prism.regnn");
    const batch = cubeBatch(ir);
    const { params, fwd, bwd } = runAll(ir, batch);
    expect(fwd.outputs.y).toHaveLength(8 * 9);
    expect(finite(fwd.values.values())).toBe(true);
    expect(finite([bwd.params, ...Object.values(bwd.inputs)])).toBe(true);
    expect(Number.isFinite(loss(ir, fwd.outputs, batch).value)).toBe(true);
    expect(regularization(ir, params).value).toBe(0);
    // with the symmetric cube and a scalar θ, every vertex sees the same scalar output (Oh permutes the vertices)
    const y = fwd.outputs.y!;
    for (let i = 1; i < 8; i++) expect(y[i * 9]).toBeCloseTo(y[0]!, 12);
  });

  it("bench_conv: forward and backward on 5 nodes with 9 random edges, no NaN", () => {
    const ir = spec("bench_conv.regnn");
    const batch = handBatch([5], [[0, 1], [1, 0], [2, 0], [3, 0], [4, 2], [1, 3], [2, 4], [3, 4], [0, 4]]);
    randomFeatures(ir, batch, seededRng(2), 5);
    const { fwd, bwd } = runAll(ir, batch);
    expect(fwd.outputs.out).toHaveLength(5 * (32 + 48 + 40));
    expect(finite(fwd.values.values())).toBe(true);
    expect(finite([bwd.params, ...Object.values(bwd.inputs)])).toBe(true);
  });

  it("charged_particle: 16 samples of [1, v] through relaxed_node; group lasso is 0 at the scalar θ", () => {
    const ir = spec("charged_particle.regnn");
    const batch = handBatch([16], []);
    randomFeatures(ir, batch, seededRng(3));
    for (let i = 0; i < 16; i++) batch.features.x![i * 4] = 1;
    const { params, fwd, bwd } = runAll(ir, batch);
    expect(fwd.outputs.acc).toHaveLength(16 * 3);
    expect(finite(fwd.values.values())).toBe(true);
    expect(finite([bwd.params, ...Object.values(bwd.inputs)])).toBe(true);
    expect(regularization(ir, params).value).toBe(0);
    // θ scalar: only the path x0e ⊗ θ1o (zero) and x1o ⊗ θ0e contribute: acc ∝ v
    const acc = fwd.outputs.acc!, x = batch.features.x!;
    const k = acc[0]! / x[1]!;
    for (let i = 0; i < 16; i++) for (let a = 0; a < 3; a++) expect(acc[i * 3 + a]).toBeCloseTo(k * x[i * 4 + 1 + a]!, 12);
  });

  it("every golden IR (test/golden) rebuilds its tensor products with the stored path weights and runs", () => {
    const dir = new URL("test/golden/", root);
    const files = readdirSync(dir).filter((f) => f.endsWith(".ir.json"));
    expect(files.length).toBeGreaterThanOrEqual(3);
    for (const f of files) {
      const ir = JSON.parse(readFileSync(new URL(f, dir), "utf8")) as ModelIR;
      const batch = ir.graph.positions ? cubeBatch(ir) : handBatch([4], []);
      if (!ir.graph.positions) randomFeatures(ir, batch, seededRng(4));
      const { fwd } = runAll(ir, batch);
      expect(finite(fwd.values.values()), f).toBe(true);
    }
  });
});
