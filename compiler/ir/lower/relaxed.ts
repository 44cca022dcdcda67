/** Relaxed layers: θ's coefficients (as many as the kept group's invariant bases have rows), then their tensor products. */
import { fullyConnectedTensorProduct } from "../../o3/fully-connected.js";
import { thetaBlocks, thetaIrreps } from "../../o3/theta.js";
import { radialMlp, tensorProductIR, type LayerLowering, type LayerLowerer } from "./context.js";

function theta(l: LayerLowering) {
  const { layer, model, params } = l;
  const t = thetaIrreps(layer.theta!.lmax, layer.theta!.mul);
  const coefficients = thetaBlocks(model.symmetry.group, layer.theta!.lmax, layer.theta!.mul).reduce((s, b) => s + b.mul * b.rank, 0);
  return { irreps: t, param: params.add(`${layer.name}.theta`, [coefficients], "theta_scalar", true) };
}

export const lowerRelaxedConv: LayerLowerer<"relaxed_conv"> = (l) => {
  const { layer, params, x } = l;
  const [sh, emb] = [layer.inputs[1]!, layer.inputs[2]!];
  const t = theta(l);
  const tpTheta = fullyConnectedTensorProduct(t.irreps, sh.irreps, t.irreps);
  params.add(`${layer.name}.tp_theta.weight`, [tpTheta.weightNumel], "normal");
  const tpMessage = fullyConnectedTensorProduct(x.irreps, t.irreps, layer.irrepsOut, { sharedWeights: false });
  const radial = radialMlp(l, emb, tpMessage.weightNumel);
  return {
    ...l.base, op: "relaxed_conv", theta: t.param, thetaIrreps: t.irreps.toString(),
    tpTheta: tensorProductIR(tpTheta), tpMessage: tensorProductIR(tpMessage), radial,
    numNeighbors: layer.options.num_neighbors as number, params: l.names(),
  };
};

export const lowerRelaxedNode: LayerLowerer<"relaxed_node"> = (l) => {
  const { layer, params, x } = l;
  const t = theta(l);
  const tp = fullyConnectedTensorProduct(x.irreps, t.irreps, layer.irrepsOut);
  params.add(`${layer.name}.tp.weight`, [tp.weightNumel], "normal");
  return { ...l.base, op: "relaxed_node", theta: t.param, thetaIrreps: t.irreps.toString(), tp: tensorProductIR(tp), params: l.names() };
};
