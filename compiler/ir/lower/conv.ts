/** Convolutions: the tensor product (fully connected "uvw", or e3nn's "uvu" convolution) with per-edge radial weights. */
import { convolutionTensorProduct, fullyConnectedTensorProduct } from "../../o3/fully-connected.js";
import { radialMlp, tensorProductIR, type LayerLowerer } from "./context.js";

export const lowerConv: LayerLowerer<"conv"> = (l) => {
  const { layer, x } = l;
  const [sh, emb] = [layer.inputs[1]!, layer.inputs[2]!];
  const paths = layer.options.paths as "uvw" | "uvu";
  const tp =
    paths === "uvu"
      ? convolutionTensorProduct(x.irreps, sh.irreps, layer.irrepsOut).tp
      : fullyConnectedTensorProduct(x.irreps, sh.irreps, layer.irrepsOut, { sharedWeights: false });
  const radial = radialMlp(l, emb, tp.weightNumel);
  return { ...l.base, op: "conv", paths, tp: tensorProductIR(tp), radial, numNeighbors: layer.options.num_neighbors as number, params: l.names() };
};
