// The generated tensor-product kernels on a real WebGPU device, against e3nn's own float64 vectors and the
// float64 reference (compiler/o3). Tolerances: forward 1e-5, backward 1e-4, of the output's scale (f32).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { flat, loadVectors, type TensorProductVectors } from "../../../test/e3nn-vectors.js";
import { gpuContext, releaseGpu, runRows, scaledError } from "../../../test/gpu.js";
import { tensorProductIR } from "../../ir/lower.js";
import { convolutionTensorProduct, fullyConnectedTensorProduct } from "../../o3/fully-connected.js";
import { randomNormal, seededRng } from "../../o3/rotation.js";
import { TensorProduct, type ConnectionMode } from "../../o3/tensor-product.js";
import { tensorProductBackwardWGSL, tensorProductForwardWGSL, tensorProductTable } from "./tensor-product.js";

beforeAll(gpuContext);
afterAll(releaseGpu);

/** Column sums of a (rows, n) array: the shared-weight gradient from its per-row parts. */
function columnSums(a: Float32Array, rows: number, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let r = 0; r < rows; r++) for (let j = 0; j < n; j++) out[j] += a[r * n + j]!;
  return out;
}

async function runForwardAndBackward(tp: TensorProduct, x1: Float64Array, x2: Float64Array, w: Float64Array, g: Float64Array, batch: number) {
  const ir = tensorProductIR(tp);
  const wn = Math.max(tp.weightNumel, 1);
  const table = tensorProductTable(ir);
  const out = await runRows("tp_forward", tensorProductForwardWGSL(ir), batch, [x1, x2, w, table], [batch * tp.irrepsOut.dim]);
  const [gx1, gx2, gw] = await runRows("tp_backward", tensorProductBackwardWGSL(ir), batch, [x1, x2, w, g, table], [batch * tp.irrepsIn1.dim, batch * tp.irrepsIn2.dim, batch * wn]);
  return { out: out[0]!, gx1: gx1!, gx2: gx2!, gw: tp.sharedWeights ? columnSums(gw!, batch, wn).subarray(0, tp.weightNumel) : gw!.subarray(0, batch * tp.weightNumel) };
}

describe("tensor-product kernels against e3nn's vectors", () => {
  const { cases } = loadVectors<TensorProductVectors>("tensor_products");
  for (const c of cases) {
    it(`${c.name}: forward and all gradients`, async () => {
      const tp = new TensorProduct(c.irreps_in1, c.irreps_in2, c.irreps_out, c.instructions.map(([a, b, o, m, h]) => [a, b, o, m as ConnectionMode, h] as const), {
        irrepNormalization: c.irrep_normalization, pathNormalization: c.path_normalization, sharedWeights: c.shared_weights,
      });
      const r = await runForwardAndBackward(tp, flat(c.x1), flat(c.x2), flat(c.weight), flat(c.g), c.batch);
      expect(scaledError(r.out, flat(c.out))).toBeLessThan(1e-5);
      expect(scaledError(r.gx1, flat(c.grad_x1))).toBeLessThan(1e-4);
      expect(scaledError(r.gx2, flat(c.grad_x2))).toBeLessThan(1e-4);
      expect(scaledError(r.gw, flat(c.grad_weight))).toBeLessThan(1e-4);
    });
  }
});

describe("tensor-product kernels against the float64 reference", () => {
  const rng = seededRng(5);
  const gauss = (n: number) => Float64Array.from({ length: n }, () => randomNormal(rng));
  const cases: [string, TensorProduct][] = [
    ["fctp l<=3", fullyConnectedTensorProduct("3x0e+2x1o+2x2e+1x3o", "0e+1o+2e+3o", "2x0e+2x1o+2x1e+2x2e+1x3o+1x3e", { sharedWeights: false })],
    ["bench uvu", convolutionTensorProduct("32x0e+16x1o+8x2e", "0e+1o+2e", "32x0e+16x1o+8x2e").tp],
    ...(["uvv", "uuw", "uuu"] as ConnectionMode[]).map((mode): [string, TensorProduct] => [
      mode,
      new TensorProduct("3x1o+3x0e", "3x1o", "3x1e+3x1o", [[0, 0, 0, mode, true], [1, 0, 1, mode, mode !== "uuw" && mode !== "uuu" ? false : true]]),
    ]),
  ];
  for (const [name, tp] of cases) {
    it(`${name}: forward and gradients on 50 rows`, async () => {
      const batch = 50;
      const x1 = gauss(batch * tp.irrepsIn1.dim), x2 = gauss(batch * tp.irrepsIn2.dim), g = gauss(batch * tp.irrepsOut.dim);
      const w = gauss(tp.sharedWeights ? tp.weightNumel : batch * tp.weightNumel);
      const r = await runForwardAndBackward(tp, x1, x2, w, g, batch);
      const ref = tp.backward(x1, x2, w, g, batch);
      expect(scaledError(r.out, tp.forward(x1, x2, w, batch))).toBeLessThan(1e-5);
      expect(scaledError(r.gx1, ref.x1)).toBeLessThan(1e-4);
      expect(scaledError(r.gx2, ref.x2)).toBeLessThan(1e-4);
      expect(scaledError(r.gw, ref.weight)).toBeLessThan(1e-4);
    });
  }
});

describe("tensor-product kernel addressing modes", () => {
  it("gathers x1 rows by index, broadcasts x2, reads shared weights at an offset", async () => {
    const rng = seededRng(9);
    const gauss = (n: number) => Float64Array.from({ length: n }, () => randomNormal(rng));
    const tp = fullyConnectedTensorProduct("2x0e+1x1o", "0e+1o", "1x0e+2x1o+1x2e");
    const ir = tensorProductIR(tp);
    const nodes = 3, rows = 7, offset = 5;
    const idx = [2, 0, 1, 1, 2, 0, 2];
    const xNodes = gauss(nodes * tp.irrepsIn1.dim), x2 = gauss(tp.irrepsIn2.dim), w = gauss(tp.weightNumel);
    const padded = Float64Array.from([...gauss(offset), ...w, ...gauss(3)]);
    const g = gauss(rows * tp.irrepsOut.dim);
    // The same product on explicit rows, in float64.
    const x1Rows = Float64Array.from(idx.flatMap((n) => [...xNodes.subarray(n * tp.irrepsIn1.dim, (n + 1) * tp.irrepsIn1.dim)]));
    const x2Rows = Float64Array.from({ length: rows * x2.length }, (_, i) => x2[i % x2.length]!);
    const opts = { x1: "gather", x2: "broadcast", weightOffset: offset } as const;
    const table = tensorProductTable(ir);
    const [out] = await runRows("tp_modes_forward", tensorProductForwardWGSL(ir, opts), rows, [xNodes, x2, padded, table], [rows * tp.irrepsOut.dim], [idx]);
    expect(scaledError(out!, tp.forward(x1Rows, x2Rows, w, rows))).toBeLessThan(1e-5);
    const [gx1, gx2, gw] = await runRows("tp_modes_backward", tensorProductBackwardWGSL(ir, opts), rows, [xNodes, x2, padded, g, table], [rows * tp.irrepsIn1.dim, rows * tp.irrepsIn2.dim, rows * tp.weightNumel], [idx]);
    const ref = tp.backward(x1Rows, x2Rows, w, g, rows);
    expect(scaledError(gx1!, ref.x1)).toBeLessThan(1e-4);
    expect(scaledError(gx2!, ref.x2)).toBeLessThan(1e-4);
    expect(scaledError(columnSums(gw!, rows, tp.weightNumel), ref.weight)).toBeLessThan(1e-4);
  });
});
