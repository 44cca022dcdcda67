/**
 * Initial parameters, as the IR says: normal -> N(0, 1) (as e3nn initialises its weights), ones, zeros,
 * theta_scalar -> the coefficients of the pure scalar θ (each 0e copy 1, every other entry 0).
 * Deterministic: one mulberry32 stream from `seed`, consumed by the normal parameters in IR order.
 */
import { randomNormal, seededRng } from "../o3/rotation.js";
import type { LayerIR, ModelIR } from "../ir/types.js";
import { thetaLayout } from "../nn/theta-layout.js";

export function relaxedLayerOf(ir: ModelIR, thetaParam: string): Extract<LayerIR, { theta: string }> {
  const layer = ir.layers.find((l): l is Extract<LayerIR, { theta: string }> => "theta" in l && l.theta === thetaParam);
  if (!layer) throw new Error(`no relaxed layer owns the θ parameter '${thetaParam}'`);
  return layer;
}

export function initParams(ir: ModelIR, seed: number): Float64Array {
  const rng = seededRng(seed);
  const params = new Float64Array(ir.paramCount);
  for (const p of ir.params) {
    const view = params.subarray(p.offset, p.offset + p.size);
    switch (p.init) {
      case "normal":
        for (let i = 0; i < p.size; i++) view[i] = randomNormal(rng);
        break;
      case "ones":
        view.fill(1);
        break;
      case "zeros":
        break;
      case "theta_scalar": {
        const layer = relaxedLayerOf(ir, p.name);
        // The pure scalar θ's coefficients, as lowering wrote them (thetaLayout checks they fit the parameter).
        thetaLayout(ir, p.name, layer.thetaIrreps);
        view.set(layer.thetaLayout.scalar);
        break;
      }
    }
  }
  return params;
}
