/** `concat`: each output row is the inputs' rows one after another (direct sum), and its backward split. */
import type { LayerOf } from "../ir/types.js";
import { shapeOf } from "../ir/values.js";
import { rowsOf } from "./domains.js";
import type { LayerReference } from "./layer-reference.js";

export function concatForward(xs: Float64Array[], dims: number[], rows: number): Float64Array {
  const total = dims.reduce((a, d) => a + d, 0);
  const out = new Float64Array(rows * total);
  for (let r = 0; r < rows; r++) {
    let off = 0;
    xs.forEach((x, k) => {
      out.set(x.subarray(r * dims[k]!, (r + 1) * dims[k]!), r * total + off);
      off += dims[k]!;
    });
  }
  return out;
}

export function concatBackward(gOut: Float64Array, dims: number[], rows: number): Float64Array[] {
  const total = dims.reduce((a, d) => a + d, 0);
  let off = 0;
  return dims.map((d) => {
    const g = new Float64Array(rows * d);
    for (let r = 0; r < rows; r++) g.set(gOut.subarray(r * total + off, r * total + off + d), r * d);
    off += d;
    return g;
  });
}

export const concatLayer: LayerReference<LayerOf<"concat">> = {
  forward: (ctx, layer) => concatForward(layer.inputs.map((n) => ctx.value(n)), layer.inputs.map((n) => shapeOf(ctx.ir, n).dim), rowsOf(layer.domain, ctx.batch)),
  backward: (ctx, layer, gOut) =>
    concatBackward(gOut, layer.inputs.map((n) => shapeOf(ctx.ir, n).dim), rowsOf(layer.domain, ctx.batch)).map((grad, k) => ({ name: layer.inputs[k]!, grad })),
};
