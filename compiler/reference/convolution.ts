/**
 * The two convolutions. For each edge e (src -> dst), with Y_e and emb_e the edge attributes named by the
 * layer's inputs [x, sh, emb]:
 *   conv:          m_e = tp(x[src_e], Y_e, R_e)
 *   relaxed_conv:  F_e = tpTheta(θ, Y_e, W_theta) (θ = B c broadcast to every edge, shared weights),
 *                  m_e = tpMessage(x[src_e], F_e, R_e)
 * with R_e = MLP(emb_e) the per-edge weights, and out[dst] = Σ_e m_e / sqrt(numNeighbors), summed with the CSR
 * by destination in edge order.
 */
import type { LayerReference } from "./layer-reference.js";
import type { LayerIR } from "../ir/types.js";
import { gatherSources, gatherSourcesBackward, sumByDestination, sumByDestinationBackward } from "./aggregate.js";
import { tpWeightParam } from "../ir/params.js";
import { type InputGrads, type LayerContext } from "./context.js";
import { broadcastRows, sumRows } from "./domains.js";
import { addParamGrad, paramView } from "./params.js";
import { radialMlpBackward, radialMlpForward } from "./radial-mlp.js";
import { tensorProductOf } from "../ir/tensor-products.js";
import { coefficientGrad, thetaFromCoefficients, thetaLayout } from "../nn/theta-layout.js";
import { shapeOf } from "../ir/values.js";

type ConvIR = Extract<LayerIR, { op: "conv" | "relaxed_conv" }>;

/** Everything per edge up to the message product's inputs: x[src], the second operand (Y or F) and R. */
function edgeOperands(ctx: LayerContext, layer: ConvIR) {
  const { ir, params, batch } = ctx;
  const E = batch.numEdges;
  const [xName, shName, embName] = layer.inputs as [string, string, string];
  const tp = tensorProductOf(layer.op === "conv" ? layer.tp : layer.tpMessage);
  if (layer.radial.sizes.at(-1) !== tp.weightNumel) throw new Error(`layer '${layer.name}': the radial MLP gives ${layer.radial.sizes.at(-1)} weights, the product needs ${tp.weightNumel}`);
  const xDim = shapeOf(ir, xName).dim, embDim = shapeOf(ir, embName).dim;
  if (embDim !== layer.radial.sizes[0]) throw new Error(`layer '${layer.name}': '${embName}' has ${embDim} components, the radial MLP takes ${layer.radial.sizes[0]}`);
  const xs = gatherSources(batch, ctx.value(xName), xDim);
  const Y = ctx.value(shName), emb = ctx.value(embName);
  const R = radialMlpForward(ir, params, layer.radial, emb, E).out;
  if (layer.op === "conv") return { tp, xs, xDim, second: Y, Y, emb, R, theta: null };
  const tpT = tensorProductOf(layer.tpTheta);
  const layout = thetaLayout(ir, layer.theta, layer.thetaIrreps);
  const thetaRows = broadcastRows(thetaFromCoefficients(layout, paramView(ir, params, layer.theta)), E);
  const wName = tpWeightParam(layer);
  const w = paramView(ir, params, wName);
  const F = tpT.forward(thetaRows, Y, w, E);
  return { tp, xs, xDim, second: F, Y, emb, R, theta: { tpT, layout, thetaRows, w, wName } };
}

export function convForward(ctx: LayerContext, layer: ConvIR): Float64Array {
  const { tp, xs, second, R } = edgeOperands(ctx, layer);
  const m = tp.forward(xs, second, R, ctx.batch.numEdges);
  return sumByDestination(ctx.batch, m, tp.irrepsOut.dim, 1 / Math.sqrt(layer.numNeighbors));
}

export function convBackward(ctx: LayerContext, layer: ConvIR, gOut: Float64Array, gradParams: Float64Array): InputGrads {
  const { ir, params, batch } = ctx;
  const E = batch.numEdges;
  const { tp, xs, xDim, second, Y, emb, R, theta } = edgeOperands(ctx, layer);
  const gm = sumByDestinationBackward(batch, gOut, tp.irrepsOut.dim, 1 / Math.sqrt(layer.numNeighbors));
  const g = tp.backward(xs, second, R, gm, E);
  const gx = gatherSourcesBackward(batch, g.x1, xDim);
  const gEmb = radialMlpBackward(ir, params, layer.radial, emb, E, g.weight, gradParams);
  let gY = g.x2;
  if (theta) {
    const gt = theta.tpT.backward(theta.thetaRows, Y, theta.w, g.x2, E);
    gY = gt.x2;
    addParamGrad(ir, gradParams, theta.wName, gt.weight);
    addParamGrad(ir, gradParams, (layer as Extract<ConvIR, { op: "relaxed_conv" }>).theta, coefficientGrad(theta.layout, sumRows(gt.x1, E, theta.layout.dim)));
  }
  const [xName, shName, embName] = layer.inputs as [string, string, string];
  return [
    { name: xName, grad: gx },
    { name: shName, grad: gY },
    { name: embName, grad: gEmb },
  ];
}

export const convLayer: LayerReference<ConvIR> = { forward: convForward, backward: convBackward };
