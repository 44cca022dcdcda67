import { describe, expect, it } from "vitest";
import { thetaBasisTable } from "../codegen/wgsl/theta.js";
import { invariantProjector } from "../o3/invariant-basis.js";
import { Irreps } from "../o3/irreps.js";
import { pointGroup } from "../o3/point-groups.js";
import { randomNormal, seededRng } from "../o3/rotation.js";
import { compileOrThrow } from "../../test/test-models.js";
import { thetaLayout } from "../nn/theta-layout.js";
import { coefficientsFromTable, forbiddenNorms, padCoefficients, thetaFromTable, unpadCoefficients } from "./theta-coefficients.js";

const irreps = "2x0e+2x0o+2x1o+2x1e+2x2e+2x2o";
const group = pointGroup("D4h", { axis: [0, 0.6, 0.8], secondary: [1, 0, 0] });

describe("θ basis tables", () => {
  it("project θ onto the kept group's invariant subspace, block by block, as invariantProjector does", () => {
    const table = thetaBasisTable(group, irreps);
    expect(table.length).toBe(1 + 1 + 9 + 9 + 25 + 25);
    const rng = seededRng(1);
    const theta = Float64Array.from({ length: Irreps.parse(irreps).dim }, () => randomNormal(rng));
    const kept = thetaFromTable(table, irreps, coefficientsFromTable(table, irreps, theta));
    let off = 0;
    for (const e of Irreps.parse(irreps)) {
      const d = 2 * e.l + 1;
      const P = invariantProjector(group, e.l, e.p);
      for (let u = 0; u < e.mul; u++, off += d)
        for (let i = 0; i < d; i++) {
          const want = Array.from({ length: d }, (_, j) => P[i * d + j]! * theta[off + j]!).reduce((a, b) => a + b, 0);
          expect(kept[off + i]).toBeCloseTo(want, 10);
        }
    }
    expect(forbiddenNorms(table, irreps, kept).every((n) => n.norm < 1e-10)).toBe(true);
    expect(forbiddenNorms(table, irreps, theta).find((n) => n.irrep === "1o")!.norm).toBeGreaterThan(0.1);
  });

  it("pad and unpad a model relaxed to D4h's coefficients without loss, and refuse a coefficient off the basis", () => {
    const ir = compileOrThrow(`model T {
      symmetry relax to D4h axis (0, 0.6, 0.8) secondary (1, 0, 0) lmax 2 mul 2
      input x: 0e
      target t: 0e + 2e
      layer y = relaxed_node(x) -> 0e + 2e
      output o = y
    }`);
    const layout = thetaLayout(ir, "y.theta", ir.symmetry.theta!.irreps);
    const rng = seededRng(2);
    const c = Float64Array.from({ length: layout.coefficients }, () => randomNormal(rng));
    const padded = padCoefficients(layout, 1, c);
    expect(Array.from(unpadCoefficients(layout, 1, padded))).toEqual(Array.from(c));
    // The padded coefficients on D4h's table give the same θ as the compiled model's coefficients.
    const table = thetaBasisTable(group, ir.symmetry.theta!.irreps, 1);
    const direct = thetaFromTable(table, ir.symmetry.theta!.irreps, padded);
    let k = 0;
    for (const b of layout.blocks) {
      const d = b.ir.dim;
      for (let u = 0; u < b.mul; u++)
        for (let i = 0; i < d; i++) {
          let s = 0;
          for (let r = 0; r < b.rank; r++) s += c[b.coefOffset + u * b.rank + r]! * b.basis[r * d + i]!;
          expect(direct[b.thetaOffset + u * d + i]).toBeCloseTo(s, 12);
          k++;
        }
    }
    expect(k).toBe(layout.dim);
    const bad = Float64Array.from(padded);
    const b = layout.blocks.find((x) => x.rank < x.ir.dim)!;
    bad[b.thetaOffset + b.ir.dim - 1] = 1;
    expect(() => unpadCoefficients(layout, 1, bad)).toThrow(/off the kept group's basis/);
  });
});
