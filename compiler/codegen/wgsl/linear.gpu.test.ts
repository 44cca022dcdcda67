// The blocked linear-layer kernels (linear.ts) on a real WebGPU device against the float64 tensor product of
// compiler/o3 with the constant 1x0e. Tolerances of the output's scale: forward 1e-5, backward 1e-4.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gpuContext, releaseGpu, runRows, scaledError } from "../../../test/gpu.js";
import { tensorProductIR } from "../../ir/lower.js";
import { fullyConnectedTensorProduct } from "../../o3/fully-connected.js";
import { randomNormal, seededRng } from "../../o3/rotation.js";
import { isPlainLinear, linearBackwardInputSteps, linearForwardSteps, linearWeightGradSteps } from "./linear.js";

beforeAll(gpuContext);
afterAll(releaseGpu);

async function check(irrepsIn: string, irrepsOut: string, nodes: number, seed: number) {
  const tp = fullyConnectedTensorProduct(irrepsIn, "1x0e", irrepsOut);
  const ir = tensorProductIR(tp);
  expect(isPlainLinear(ir)).toBe(true);
  const rng = seededRng(seed), gauss = (n: number) => Float64Array.from({ length: n }, () => randomNormal(rng));
  const [dIn, dOut, nw, lead] = [tp.irrepsIn1.dim, tp.irrepsOut.dim, tp.weightNumel, 11];
  const x = gauss(nodes * dIn), params = gauss(lead + nw + 3), g = gauss(nodes * dOut), start = gauss(nodes * dIn);
  const w = params.subarray(lead, lead + nw), ones = new Float64Array(nodes).fill(1);
  const out = tp.forward(x, ones, w, nodes);
  const back = tp.backward(x, ones, w, g, nodes);
  const sizes = { nodes };

  let gpuOut: ArrayLike<number> = new Float64Array(nodes * dOut).fill(3); // every block must be assigned
  for (const st of linearForwardSteps(ir, lead)) [gpuOut] = await runRows(st.kernel.label, st.kernel.code, nodes, [x, params, st.table], [nodes * dOut], [], { ...sizes, initial: [gpuOut] });
  expect(scaledError(gpuOut, out)).toBeLessThan(1e-5);
  let gx: ArrayLike<number> = start;
  for (const st of linearBackwardInputSteps(ir, lead)) [gx] = await runRows(st.kernel.label, st.kernel.code, nodes, [g, params, st.table], [nodes * dIn], [], { ...sizes, initial: [gx] });
  expect(scaledError(gx, start.map((v, i) => v + back.x1[i]!))).toBeLessThan(1e-4);
  let gp: ArrayLike<number> = params;
  for (const st of linearWeightGradSteps(ir, lead, "nodes")) [gp] = await runRows(st.kernel.label, st.kernel.code, st.rows!, [x, g, st.table], [params.length], [], { ...sizes, initial: [gp] });
  expect(scaledError(Array.from(gp).slice(lead, lead + nw), back.weight)).toBeLessThan(1e-4);
  for (const i of [0, lead - 1, lead + nw, params.length - 1]) expect(gp[i]).toBe(Math.fround(params[i]!)); // neighbours untouched
}

describe("linear-layer kernels against the f64 tensor product with 1x0e", () => {
  it("the benchmark's lin2 shape (several inputs per output irrep), 37 nodes", async () => {
    await check("32x0e+16x0e+8x0e+32x1o+16x1o+16x1o+8x1o+32x2e+16x2e+8x2e+8x2e", "32x0e + 16x1o + 8x2e", 37, 1);
  });

  it("channel counts that are not multiples of 4, an output irrep no input reaches", async () => {
    await check("3x0e + 5x1o + 2x2e", "7x0e + 1x1o + 2x2e + 2x1e", 13, 2);
  });
});
