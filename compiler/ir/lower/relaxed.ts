/** Relaxed layers: θ's coefficients (as many as the kept group's invariant bases have rows), then their tensor products. */
import { fullyConnectedTensorProduct } from "../../o3/fully-connected.js";
import { thetaBlocks, thetaIrreps, type ThetaBlock } from "../../o3/theta.js";
import type { ThetaLayoutIR } from "../types.js";
import { radialMlp, tensorProductIR, type LayerLowering, type LayerLowerer } from "./context.js";

/** θ's layout under the kept group: each block's invariant basis and offsets, and the pure scalar's coefficients. */
export function thetaLayoutIR(blocks: readonly ThetaBlock[]): ThetaLayoutIR {
  let thetaOffset = 0, coefOffset = 0;
  const out: ThetaLayoutIR["blocks"] = [];
  const scalar: number[] = [];
  for (const b of blocks) {
    const d = b.ir.dim;
    const basis = Array.from({ length: b.rank }, (_, k) => Array.from(b.basis.subarray(k * d, (k + 1) * d)));
    out.push({ irrep: b.ir.toString(), mul: b.mul, rank: b.rank, thetaOffset, coefOffset, basis });
    const isScalar = b.ir.l === 0 && b.ir.p === 1;
    if (isScalar && b.rank !== 1) throw new Error(`θ's 0e block must have a rank-1 basis (every group keeps scalars), got rank ${b.rank}`);
    for (let u = 0; u < b.mul; u++) for (let k = 0; k < b.rank; k++) scalar.push(isScalar ? b.basis[0]! : 0);
    thetaOffset += b.mul * d;
    coefOffset += b.mul * b.rank;
  }
  return { blocks: out, dim: thetaOffset, coefficients: coefOffset, scalar };
}

function theta(l: LayerLowering) {
  const { layer, model, params } = l;
  const t = thetaIrreps(layer.theta!.lmax, layer.theta!.mul);
  const layout = thetaLayoutIR(thetaBlocks(model.symmetry.group, layer.theta!.lmax, layer.theta!.mul));
  return { irreps: t, layout, param: params.add(`${layer.name}.theta`, [layout.coefficients], "theta_scalar", true) };
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
    ...l.base, op: "relaxed_conv", theta: t.param, thetaIrreps: t.irreps.toString(), thetaLayout: t.layout,
    tpTheta: tensorProductIR(tpTheta), tpMessage: tensorProductIR(tpMessage), radial,
    numNeighbors: layer.options.num_neighbors as number, params: l.names(),
  };
};

export const lowerRelaxedNode: LayerLowerer<"relaxed_node"> = (l) => {
  const { layer, params, x } = l;
  const t = theta(l);
  const tp = fullyConnectedTensorProduct(x.irreps, t.irreps, layer.irrepsOut);
  params.add(`${layer.name}.tp.weight`, [tp.weightNumel], "normal");
  return { ...l.base, op: "relaxed_node", theta: t.param, thetaIrreps: t.irreps.toString(), thetaLayout: t.layout, tp: tensorProductIR(tp), params: l.names() };
};
