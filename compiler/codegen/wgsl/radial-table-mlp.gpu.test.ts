// The blocked radial-MLP kernels for the table's grid (radial-table-mlp.ts) on a real WebGPU device against the
// float64 reference MLP (compiler/reference/radial-mlp.ts). Tolerances of the output's scale: forward 1e-5,
// weight gradients 1e-4.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gpuContext, releaseGpu, runRows, scaledError } from "../../../test/gpu.js";
import type { Activation, ModelIR, RadialMlpIR } from "../../ir/types.js";
import { secondMomentScale } from "../../nn/activation.js";
import { randomNormal, seededRng } from "../../o3/rotation.js";
import { radialMlpBackward, radialMlpForward } from "../../reference/radial-mlp.js";
import { tableMlpKernels } from "./radial-table-mlp.js";

beforeAll(gpuContext);
afterAll(releaseGpu);

/** `first`: the first weight's offset (9 leaves every weight unaligned: the scalar loads; 12 aligns them: vec4). */
async function check(sizes: number[], act: Activation, R: number, seed: number, first = 9): Promise<string[]> {
  const params = [];
  let offset = first;
  for (let k = 0; k + 1 < sizes.length; k++) {
    params.push({ name: `fc.layer${k}.weight`, shape: [sizes[k]!, sizes[k + 1]!], offset, size: sizes[k]! * sizes[k + 1]!, init: "normal" as const, relaxed: false });
    offset += sizes[k]! * sizes[k + 1]!;
  }
  const mlp: RadialMlpIR = { sizes, act, actScale: secondMomentScale(act), params: params.map((p) => p.name) };
  const ir = { params, paramCount: offset + 4 } as unknown as ModelIR;
  const rng = seededRng(seed), gauss = (n: number) => Float64Array.from({ length: n }, () => randomNormal(rng));
  const IN = sizes[0]!, OUT = sizes[sizes.length - 1]!;
  const emb = gauss(R * IN), theta = gauss(ir.paramCount), gOut = gauss(R * OUT);
  const ref = radialMlpForward(ir, theta, mlp, emb, R);
  const refGrad = new Float64Array(ir.paramCount);
  radialMlpBackward(ir, theta, mlp, emb, R, gOut, refGrad);

  const k = tableMlpKernels(mlp, params.map((p) => p.offset), R);
  const H = k.hiddenSize;
  // Buffers by name, threaded through the kernels in plan order (each binds the subset it declares).
  const bufs: Record<string, ArrayLike<number>> = { emb, model_params: theta, out: new Float64Array(R * OUT), hidden: new Float64Array(R * H), acts: new Float64Array(R * H), grad_out: gOut, delta: new Float64Array(R * H), grad_params: Float64Array.from(theta) };
  const readOnly = new Set(["emb", "model_params", "grad_out"]);
  for (const kernel of [...k.forward, ...k.backward]) {
    const names = kernel.bindings;
    const ins = names.filter((n) => kernel.layout.find((l) => l.name === n)!.access === "read");
    const outs = names.filter((n) => !ins.includes(n));
    expect(outs.every((n) => !readOnly.has(n))).toBe(true);
    const rows = (kernel.rows as { count: number }).count;
    const res = await runRows(kernel.label, kernel.code, rows, ins.map((n) => bufs[n]!), outs.map((n) => bufs[n]!.length), [], { initial: outs.map((n) => bufs[n]!) });
    outs.forEach((n, i) => (bufs[n] = res[i]!));
  }
  expect(scaledError(bufs.out!, ref.out)).toBeLessThan(1e-5);
  const start = params[0]!.offset, end = offset;
  expect(scaledError((bufs.grad_params as Float32Array).subarray(start, end), refGrad.subarray(start, end))).toBeLessThan(1e-4);
  for (const i of [0, start - 1, end, ir.paramCount - 1]) expect(bufs.grad_params![i]).toBe(Math.fround(theta[i]!)); // neighbours untouched
  return [...k.forward, ...k.backward].filter((kernel) => kernel.code.includes("array<vec4f>")).map((kernel) => kernel.label);
}

describe("radial table MLP kernels against the f64 reference", () => {
  it("the benchmark's sizes [10, 100, 192], silu, 37 grid nodes (blocks cut at every edge)", async () => {
    // Unaligned weights: only the last weight gradient (grid activations x the table's gradient) reads vec4s.
    expect(await check([10, 100, 192], "silu", 37, 1)).toEqual(["table_mlp_10x100x192_silu_grad_weight_1"]);
  });
  it("the same with aligned weights: the vec4 products (output layer, its delta, the last weight gradient)", async () => {
    expect(await check([10, 100, 192], "silu", 37, 1, 12)).toEqual(["table_mlp_10x100x192_silu_forward_1", "table_mlp_10x100x192_silu_delta_1", "table_mlp_10x100x192_silu_grad_weight_1"]);
  });
  it("aligned weights, two hidden layers [8, 12, 16, 20], tanh: every form, M and N not multiples of the block", async () => {
    expect(await check([8, 12, 16, 20], "tanh", 23, 4, 4)).toEqual([
      "table_mlp_8x12x16x20_tanh_forward_0", "table_mlp_8x12x16x20_tanh_forward_2", "table_mlp_8x12x16x20_tanh_delta_2",
      "table_mlp_8x12x16x20_tanh_grad_weight_0", "table_mlp_8x12x16x20_tanh_grad_weight_1", "table_mlp_8x12x16x20_tanh_grad_weight_2",
    ]);
  });
  it("sizes [4, 6, 5, 3], tanh (two hidden layers)", async () => {
    await check([4, 6, 5, 3], "tanh", 21, 2);
  });
  it("a single layer [6, 5], sigmoid", async () => {
    await check([6, 5], "sigmoid", 10, 3);
  });
});
