import { describe, expect, it } from "vitest";
import type { LayerIR } from "../ir/types.js";
import { pointGroup } from "../o3/point-groups.js";
import { randomNormal, seededRng } from "../o3/rotation.js";
import { thetaBlocks } from "../o3/theta.js";
import { initParams } from "./init.js";
import { compileOrThrow } from "../../test/test-models.js";
import { coefficientGrad, scalarCoefficients, thetaFromCoefficients, thetaLayout } from "../nn/theta-layout.js";

type Relaxed = Extract<LayerIR, { theta: string }>;

describe("θ = B c", () => {
  const ir = compileOrThrow(`model T { symmetry relax to D4h lmax 1 mul 1  input x: 0e  input pos: positions
    edge sh = spherical_harmonics(lmax: 1)  edge emb = gaussian(count: 2, cutoff: 2.0)
    layer a = relaxed_conv(x, sh, emb, lmax: 3, mul: 2) -> 0e
    layer b = relaxed_node(a) -> 0e
    output y = b }`);
  const [a, b] = ir.layers as [Relaxed, Relaxed];

  it("a layer overriding lmax and mul gets the IR's bases where listed and recomputed ones above the model's lmax", () => {
    expect(a.thetaIrreps).toBe("2x0e+2x0o+2x1o+2x1e+2x2e+2x2o+2x3o+2x3e");
    const layout = thetaLayout(ir, a.theta, a.thetaIrreps);
    const expected = thetaBlocks(pointGroup("D4h"), 3, 2);
    expect(layout.blocks.map((bl) => bl.rank)).toEqual(expected.map((e) => e.rank));
    layout.blocks.forEach((bl, i) => bl.basis.forEach((v, j) => expect(Math.abs(v - expected[i]!.basis[j]!)).toBeLessThan(1e-12)));
    expect(layout.coefficients).toBe(ir.params.find((p) => p.name === a.theta)!.size);
    expect(thetaLayout(ir, b.theta, b.thetaIrreps).coefficients).toBe(1);
  });

  it("c is block-major, then copy, then basis row: a unit coefficient gives one basis row in one copy", () => {
    const layout = thetaLayout(ir, a.theta, a.thetaIrreps);
    const two = layout.blocks.find((bl) => bl.ir.toString() === "2e")!;
    expect(two.rank).toBe(1);
    const c = new Float64Array(layout.coefficients);
    c[two.coefOffset + 1] = 1; // copy 1 of 2e
    const theta = thetaFromCoefficients(layout, c);
    const nz = Array.from(theta, (v, i) => [v, i] as const).filter(([v]) => v !== 0).map(([, i]) => i);
    expect(Math.min(...nz)).toBeGreaterThanOrEqual(two.thetaOffset + 5);
    expect(Math.max(...nz)).toBeLessThan(two.thetaOffset + 10);
    for (let i = 0; i < 5; i++) expect(theta[two.thetaOffset + 5 + i]).toBe(two.basis[i]);
  });

  it("coefficientGrad is the transpose: <B c, g> = <c, Bᵀ g>", () => {
    const layout = thetaLayout(ir, a.theta, a.thetaIrreps);
    const rng = seededRng(9);
    const c = Float64Array.from({ length: layout.coefficients }, () => randomNormal(rng));
    const g = Float64Array.from({ length: layout.dim }, () => randomNormal(rng));
    const lhs = thetaFromCoefficients(layout, c).reduce((s, v, i) => s + v * g[i]!, 0);
    const rhs = coefficientGrad(layout, g).reduce((s, v, i) => s + v * c[i]!, 0);
    expect(Math.abs(lhs - rhs)).toBeLessThan(1e-12);
  });

  it("the scalar coefficients (and initParams' theta_scalar) give 1 in each 0e copy and 0 elsewhere", () => {
    const layout = thetaLayout(ir, a.theta, a.thetaIrreps);
    const theta = thetaFromCoefficients(layout, scalarCoefficients(layout));
    expect(Array.from(theta)).toEqual([1, 1, ...new Array(layout.dim - 2).fill(0)]);
    const p = ir.params.find((q) => q.name === a.theta)!;
    const params = initParams(ir, 0);
    expect(Array.from(params.subarray(p.offset, p.offset + p.size))).toEqual(Array.from(scalarCoefficients(layout)));
  });
});
