/** What every op's lowering shares: the flat parameter table, and the IR forms of tensor products and radial MLPs. */
import type { CheckedLayer, CheckedModel, Value } from "../../check/model.js";
import { secondMomentScale } from "../../nn/activation.js";
import type { TensorProduct } from "../../o3/tensor-product.js";
import type { Activation, LayerIR, LayerOf, LayerOp, ParamIR, RadialMlpIR, TensorProductIR } from "../types.js";

export function tensorProductIR(tp: TensorProduct): TensorProductIR {
  return {
    irrepsIn1: tp.irrepsIn1.toString(),
    irrepsIn2: tp.irrepsIn2.toString(),
    irrepsOut: tp.irrepsOut.toString(),
    irrepNormalization: tp.irrepNormalization,
    pathNormalization: tp.pathNormalization,
    sharedWeights: tp.sharedWeights,
    weightNumel: tp.weightNumel,
    instructions: tp.instructions.map((i) => ({
      i1: i.i1, i2: i.i2, iOut: i.iOut, mode: i.mode, hasWeight: i.hasWeight,
      pathWeight: i.pathWeight, pathShape: [...i.pathShape], weightOffset: i.weightOffset,
    })),
  };
}

/** The model's parameters, laid out one after another in declaration order. */
export class ParamTable {
  readonly params: ParamIR[] = [];
  private offset = 0;

  add(name: string, shape: number[], init: ParamIR["init"], relaxed = false): string {
    const size = shape.reduce((s, n) => s * n, 1);
    this.params.push({ name, shape, offset: this.offset, size, init, relaxed });
    this.offset += size;
    return name;
  }

  get count(): number {
    return this.offset;
  }
}

/** One layer being lowered: the checked layer, its model, the parameter table, and the IR fields every layer has. */
export interface LayerLowering {
  layer: CheckedLayer;
  model: CheckedModel;
  params: ParamTable;
  /** name, inputs, domain and irrepsOut in IR form. */
  base: Pick<LayerIR, "name" | "inputs" | "domain" | "irrepsOut">;
  /** The layer's first input. */
  x: Value;
  /** The names of the parameters this layer added so far. */
  names(): string[];
}

/** An op's lowering: its checked layer to its IR. */
export type LayerLowerer<K extends LayerOp> = (l: LayerLowering) => LayerOf<K>;

/** The radial MLP [embedding, hidden…, weightNumel] of a conv, its weights added to the table. */
export function radialMlp(l: LayerLowering, emb: Value, weightNumel: number): RadialMlpIR {
  const { layer, params } = l;
  const sizes = [emb.irreps.dim, ...(layer.options.radial as number[]), weightNumel];
  const names = sizes.slice(1).map((out, k) => params.add(`${layer.name}.fc.layer${k}.weight`, [sizes[k]!, out], "normal"));
  const act = layer.options.act as Activation;
  return { sizes, act, actScale: secondMomentScale(act), params: names };
}
