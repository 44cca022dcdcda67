// The radial table's interpolation error in float64, for e3nn-initialised (standard normal) MLP weights and for
// e3nn's own trained-shape weights from ../shared/e3nn-vectors: the tabulated MLP must stay within a tenth of the
// GPU tolerance (relative 1e-5 of the output scale) at every edge length, so that interpolation never decides
// whether a model agrees with e3nn.
import { describe, expect, it } from "vitest";
import { loadE3nnConvolution } from "../../../test/e3nn-vectors.js";
import type { Activation, ModelIR, RadialMlpIR } from "../../ir/types.js";
import { secondMomentScale } from "../../nn/activation.js";
import { randomNormal, seededRng } from "../../o3/rotation.js";
import { radialBasis } from "../../nn/radial-basis.js";
import { radialMlpForward } from "../../reference/radial-mlp.js";
import { radialTableCells, radialTableEmbedding } from "./radial-table.js";
import type { RadialBasisIR } from "./edge-geometry.js";

/** The WGSL stencil (radialStencilKernel) in float64: first node b and the four Lagrange weights at r. */
function stencil(attr: RadialBasisIR, cells: number, r: number): { b: number; l: number[] } {
  const p = (r - attr.start) * (cells / (attr.cutoff - attr.start));
  const b = Math.min(Math.max(Math.floor(p) - 1, 0), cells - 3);
  const t = p - b;
  return { b, l: [(-(t - 1) * (t - 2) * (t - 3)) / 6, (t * (t - 2) * (t - 3)) / 2, (-t * (t - 1) * (t - 3)) / 2, (t * (t - 1) * (t - 2)) / 6] };
}

/** Largest |interpolated - direct| over r, relative to the largest |direct|, on `samples` lengths in (start, cutoff). */
function interpolationError(attr: RadialBasisIR, sizes: number[], act: Activation, weights: Float64Array, samples: number): number {
  const params = [];
  let offset = 0;
  for (let k = 0; k + 1 < sizes.length; k++) {
    params.push({ name: `fc.layer${k}.weight`, shape: [sizes[k]!, sizes[k + 1]!], offset, size: sizes[k]! * sizes[k + 1]!, init: "normal" as const, relaxed: false });
    offset += sizes[k]! * sizes[k + 1]!;
  }
  if (weights.length !== offset) throw new Error(`${weights.length} weights for sizes [${sizes}]`);
  const mlp: RadialMlpIR = { sizes, act, actScale: secondMomentScale(act), params: params.map((p) => p.name) };
  const ir = { params, paramCount: offset } as unknown as ModelIR;
  const cells = radialTableCells(attr), J = sizes.at(-1)!;
  const table = radialMlpForward(ir, weights, mlp, Float64Array.from(radialTableEmbedding(attr, cells)), cells + 1).out;
  const rs = Float64Array.from({ length: samples }, (_, i) => attr.start + ((i + 0.5) / samples) * (attr.cutoff - attr.start));
  const emb = new Float64Array(samples * sizes[0]!);
  rs.forEach((r, i) => emb.set(radialBasis(attr, r).value, i * sizes[0]!));
  const direct = radialMlpForward(ir, weights, mlp, emb, samples).out;
  let err = 0, scale = 0;
  rs.forEach((r, i) => {
    const { b, l } = stencil(attr, cells, r);
    for (let j = 0; j < J; j++) {
      let v = 0;
      for (let m = 0; m < 4; m++) v += l[m]! * table[(b + m) * J + j]!;
      err = Math.max(err, Math.abs(v - direct[i * J + j]!));
      scale = Math.max(scale, Math.abs(direct[i * J + j]!));
    }
  });
  return err / scale;
}

const benchEmb: RadialBasisIR = { name: "emb", op: "radial_basis", irreps: "10x0e", basis: "smooth_finite", count: 10, start: 0, cutoff: 18, scale: Math.sqrt(10) } as RadialBasisIR;

function normalWeights(n: number, seed: number): Float64Array {
  const rng = seededRng(seed);
  return Float64Array.from({ length: n }, () => randomNormal(rng));
}

describe("radial table interpolation error (float64)", () => {
  it("e3nn's own weights of gate_points_convolution.json (smooth_finite x sqrt(10), [10, 100, 192], silu): < 1e-6", () => {
    for (const c of loadE3nnConvolution().cases) {
      const w = Float64Array.from([...c.weights["tp.fc.layer0.weight"]!, ...c.weights["tp.fc.layer1.weight"]!]);
      expect(interpolationError(benchEmb, [10, 100, 192], "silu", w, 6000)).toBeLessThan(1e-6);
    }
  });

  for (const [basis, act, count] of [["smooth_finite", "silu", 10], ["smooth_finite", "tanh", 8], ["bessel", "silu", 8], ["fourier", "sigmoid", 8]] as const) {
    it(`standard-normal weights, ${basis} (${count}), ${act}, [${count}, 64, 64, 48] and [${count}, 100, 192]: < 1e-6 for 4 seeds`, () => {
      const attr = { ...benchEmb, basis, count, irreps: `${count}x0e`, cutoff: basis === "smooth_finite" ? 18 : 5 } as RadialBasisIR;
      for (const sizes of [[count, 64, 64, 48], [count, 100, 192]]) {
        const n = sizes.slice(1).reduce((a, s, k) => a + s * sizes[k]!, 0);
        for (let seed = 1; seed <= 4; seed++) expect(interpolationError(attr, sizes, act, normalWeights(n, seed), 6000), `${sizes} seed ${seed}`).toBeLessThan(1e-6);
      }
    });
  }
});
