// Optimiser kernels on a real WebGPU device: five steps each, against a float64 re-implementation of
// PyTorch's torch.optim.SGD / torch.optim.Adam updates (default options apart from those set here).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gpuContext, releaseGpu, runRows, scaledError } from "../../../test/gpu.js";
import { seededRng } from "../../o3/rotation.js";
import { gaussianArray } from "../../../test/hand-batch.js";
import { adamHyper, adamKernel, ADAM_HYPER_LENGTH, sgdHyper, sgdKernel, SGD_HYPER_LENGTH } from "./optimizer.js";

beforeAll(gpuContext);
afterAll(releaseGpu);

/** torch.optim.SGD.step (dampening 0, nesterov False, weight_decay 0), float64. */
function torchSgd(p: Float64Array, g: Float64Array, buf: Float64Array | null, lr: number, momentum: number): Float64Array | null {
  let d = g;
  if (momentum !== 0) {
    buf = buf === null ? g.slice() : buf.map((b, i) => momentum * b + g[i]!);
    d = buf;
  }
  for (let i = 0; i < p.length; i++) p[i] -= lr * d[i]!;
  return buf;
}

/** torch.optim.Adam.step (amsgrad False, weight_decay 0), float64; step counts from 1. */
function torchAdam(p: Float64Array, g: Float64Array, m: Float64Array, v: Float64Array, step: number, h: { lr: number; beta1: number; beta2: number; eps: number }): void {
  const bc1 = 1 - h.beta1 ** step, bc2 = 1 - h.beta2 ** step;
  for (let i = 0; i < p.length; i++) {
    m[i] = h.beta1 * m[i]! + (1 - h.beta1) * g[i]!;
    v[i] = h.beta2 * v[i]! + (1 - h.beta2) * g[i]! * g[i]!;
    const denom = Math.sqrt(v[i]!) / Math.sqrt(bc2) + h.eps;
    p[i] -= (h.lr / bc1) * (m[i]! / denom);
  }
}

const paramCount = 150;

describe("sgd", () => {
  for (const momentum of [0, 0.9]) {
    it(`momentum ${momentum}: five steps match PyTorch (lr changes between steps, as a schedule would)`, async () => {
      const rng = seededRng(61 + momentum);
      const kernel = sgdKernel();
      expect(kernel.bindings).toEqual(["hyper", "grad_params", "param", "momentum"]);
      const p0 = gaussianArray(paramCount, rng);
      const ref = p0.slice();
      let refBuf: Float64Array | null = null;
      let p: ArrayLike<number> = p0, buf: ArrayLike<number> = new Float64Array(paramCount);
      for (let step = 1; step <= 5; step++) {
        const lr = 0.1 / step, g = gaussianArray(paramCount, rng);
        const hyper = sgdHyper({ lr, momentum });
        expect(hyper.length).toBe(SGD_HYPER_LENGTH);
        [p, buf] = (await runRows("sgd", kernel.code, paramCount, [hyper, g], [paramCount, paramCount], [], { initial: [p, buf] })) as [Float32Array, Float32Array];
        refBuf = torchSgd(ref, g, refBuf, Math.fround(lr), Math.fround(momentum));
        expect(scaledError(p, ref)).toBeLessThan(1e-5);
      }
    });
  }
});

describe("adam", () => {
  it("five steps match PyTorch (defaults betas 0.9, 0.999, eps 1e-8; lr changes between steps)", async () => {
    const rng = seededRng(71);
    const kernel = adamKernel();
    expect(kernel.bindings).toEqual(["hyper", "grad_params", "param", "adam_m", "adam_v"]);
    const p0 = gaussianArray(paramCount, rng);
    const ref = p0.slice(), m = new Float64Array(paramCount), v = new Float64Array(paramCount);
    let p: ArrayLike<number> = p0, gm: ArrayLike<number> = new Float64Array(paramCount), gv: ArrayLike<number> = new Float64Array(paramCount);
    for (let step = 1; step <= 5; step++) {
      const h = { lr: 0.01 * (1 + step / 10), beta1: 0.9, beta2: 0.999, eps: 1e-8 };
      // Gradients of mixed scale, some tiny, where eps matters.
      const g = gaussianArray(paramCount, rng).map((x, i) => (i % 5 === 0 ? 1e-6 * x : x));
      const hyper = adamHyper(h, step);
      expect(hyper.length).toBe(ADAM_HYPER_LENGTH);
      [p, gm, gv] = (await runRows("adam", kernel.code, paramCount, [hyper, g], [paramCount, paramCount, paramCount], [], { initial: [p, gm, gv] })) as [Float32Array, Float32Array, Float32Array];
      torchAdam(ref, g, m, v, step, h);
      expect(scaledError(p, ref)).toBeLessThan(1e-5);
      expect(scaledError(gm, m)).toBeLessThan(1e-5);
      expect(scaledError(Float64Array.from(gv, (x) => Math.sqrt(x)), Float64Array.from(v, (x) => Math.sqrt(x)))).toBeLessThan(1e-5);
    }
  });
});
