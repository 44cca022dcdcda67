/**
 * Everything the generated PyTorch module computes with, as plain JSON data resolved from the IR: the flat
 * parameter layout, each tensor product's paths (offsets, multiplicities, path weights, weight blocks) with
 * the dense Clebsch-Gordan tables they use, the spherical-harmonic recurrence tables, θ's invariant bases per
 * relaxed layer, the gate and norm layouts, and the training section. The Python side is generic code over
 * this data, so it needs neither e3nn nor regnn at run time, and no spec text ever becomes Python code.
 */
import type { EdgeAttrIR, LayerIR, ModelIR, RadialMlpIR, TensorProductIR } from "../../ir/types.js";
import { Irreps } from "../../o3/irreps.js";
import { wigner3j } from "../../o3/wigner3j.js";
import { normBlocks } from "../../nn/norm-blocks.js";
import { paramInfo, tpWeightParam } from "../../ir/params.js";
import { tensorProductOf } from "../../ir/tensor-products.js";
import { thetaLayout } from "../../nn/theta-layout.js";
import { shapeOf } from "../../ir/values.js";
import { SMOOTH_FINITE_CONSTANT } from "../../nn/radial-basis.js";
import { modelUsesEdges } from "../../ir/uses-edges.js";

export const PYTORCH_DATA_FORMAT = "regnn-pytorch-1";

type CgTables = Map<string, number[]>;

function cgKey(l1: number, l2: number, l3: number, cg: CgTables): string {
  const key = `${l1},${l2},${l3}`;
  if (!cg.has(key)) cg.set(key, Array.from(wigner3j(l1, l2, l3)));
  return key;
}

function param(ir: ModelIR, name: string) {
  const p = paramInfo(ir, name);
  return { name: p.name, offset: p.offset, size: p.size, shape: p.shape };
}

function tensorProduct(tp: TensorProductIR, cg: CgTables) {
  tensorProductOf(tp); // throws when the IR's paths disagree with e3nn's construction
  const [a, b, o] = [Irreps.parse(tp.irrepsIn1), Irreps.parse(tp.irrepsIn2), Irreps.parse(tp.irrepsOut)];
  return {
    dim1: a.dim,
    dim2: b.dim,
    dimOut: o.dim,
    weightNumel: tp.weightNumel,
    shared: tp.sharedWeights,
    paths: tp.instructions.map((ins) => {
      const [x, y, z] = [a.get(ins.i1), b.get(ins.i2), o.get(ins.iOut)];
      return {
        off1: a.offsets[ins.i1]!, mul1: x.mul, d1: x.ir.dim,
        off2: b.offsets[ins.i2]!, mul2: y.mul, d2: y.ir.dim,
        offOut: o.offsets[ins.iOut]!, mulOut: z.mul, dOut: z.ir.dim,
        mode: ins.mode, hasWeight: ins.hasWeight, pathWeight: ins.pathWeight, weightOffset: ins.weightOffset, pathShape: ins.pathShape,
        cg: cgKey(x.l, y.l, z.l, cg),
      };
    }),
  };
}

function radial(ir: ModelIR, mlp: RadialMlpIR) {
  return { sizes: mlp.sizes, act: mlp.act, actScale: mlp.actScale, weights: mlp.params.map((n) => param(ir, n)) };
}

function theta(ir: ModelIR, thetaParam: string, thetaIrreps: string) {
  const layout = thetaLayout(ir, thetaParam, thetaIrreps);
  return {
    param: param(ir, thetaParam),
    dim: layout.dim,
    blocks: layout.blocks.map((b) => ({
      l: b.ir.l, p: b.ir.p, mul: b.mul, d: b.ir.dim, rank: b.rank, basis: Array.from(b.basis),
      thetaOffset: b.thetaOffset, coefOffset: b.coefOffset, scalar: b.ir.l === 0 && b.ir.p === 1,
    })),
  };
}

function gateLayout(layer: Extract<LayerIR, { op: "gate" }>) {
  const [s, g, v] = [Irreps.parse(layer.scalars), Irreps.parse(layer.gates), Irreps.parse(layer.gated)];
  const gateOf: number[] = [];
  let copy = 0;
  for (const e of v.entries) for (let u = 0; u < e.mul; u++, copy++) for (let k = 0; k < e.ir.dim; k++) gateOf.push(copy);
  if (copy !== g.dim) throw new Error(`gate '${layer.name}': ${g.dim} gates for ${copy} gated irreps`);
  return { dS: s.dim, nG: g.dim, dV: v.dim, gateOf };
}

