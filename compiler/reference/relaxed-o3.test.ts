// "With H = O(3) it equals the plain convolution": θ keeps only its scalar, F = FCTP(θ, Y) is the harmonics
// scaled per degree, and the relaxed layer is a plain convolution whose radial weights are rescaled per path.
// Mapping the weights explicitly shows the two compute the same function (float64).
import { describe, expect, it } from "vitest";
import type { LayerIR } from "../ir/types.js";
import { Irreps } from "../o3/irreps.js";
import { randomNormal, seededRng } from "../o3/rotation.js";
import { executeForward } from "./forward.js";
import { fullEdges, handBatch } from "../../test/hand-batch.js";
import { initParams } from "./init.js";
import { compileOrThrow, randomFeatures } from "../../test/test-models.js";

const spec = (layer: string, symmetry: string) => `model M {
  ${symmetry}
  input x: 2x0e + 1x1o + 1x2e
  input pos: positions
  edge sh = spherical_harmonics(lmax: 2)
  edge emb = bessel(count: 5, cutoff: 3.0)
  layer a = ${layer}(x, sh, emb, radial: [6], num_neighbors: 3) -> 1x0e + 2x1o + 1x2e + 1x1e
  output y = a
}`;

describe("relax to O(3)", () => {
  it("equals a plain convolution with per-path rescaled radial weights", () => {
    const relaxed = compileOrThrow(spec("relaxed_conv", "symmetry relax to O(3) lmax 2"));
    const plain = compileOrThrow(spec("conv", ""));
    const rng = seededRng(3);
    const batch = handBatch([5], fullEdges([5]));
    randomFeatures(relaxed, batch, rng);
    const pr = initParams(relaxed, 3);
    const offset = (ir: typeof relaxed, name: string) => ir.params.find((p) => p.name === name)!.offset;
    pr[offset(relaxed, "a.theta")] = 0.8 + Math.abs(randomNormal(rng)); // any scalar θ
    const rl = relaxed.layers[0] as Extract<LayerIR, { op: "relaxed_conv" }>;
    const cl = plain.layers[0] as Extract<LayerIR, { op: "conv" }>;
    const theta = Irreps.parse(rl.thetaIrreps);
    const c = pr[offset(relaxed, "a.theta")]!;
    const wTheta = offset(relaxed, "a.tp_theta.weight");
    // a_s: the factor F's natural slot s of degree l gets, F_s = a_s Y_l (C(0, l, l) = 1/sqrt(2l+1)).
    const slotScale = new Map<number, number>();
    for (const ins of rl.tpTheta.instructions) {
      if (ins.i1 !== 0) continue; // only θ's 0e is non-zero
      const l = theta.get(ins.iOut).l;
      slotScale.set(ins.iOut, c * pr[wTheta + ins.weightOffset]! * ins.pathWeight / Math.sqrt(2 * l + 1));
    }
    const pp = new Float64Array(plain.paramCount);
    const [rel0, rel1] = rl.radial.params.map((n) => offset(relaxed, n));
    const [con0, con1] = cl.radial.params.map((n) => offset(plain, n));
    pp.set(pr.subarray(rel0!, rel0! + rl.radial.sizes[0]! * rl.radial.sizes[1]!), con0!);
    const hidden = rl.radial.sizes[1]!;
    for (const k of cl.tp.instructions) {
      const l = Irreps.parse(cl.tp.irrepsIn2).get(k.i2).l;
      const slot = theta.entries.findIndex((e) => e.l === l && e.p === (l % 2 === 0 ? 1 : -1));
      const r = rl.tpMessage.instructions.find((q) => q.i1 === k.i1 && q.i2 === slot && q.iOut === k.iOut)!;
      const factor = (slotScale.get(slot)! * r.pathWeight) / k.pathWeight;
      const size = k.pathShape.reduce((s, n) => s * n, 1);
      for (let e = 0; e < size; e++) {
        for (let h = 0; h < hidden; h++) {
          pp[con1! + h * cl.radial.sizes[2]! + k.weightOffset + e] = pr[rel1! + h * rl.radial.sizes[2]! + r.weightOffset + e]! * factor;
        }
      }
    }
    const yr = executeForward(relaxed, pr, batch).outputs.y!;
    const yp = executeForward(plain, pp, batch).outputs.y!;
    let err = 0, scale = 0;
    for (let i = 0; i < yr.length; i++) {
      err = Math.max(err, Math.abs(yr[i]! - yp[i]!));
      scale = Math.max(scale, Math.abs(yr[i]!));
    }
    expect(scale).toBeGreaterThan(1e-3);
    expect(err / scale).toBeLessThan(1e-12);
  });
});
