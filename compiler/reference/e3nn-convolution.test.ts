// e3nn's own gate_points_2101.Convolution (e3nn 0.5.6, float64, its own weights and inputs) against the float64
// reference executing specs/bench_conv.regnn with those weights: the whole model, and the radial MLP alone.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadE3nnConvolution, type E3nnConvolutionCase } from "../../test/e3nn-vectors.js";
import type { LayerIR, ModelIR } from "../ir/types.js";
import { executeForward } from "./forward.js";
import { handBatch } from "../../test/hand-batch.js";
import { radialBasis, type RadialBasisIR } from "../nn/radial-basis.js";
import { radialMlpForward } from "./radial-mlp.js";
import { compileOrThrow } from "../../test/test-models.js";

const spec = readFileSync(new URL("../../specs/bench_conv.regnn", import.meta.url), "utf8");

/** The flat parameter vector of `ir` from e3nn's weights (every parameter must be given, with its size). */
export function paramsFromE3nn(ir: ModelIR, c: E3nnConvolutionCase): Float64Array {
  const params = new Float64Array(ir.paramCount);
  for (const p of ir.params) {
    const w = c.weights[p.name];
    if (!w || w.length !== p.size) throw new Error(`e3nn case: weight '${p.name}' missing or not ${p.size} numbers`);
    params.set(w, p.offset);
  }
  return params;
}

/** Largest |a - b| over the largest |b|. */
function scaled(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0, s = 0;
  for (let i = 0; i < b.length; i++) {
    d = Math.max(d, Math.abs(a[i]! - b[i]!));
    s = Math.max(s, Math.abs(b[i]!));
  }
  return d / s;
}

describe("e3nn's gate_points convolution in the float64 reference", () => {
  const ir = compileOrThrow(spec, "bench_conv.regnn");
  const vectors = loadE3nnConvolution();

  it("has both cases", () => expect(vectors.cases.length).toBe(2));

  vectors.cases.forEach((c, k) => {
    it(`case ${k} (${c.numNodes} nodes, ${c.src.length} edges): y equals e3nn's to 1e-10 of its scale`, () => {
      const batch = handBatch([c.numNodes], c.src.map((s, e) => [s, c.dst[e]!]), { x: Float64Array.from(c.x), pos: Float64Array.from(c.pos) });
      const y = executeForward(ir, paramsFromE3nn(ir, c), batch).outputs.out!;
      expect(y.length).toBe(c.y.length);
      expect(scaled(y, c.y)).toBeLessThan(1e-10);
    });

    it(`case ${k}: the radial MLP's output on edge 0 equals e3nn's to 1e-10`, () => {
      const conv = ir.layers.find((l): l is Extract<LayerIR, { op: "conv" }> => l.op === "conv")!;
      const emb = ir.edgeAttrs.find((a) => a.name === conv.inputs[2]) as RadialBasisIR;
      const [s, d] = [c.src[0]!, c.dst[0]!];
      const r = Math.hypot(...[0, 1, 2].map((a) => c.pos[d * 3 + a]! - c.pos[s * 3 + a]!));
      const out = radialMlpForward(ir, paramsFromE3nn(ir, c), conv.radial, radialBasis(emb, r).value, 1).out;
      expect(scaled(out, c.radial_weights_first_edge)).toBeLessThan(1e-10);
    });
  });
});
