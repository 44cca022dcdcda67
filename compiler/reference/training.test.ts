import { describe, expect, it } from "vitest";
import type { LayerIR, ModelIR } from "../ir/types.js";
import { handBatch } from "../../test/hand-batch.js";
import { initParams } from "./init.js";
import { loss } from "./loss.js";
import { regularization } from "./regularization.js";
import { compileOrThrow } from "../../test/test-models.js";
import { thetaFromCoefficients, thetaLayout } from "../nn/theta-layout.js";

const relaxed = (group: string, lmax: number, mul: number, reg: string) =>
  compileOrThrow(`model M { symmetry relax to ${group} lmax ${lmax} mul ${mul}  input x: 0e  target t: 0e
    layer y = relaxed_node(x) -> 0e  output o = y  train { loss: mse(o, t)  regularize: ${reg} } }`);

function withTheta(ir: ModelIR, c: number[]): { params: Float64Array; theta: Float64Array } {
  const params = initParams(ir, 0);
  const p = ir.params.find((q) => q.relaxed)!;
  params.set(c, p.offset);
  const layer = ir.layers[0] as Extract<LayerIR, { op: "relaxed_node" }>;
  return { params, theta: thetaFromCoefficients(thetaLayout(ir, p.name, layer.thetaIrreps), c) };
}

describe("loss", () => {
  it("sse: Σ (y - t)², gradient 2 (y - t); mse: the mean over all entries", () => {
    const ir = compileOrThrow(`model L { input x: 0e + 1o  target t: 0e + 1o  layer y = linear(x) -> 0e + 1o  output o = y  train { loss: sse(o, t) } }`);
    const b = handBatch([2], [], { t: Float64Array.of(1, 2, 3, 4, 5, 6, 7, 8) });
    const o = Float64Array.of(1.5, 2, 2, 4, 5, 6, 7, 10);
    const sse = loss(ir, { o }, b);
    expect(sse.value).toBeCloseTo(0.25 + 1 + 4, 14);
    expect(Array.from(sse.grad.o!)).toEqual([1, 0, -2, 0, 0, 0, 0, 4]);
    const mse = loss({ ...ir, train: { ...ir.train, loss: { ...ir.train.loss!, kind: "mse" } } }, { o }, b);
    expect(mse.value).toBeCloseTo(5.25 / 8, 14);
    expect(Array.from(mse.grad.o!)).toEqual([1, 0, -2, 0, 0, 0, 0, 4].map((v) => v / 8));
  });
  it("a model without a loss, or a missing target, is an error", () => {
    const ir = compileOrThrow(`model L { input x: 0e  layer y = linear(x) -> 0e  output o = y }`);
    expect(() => loss(ir, { o: new Float64Array(1) }, handBatch([1], []))).toThrow(/no loss/);
    const ir2 = compileOrThrow(`model L { input x: 0e  target t: 0e  layer y = linear(x) -> 0e  output o = y  train { loss: sse(o, t) } }`);
    expect(() => loss(ir2, { o: new Float64Array(1) }, handBatch([1], []))).toThrow(/batch.features.t/);
  });
});

describe("regularisers of θ = B c", () => {
  // C1, lmax 1, mul 2: θ = 2x0e + 2x0o + 2x1o + 2x1e, 16 entries of which 14 are not 0e
  const c = [0.5, -1, 0.3, 0.7, 1, 2, -2, 0.1, 0.2, 0.3, 0, 0, 0, 3, 0, 4];
  it("l2: λ · mean over the non-0e entries of θ² (0e excluded from the sum and the count)", () => {
    const ir = relaxed("C1", 1, 2, "l2(0.5)");
    const { params, theta } = withTheta(ir, c);
    const nonScalar = Array.from(theta).slice(2);
    const r = regularization(ir, params);
    expect(r.value).toBeCloseTo((0.5 * nonScalar.reduce((s, v) => s + v * v, 0)) / 14, 14);
    const p = ir.params.find((q) => q.relaxed)!;
    expect(r.grad[p.offset]).toBe(0); // 0e copies are not penalised
    expect(r.grad[p.offset + 2]).toBeCloseTo((2 * 0.5 * 0.3) / 14, 14);
  });
  it("group_lasso: λ · Σ over non-0e blocks and copies of ||θ_block,copy||, subgradient 0 at a zero copy", () => {
    const ir = relaxed("C1", 1, 2, "group_lasso(0.1)");
    const { params } = withTheta(ir, c);
    // copies: 0o (0.3), (0.7); 1o (1, 2, -2) -> 3, (0.1, 0.2, 0.3); 1e (0, 0, 0) -> 0, (3, 0, 4) -> 5
    const r = regularization(ir, params);
    expect(r.value).toBeCloseTo(0.1 * (0.3 + 0.7 + 3 + Math.sqrt(0.14) + 0 + 5), 14);
    const p = ir.params.find((q) => q.relaxed)!;
    expect(Array.from(r.grad.subarray(p.offset + 10, p.offset + 13))).toEqual([0, 0, 0]);
    expect(r.grad[p.offset + 13]).toBeCloseTo((0.1 * 3) / 5, 14);
    expect(r.grad[p.offset + 4]).toBeCloseTo((0.1 * 1) / 3, 14);
  });
  it("both regularisers add up; under D4h the zero blocks still count in the l2 mean (17 non-0e entries at lmax 2)", () => {
    const ir = relaxed("D4h", 2, 1, "[l2(0.5), group_lasso(0.1)]");
    const layout = thetaLayout(ir, "y.theta", (ir.layers[0] as { thetaIrreps: string }).thetaIrreps);
    expect(layout.coefficients).toBe(2); // 0e and the uniaxial 2e direction
    const { params, theta } = withTheta(ir, [1.5, -0.8]);
    const sq = Array.from(theta).slice(1).reduce((s, v) => s + v * v, 0);
    expect(sq).toBeCloseTo(0.64, 14);
    expect(regularization(ir, params).value).toBeCloseTo((0.5 * 0.64) / 17 + 0.1 * 0.8, 14);
  });
  it("the pure scalar θ of initParams costs nothing and has a zero gradient", () => {
    const ir = relaxed("C1", 2, 1, "[l2(0.5), group_lasso(0.1)]");
    const r = regularization(ir, initParams(ir, 3));
    expect(r.value).toBe(0);
    expect(r.grad.every((v) => v === 0)).toBe(true);
  });
});
