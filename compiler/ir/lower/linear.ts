/** Linear layers and self-connections: fully connected tensor products with 1x0e or the attribute. */
import { fullyConnectedTensorProduct } from "../../o3/fully-connected.js";
import { tensorProductIR, type LayerLowerer } from "./context.js";

export const lowerLinear: LayerLowerer<"linear"> = (l) => {
  // e3nn's o3.Linear equals an FCTP with the constant 1x0e: same paths, same weight layout and numbers.
  const tp = fullyConnectedTensorProduct(l.x.irreps, "1x0e", l.layer.irrepsOut);
  l.params.add(`${l.layer.name}.weight`, [tp.weightNumel], "normal");
  return { ...l.base, op: "linear", tp: tensorProductIR(tp), params: l.names() };
};

export const lowerSelfConnection: LayerLowerer<"self_connection"> = (l) => {
  const attr = l.layer.inputs[1];
  const tp = fullyConnectedTensorProduct(l.x.irreps, attr?.irreps ?? "1x0e", l.layer.irrepsOut);
  l.params.add(`${l.layer.name}.weight`, [tp.weightNumel], "normal");
  return { ...l.base, op: "self_connection", tp: tensorProductIR(tp), attr: attr?.name ?? null, params: l.names() };
};
