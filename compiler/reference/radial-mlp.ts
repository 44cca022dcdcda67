/**
 * The radial network: e3nn's FullyConnectedNet without biases. h_0 = emb; z_k = h_k @ (W_k / sqrt(fan_in_k));
 * h_{k+1} = actScale · act(z_k) on every layer but the last, whose z is the output. W_k is (fan_in, fan_out)
 * row-major at its parameter's offset.
 */
import { ACTIVATIONS } from "../nn/activation.js";
import type { ModelIR, RadialMlpIR } from "../ir/types.js";
import { addParamGrad, paramView } from "./params.js";

function weights(ir: ModelIR, params: Float64Array, mlp: RadialMlpIR): Float64Array[] {
  if (mlp.params.length !== mlp.sizes.length - 1) throw new Error(`radial MLP: ${mlp.sizes.length} sizes need ${mlp.sizes.length - 1} weight matrices, got ${mlp.params.length}`);
  return mlp.params.map((name, k) => {
    const w = paramView(ir, params, name);
    if (w.length !== mlp.sizes[k]! * mlp.sizes[k + 1]!) throw new Error(`radial MLP '${name}' has ${w.length} numbers, expected ${mlp.sizes[k]} x ${mlp.sizes[k + 1]}`);
    return w;
  });
}

/** z = h @ W / sqrt(fan_in) for (rows, fanIn) h. */
function layer(h: Float64Array, w: Float64Array, rows: number, fanIn: number, fanOut: number): Float64Array {
  const z = new Float64Array(rows * fanOut);
  const s = 1 / Math.sqrt(fanIn);
  for (let r = 0; r < rows; r++)
    for (let i = 0; i < fanIn; i++) {
      const hi = h[r * fanIn + i]! * s;
      if (hi === 0) continue;
      for (let o = 0; o < fanOut; o++) z[r * fanOut + o] += hi * w[i * fanOut + o]!;
    }
  return z;
}

/** Output (rows, sizes.at(-1)), and every layer's input h_k and pre-activation z_k. */
export function radialMlpForward(ir: ModelIR, params: Float64Array, mlp: RadialMlpIR, emb: Float64Array, rows: number): { out: Float64Array; hs: Float64Array[]; zs: Float64Array[] } {
  const ws = weights(ir, params, mlp);
  const act = ACTIVATIONS[mlp.act].f;
  const hs: Float64Array[] = [], zs: Float64Array[] = [];
  let h = emb;
  for (let k = 0; k < ws.length; k++) {
    hs.push(h);
    const z = layer(h, ws[k]!, rows, mlp.sizes[k]!, mlp.sizes[k + 1]!);
    zs.push(z);
    h = k < ws.length - 1 ? z.map((v) => mlp.actScale * act(v)) : z;
  }
  return { out: h, hs, zs };
}

/** Accumulates the weights' gradient into `gradParams` and returns the gradient of the input emb. */
export function radialMlpBackward(ir: ModelIR, params: Float64Array, mlp: RadialMlpIR, emb: Float64Array, rows: number, gOut: Float64Array, gradParams: Float64Array): Float64Array {
  const ws = weights(ir, params, mlp);
  const { hs, zs } = radialMlpForward(ir, params, mlp, emb, rows);
  const dact = ACTIVATIONS[mlp.act].df;
  let g = gOut; // gradient of z_k
  for (let k = ws.length - 1; k >= 0; k--) {
    const [fanIn, fanOut] = [mlp.sizes[k]!, mlp.sizes[k + 1]!];
    const s = 1 / Math.sqrt(fanIn);
    const h = hs[k]!, w = ws[k]!;
    const gw = new Float64Array(fanIn * fanOut), gh = new Float64Array(rows * fanIn);
    for (let r = 0; r < rows; r++)
      for (let i = 0; i < fanIn; i++) {
        let acc = 0;
        for (let o = 0; o < fanOut; o++) {
          const go = g[r * fanOut + o]!;
          gw[i * fanOut + o] += h[r * fanIn + i]! * go * s;
          acc += go * w[i * fanOut + o]!;
        }
        gh[r * fanIn + i] = acc * s;
      }
    addParamGrad(ir, gradParams, mlp.params[k]!, gw);
    if (k > 0) {
      const z = zs[k - 1]!;
      g = gh.map((v, q) => v * mlp.actScale * dact(z[q]!));
    } else g = gh;
  }
  return g;
}
