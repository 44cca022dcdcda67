/**
 * `norm`: an equivariant instance norm. For each row and each irrep block (mul x ir, as written in the input
 * irreps): if ir is 0e, the block is first centred (its mean over the mul channels subtracted); then
 * n² = mean over the block's mul·(2l+1) entries of x², and out = x / sqrt(n² + eps) · weight[channel], where
 * channel counts irrep copies over the whole input (the weight has numIrreps entries, in order).
 * Only 0e is centred: subtracting a mean from any other irrep would break equivariance (0o flips sign under
 * inversion, so its mean is not invariant either).
 */
import { normBlocks, type NormBlock } from "../nn/norm-blocks.js";
import type { LayerOf } from "../ir/types.js";
import { shapeOf } from "../ir/values.js";
import { rowsOf } from "./domains.js";
import type { LayerReference } from "./layer-reference.js";
import { addParamGrad, paramView } from "./params.js";

/** y (the centred block or x itself) and s = sqrt(mean y² + eps) of one block of one row. */
function normalise(b: NormBlock, x: Float64Array, base: number, eps: number): { y: Float64Array; s: number } {
  const n = b.mul * b.d;
  const y = x.slice(base + b.off, base + b.off + n);
  if (b.centre) {
    const mean = y.reduce((a, v) => a + v, 0) / n;
    for (let i = 0; i < n; i++) y[i] -= mean;
  }
  const s = Math.sqrt(y.reduce((a, v) => a + v * v, 0) / n + eps);
  return { y, s };
}

export function normForward(irreps: string, eps: number, weight: Float64Array, x: Float64Array, rows: number): Float64Array {
  const { list, dim, channels } = normBlocks(irreps);
  if (weight.length !== channels) throw new Error(`norm: the weight has ${weight.length} entries, '${irreps}' has ${channels} irrep copies`);
  const out = new Float64Array(rows * dim);
  for (let r = 0; r < rows; r++)
    for (const b of list) {
      const { y, s } = normalise(b, x, r * dim, eps);
      for (let u = 0; u < b.mul; u++) for (let k = 0; k < b.d; k++) out[r * dim + b.off + u * b.d + k] = (y[u * b.d + k]! / s) * weight[b.channel + u]!;
    }
  return out;
}

/**
 * With out_i = w_(i) y_i / s and s² = mean(y²) + eps: dL/dy_j = g_j w_(j) / s - y_j Σ_i g_i w_(i) y_i / (N s³);
 * centring then subtracts the mean of dL/dy; dL/dw_u = Σ_(i in copy u) g_i y_i / s.
 */
export function normBackward(irreps: string, eps: number, weight: Float64Array, x: Float64Array, rows: number, gOut: Float64Array): { x: Float64Array; weight: Float64Array } {
  const { list, dim, channels } = normBlocks(irreps);
  const gx = new Float64Array(rows * dim), gw = new Float64Array(channels);
  for (let r = 0; r < rows; r++)
    for (const b of list) {
      const n = b.mul * b.d, base = r * dim + b.off;
      const { y, s } = normalise(b, x, r * dim, eps);
      let dot = 0;
      for (let u = 0; u < b.mul; u++)
        for (let k = 0; k < b.d; k++) {
          const i = u * b.d + k;
          dot += gOut[base + i]! * weight[b.channel + u]! * y[i]!;
          gw[b.channel + u] += (gOut[base + i]! * y[i]!) / s;
        }
      const gy = new Float64Array(n);
      for (let u = 0; u < b.mul; u++)
        for (let k = 0; k < b.d; k++) {
          const i = u * b.d + k;
          gy[i] = (gOut[base + i]! * weight[b.channel + u]!) / s - (y[i]! * dot) / (n * s * s * s);
        }
      if (b.centre) {
        const mean = gy.reduce((a, v) => a + v, 0) / n;
        for (let i = 0; i < n; i++) gy[i] -= mean;
      }
      gx.set(gy, base);
    }
  return { x: gx, weight: gw };
}

export const normLayer: LayerReference<LayerOf<"norm">> = {
  forward(ctx, layer) {
    const x = layer.inputs[0]!;
    return normForward(shapeOf(ctx.ir, x).irreps, layer.eps, paramView(ctx.ir, ctx.params, layer.params[0]!), ctx.value(x), rowsOf(layer.domain, ctx.batch));
  },
  backward(ctx, layer, gOut, gradParams) {
    const x = layer.inputs[0]!;
    const g = normBackward(shapeOf(ctx.ir, x).irreps, layer.eps, paramView(ctx.ir, ctx.params, layer.params[0]!), ctx.value(x), rowsOf(layer.domain, ctx.batch), gOut);
    addParamGrad(ctx.ir, gradParams, layer.params[0]!, g.weight);
    return [{ name: x, grad: g.x }];
  },
};
