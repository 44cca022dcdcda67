/**
 * Lowering: a checked model to the IR. Builds every tensor product with compiler/o3 (so paths, path weights
 * and weight layouts are e3nn's), θ's invariant bases, and the flat parameter layout.
 */
import type { CheckedLayer, CheckedModel, Value } from "../check/model.js";
import { convolutionTensorProduct, fullyConnectedTensorProduct } from "../o3/fully-connected.js";
import { Irreps } from "../o3/irreps.js";
import type { TensorProduct } from "../o3/tensor-product.js";
import { thetaBlocks, thetaIrreps } from "../o3/theta.js";
import { secondMomentScale } from "../nn/activation.js";
import { sha256Hex } from "../../runtime/model/sha256.js";
import { IR_VERSION, type Activation, type LayerIR, type ModelIR, type ParamIR, type RadialMlpIR, type SymmetryIR, type TensorProductIR } from "./types.js";

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

class ParamTable {
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

function radial(layer: CheckedLayer, emb: Value, weightNumel: number, params: ParamTable): RadialMlpIR {
  const sizes = [emb.irreps.dim, ...(layer.options.radial as number[]), weightNumel];
  const names = sizes.slice(1).map((out, k) => params.add(`${layer.name}.fc.layer${k}.weight`, [sizes[k]!, out], "normal"));
  const act = layer.options.act as Activation;
  return { sizes, act, actScale: secondMomentScale(act), params: names };
}

function lowerLayer(layer: CheckedLayer, model: CheckedModel, params: ParamTable): LayerIR {
  const base = { name: layer.name, inputs: layer.inputs.map((v) => v.name), domain: layer.domain, irrepsOut: layer.irrepsOut.toString() };
  const x = layer.inputs[0]!;
  const mark = params.params.length;
  const names = () => params.params.slice(mark).map((p) => p.name);
  switch (layer.op) {
    case "relaxed_conv": {
      const [sh, emb] = [layer.inputs[1]!, layer.inputs[2]!];
      const t = thetaIrreps(layer.theta!.lmax, layer.theta!.mul);
      const coefficients = thetaBlocks(model.symmetry.group, layer.theta!.lmax, layer.theta!.mul).reduce((s, b) => s + b.mul * b.rank, 0);
      const theta = params.add(`${layer.name}.theta`, [coefficients], "theta_scalar", true);
      const tpTheta = fullyConnectedTensorProduct(t, sh.irreps, t);
      params.add(`${layer.name}.tp_theta.weight`, [tpTheta.weightNumel], "normal");
      const tpMessage = fullyConnectedTensorProduct(x.irreps, t, layer.irrepsOut, { sharedWeights: false });
      const r = radial(layer, emb, tpMessage.weightNumel, params);
      return {
        ...base, op: "relaxed_conv", theta, thetaIrreps: t.toString(),
        tpTheta: tensorProductIR(tpTheta), tpMessage: tensorProductIR(tpMessage), radial: r,
        numNeighbors: layer.options.num_neighbors as number, params: names(),
      };
    }
    case "relaxed_node": {
      const t = thetaIrreps(layer.theta!.lmax, layer.theta!.mul);
      const coefficients = thetaBlocks(model.symmetry.group, layer.theta!.lmax, layer.theta!.mul).reduce((s, b) => s + b.mul * b.rank, 0);
      const theta = params.add(`${layer.name}.theta`, [coefficients], "theta_scalar", true);
      const tp = fullyConnectedTensorProduct(x.irreps, t, layer.irrepsOut);
      params.add(`${layer.name}.tp.weight`, [tp.weightNumel], "normal");
      return { ...base, op: "relaxed_node", theta, thetaIrreps: t.toString(), tp: tensorProductIR(tp), params: names() };
    }
    case "conv": {
      const [sh, emb] = [layer.inputs[1]!, layer.inputs[2]!];
      const paths = layer.options.paths as "uvw" | "uvu";
      const tp =
        paths === "uvu"
          ? convolutionTensorProduct(x.irreps, sh.irreps, layer.irrepsOut).tp
          : fullyConnectedTensorProduct(x.irreps, sh.irreps, layer.irrepsOut, { sharedWeights: false });
      const r = radial(layer, emb, tp.weightNumel, params);
      return { ...base, op: "conv", paths, tp: tensorProductIR(tp), radial: r, numNeighbors: layer.options.num_neighbors as number, params: names() };
    }
    case "linear": {
      // e3nn's o3.Linear equals an FCTP with the constant 1x0e: same paths, same weight layout and numbers.
      const tp = fullyConnectedTensorProduct(x.irreps, "1x0e", layer.irrepsOut);
      params.add(`${layer.name}.weight`, [tp.weightNumel], "normal");
      return { ...base, op: "linear", tp: tensorProductIR(tp), params: names() };
    }
    case "self_connection": {
      const attr = layer.inputs[1];
      const tp = fullyConnectedTensorProduct(x.irreps, attr?.irreps ?? "1x0e", layer.irrepsOut);
      params.add(`${layer.name}.weight`, [tp.weightNumel], "normal");
      return { ...base, op: "self_connection", tp: tensorProductIR(tp), attr: attr?.name ?? null, params: names() };
    }
    case "gate": {
      const scalars = new Irreps(layer.irrepsOut.entries.filter((e) => e.l === 0));
      const gated = new Irreps(layer.irrepsOut.entries.filter((e) => e.l > 0));
      const nGates = gated.numIrreps;
      return {
        ...base, op: "gate", scalars: scalars.toString(), gates: nGates ? `${nGates}x0e` : "", gated: gated.toString(),
        actScalars: layer.options.scalars as Activation, actGates: layer.options.gates as Activation,
        actScalarsScale: secondMomentScale(layer.options.scalars as Activation), actGatesScale: secondMomentScale(layer.options.gates as Activation),
        params: [],
      };
    }
    case "norm":
      params.add(`${layer.name}.weight`, [x.irreps.numIrreps], "ones");
      return { ...base, op: "norm", eps: layer.options.eps as number, params: names() };
    case "pool":
      return { ...base, op: "pool", reduce: layer.options.reduce as "sum" | "mean", params: [] };
    case "add":
      return { ...base, op: "add", params: [] };
    case "concat":
      return { ...base, op: "concat", params: [] };
  }
}

function symmetryIR(model: CheckedModel): SymmetryIR {
  const s = model.symmetry;
  const g = s.group;
  const vec = (v: Float64Array | null, fallback: [number, number, number]) => (v ? ([v[0]!, v[1]!, v[2]!] as [number, number, number]) : fallback);
  // Orientation of the group's frame: images of z and x under its rotation.
  const q = g.orientation;
  const axis = vec(g.axis, [q[2]!, q[5]!, q[8]!]);
  const secondary = vec(g.secondary, [q[0]!, q[3]!, q[6]!]);
  if (!s.relaxed) return { keep: s.keep, relaxed: false, axis, secondary, theta: null };
  const lmax = Math.max(s.lmax, ...model.layers.map((l) => l.theta?.lmax ?? 0));
  const blocks = thetaBlocks(g, lmax, s.mul);
  return {
    keep: s.keep, relaxed: true, axis, secondary,
    theta: {
      irreps: thetaIrreps(lmax, s.mul).toString(), lmax, mul: s.mul,
      blocks: blocks.map((b) => ({
        irrep: b.ir.toString(), mul: b.mul,
        basis: Array.from({ length: b.rank }, (_, r) => Array.from(b.basis.subarray(r * b.ir.dim, (r + 1) * b.ir.dim))),
      })),
      coefficients: blocks.reduce((sum, b) => sum + b.mul * b.rank, 0),
    },
  };
}

export function lower(model: CheckedModel, source: { file: string; text: string }): ModelIR {
  const params = new ParamTable();
  const layers = model.layers.map((l) => lowerLayer(l, model, params));
  const field = (v: Value) => ({ name: v.name, irreps: v.irreps.toString(), domain: v.domain });
  return {
    irVersion: IR_VERSION,
    model: model.name,
    source: { file: source.file, sha256: sha256Hex(new TextEncoder().encode(source.text)) },
    symmetry: symmetryIR(model),
    graph: model.graph,
    inputs: model.inputs.map(field),
    targets: model.targets.map(field),
    edgeAttrs: model.edgeAttrs,
    layers,
    outputs: model.outputs.map((o) => ({ ...field(o), source: o.source })),
    params: params.params,
    paramCount: params.count,
    train: model.train,
  };
}
