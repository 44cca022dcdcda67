// θ's layout lives in the IR: lowering writes it from the kept group's invariant bases, and the codegen, the
// reference and the PyTorch emitter read it from there (an IR whose layout says otherwise is followed).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compileSource } from "../../compile.js";
import { thetaLayout } from "../../nn/theta-layout.js";
import { invariantBasis } from "../../o3/invariant-basis.js";
import { Irrep } from "../../o3/irreps.js";
import { pointGroup } from "../../o3/point-groups.js";
import { layerThetaBlocks } from "../../codegen/wgsl/theta.js";
import { planModel } from "../../codegen/plan.js";
import { initParams } from "../../reference/init.js";
import type { LayerIR, ModelIR } from "../types.js";

const irOf = (file: string): ModelIR => {
  const { ir, diagnostics } = compileSource(readFileSync(new URL(`../../../specs/${file}`, import.meta.url), "utf8"), file);
  expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return ir!;
};
const relaxed = (ir: ModelIR) => ir.layers.filter((l): l is Extract<LayerIR, { theta: string }> => "theta" in l);

describe("θ's layout in the IR", () => {
  it("holds each block's invariant basis under the kept group, its offsets, and the pure scalar's coefficients", () => {
    const ir = irOf("cube_to_box_keep_d4h.regnn");
    const group = pointGroup(ir.symmetry.keep, { axis: ir.symmetry.axis, secondary: ir.symmetry.secondary });
    for (const layer of relaxed(ir)) {
      const lay = layer.thetaLayout;
      let theta = 0, coef = 0;
      for (const b of lay.blocks) {
        const irrep = Irrep.parse(b.irrep);
        expect(b.basis.flat()).toEqual(Array.from(invariantBasis(group, irrep.l, irrep.p)));
        expect(b.basis.length).toBe(b.rank);
        expect([b.thetaOffset, b.coefOffset]).toEqual([theta, coef]);
        theta += b.mul * irrep.dim;
        coef += b.mul * b.rank;
      }
      expect([lay.dim, lay.coefficients]).toEqual([theta, coef]);
      expect(ir.params.find((p) => p.name === layer.theta)!.size).toBe(coef);
      // D4h keeps fewer directions than C1: some blocks vanish (rank 0), the scalar block keeps one per copy.
      expect(lay.blocks.some((b) => b.rank === 0)).toBe(true);
      const scalar = lay.blocks.find((b) => b.irrep === "0e")!;
      expect(lay.scalar.filter((v) => v !== 0).length).toBe(scalar.mul);
    }
  });

  it("is what the codegen, the reference and the plan read (no consumer recomputes the bases)", () => {
    const ir = structuredClone(irOf("charged_particle.regnn"));
    const layer = relaxed(ir)[0]!;
    const block = layer.thetaLayout.blocks.find((b) => b.irrep === "1o")!;
    // A different (still orthonormal) basis for the 1o block: a sign flip of every row.
    block.basis = block.basis.map((row) => row.map((v) => -v));
    layer.thetaLayout.scalar = layer.thetaLayout.scalar.map((v) => 2 * v);
    expect(layerThetaBlocks(ir, layer.thetaIrreps).blocks.find((b) => b.irrep === "1o")!.basis).toEqual(block.basis);
    expect(Array.from(thetaLayout(ir, layer.theta, layer.thetaIrreps).blocks.find((b) => b.ir.toString() === "1o")!.basis)).toEqual(block.basis.flat());
    const p = ir.params.find((q) => q.name === layer.theta)!;
    expect(Array.from(initParams(ir, 0).subarray(p.offset, p.offset + p.size))).toEqual(layer.thetaLayout.scalar);
    expect(planModel(ir).thetaScalarIndices).toEqual(layer.thetaLayout.scalar.flatMap((v, i) => (v !== 0 ? [p.offset + i] : [])));
  });
});
