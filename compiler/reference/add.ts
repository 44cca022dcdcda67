/** `add`: the rows of two values of equal irreps summed; both inputs receive the output's gradient. */
import type { LayerOf } from "../ir/types.js";
import type { LayerReference } from "./layer-reference.js";

export const addLayer: LayerReference<LayerOf<"add">> = {
  forward(ctx, layer) {
    const [a, b] = [ctx.value(layer.inputs[0]!), ctx.value(layer.inputs[1]!)];
    return a.map((v, i) => v + b[i]!);
  },
  backward: (_ctx, layer, gOut) => layer.inputs.map((name) => ({ name, grad: gOut })),
};