function layerData(ir: ModelIR, layer: LayerIR, cg: CgTables) {
  const base = { name: layer.name, op: layer.op, inputs: layer.inputs, domain: layer.domain, dimOut: shapeOf(ir, layer.name).dim };
  switch (layer.op) {
    case "conv":
      return { ...base, tp: tensorProduct(layer.tp, cg), radial: radial(ir, layer.radial), numNeighbors: layer.numNeighbors };
    case "relaxed_conv":
      return {
        ...base, tpTheta: tensorProduct(layer.tpTheta, cg), tpMessage: tensorProduct(layer.tpMessage, cg), radial: radial(ir, layer.radial),
        numNeighbors: layer.numNeighbors, theta: theta(ir, layer.theta, layer.thetaIrreps), weight: param(ir, tpWeightParam(layer)),
      };
    case "relaxed_node":
      return { ...base, tp: tensorProduct(layer.tp, cg), theta: theta(ir, layer.theta, layer.thetaIrreps), weight: param(ir, tpWeightParam(layer)) };
    case "linear":
      return { ...base, tp: tensorProduct(layer.tp, cg), weight: param(ir, tpWeightParam(layer)), attr: null };
    case "self_connection":
      return { ...base, tp: tensorProduct(layer.tp, cg), weight: param(ir, tpWeightParam(layer)), attr: layer.attr };
    case "gate":
      return { ...base, ...gateLayout(layer), actScalars: layer.actScalars, actGates: layer.actGates, actScalarsScale: layer.actScalarsScale, actGatesScale: layer.actGatesScale };
    case "norm": {
      const nb = normBlocks(shapeOf(ir, layer.inputs[0]!).irreps);
      return { ...base, eps: layer.eps, weight: param(ir, layer.params[0]!), blocks: nb.list.map((b) => ({ off: b.off, mul: b.mul, d: b.d, channel: b.channel, centre: b.centre })) };
    }
    case "pool":
      return { ...base, reduce: layer.reduce };
    case "add":
    case "concat":
      return base;
  }
}

function edgeAttr(a: EdgeAttrIR) {
  return a.op === "spherical_harmonics"
    ? { name: a.name, op: a.op, dim: (a.lmax + 1) ** 2, lmax: a.lmax, normalization: a.normalization, normalize: a.normalize }
    : { name: a.name, op: a.op, dim: a.count, basis: a.basis, count: a.count, start: a.start, cutoff: a.cutoff, scale: a.scale };
}

/** The data document of the generated module. */
export function pytorchModelData(ir: ModelIR) {
  const cg: CgTables = new Map();
  const layers = ir.layers.map((l) => layerData(ir, l, cg));
  const lmax = Math.max(0, ...ir.edgeAttrs.map((a) => (a.op === "spherical_harmonics" ? a.lmax : 0)));
  const sh = Array.from({ length: lmax }, (_, l) => cgKey(l, 1, l + 1, cg));
  const field = (f: { name: string; irreps: string; domain: string }) => ({ name: f.name, irreps: f.irreps, domain: f.domain, dim: Irreps.parse(f.irreps).dim });
  return {
    format: PYTORCH_DATA_FORMAT,
    model: ir.model,
    specSha256: ir.source.sha256,
    paramCount: ir.paramCount,
    params: ir.params.map((p) => ({ name: p.name, shape: p.shape, offset: p.offset, size: p.size, init: p.init, relaxed: p.relaxed })),
    graph: ir.graph,
    usesEdges: modelUsesEdges(ir),
    constants: { smoothFinite: SMOOTH_FINITE_CONSTANT },
    inputs: ir.inputs.map(field),
    targets: ir.targets.map(field),
    outputs: ir.outputs.map((o) => ({ ...field(o), source: o.source })),
    edgeAttrs: ir.edgeAttrs.map(edgeAttr),
    shTables: sh,
    layers,
    cg: Object.fromEntries(cg),
    train: ir.train,
  };
}
