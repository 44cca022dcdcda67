/** Row-wise layers (gate, norm, add, concat) and pooling: options copied, norm's weights added. */
import { secondMomentScale } from "../../nn/activation.js";
import { Irreps } from "../../o3/irreps.js";
import type { Activation } from "../types.js";
import type { LayerLowerer } from "./context.js";

export const lowerGate: LayerLowerer<"gate"> = ({ layer, base }) => {
  const scalars = new Irreps(layer.irrepsOut.entries.filter((e) => e.l === 0));
  const gated = new Irreps(layer.irrepsOut.entries.filter((e) => e.l > 0));
  const nGates = gated.numIrreps;
  return {
    ...base, op: "gate", scalars: scalars.toString(), gates: nGates ? `${nGates}x0e` : "", gated: gated.toString(),
    actScalars: layer.options.scalars as Activation, actGates: layer.options.gates as Activation,
    actScalarsScale: secondMomentScale(layer.options.scalars as Activation), actGatesScale: secondMomentScale(layer.options.gates as Activation),
    params: [],
  };
};

export const lowerNorm: LayerLowerer<"norm"> = (l) => {
  l.params.add(`${l.layer.name}.weight`, [l.x.irreps.numIrreps], "ones");
  return { ...l.base, op: "norm", eps: l.layer.options.eps as number, params: l.names() };
};

export const lowerPool: LayerLowerer<"pool"> = ({ layer, base }) => ({ ...base, op: "pool", reduce: layer.options.reduce as "sum" | "mean", params: [] });

export const lowerAdd: LayerLowerer<"add"> = ({ base }) => ({ ...base, op: "add", params: [] });

export const lowerConcat: LayerLowerer<"concat"> = ({ base }) => ({ ...base, op: "concat", params: [] });
