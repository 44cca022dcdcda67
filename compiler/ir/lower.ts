/**
 * Lowering: a checked model to the IR. Builds every tensor product with compiler/o3 (so paths, path weights
 * and weight layouts are e3nn's), θ's invariant bases, and the flat parameter layout; each op's own part is
 * in lower/ (lower/registry.ts).
 */
import type { CheckedLayer, CheckedModel, Value } from "../check/model.js";
import { thetaBlocks, thetaIrreps } from "../o3/theta.js";
import { sha256Hex } from "../../runtime/model/sha256.js";
import { IR_VERSION, type LayerIR, type ModelIR, type SymmetryIR } from "./types.js";
import { ParamTable } from "./lower/context.js";
import { LAYER_LOWERERS } from "./lower/registry.js";

export { tensorProductIR } from "./lower/context.js";

function lowerLayer(layer: CheckedLayer, model: CheckedModel, params: ParamTable): LayerIR {
  const mark = params.params.length;
  return LAYER_LOWERERS[layer.op]({
    layer,
    model,
    params,
    base: { name: layer.name, inputs: layer.inputs.map((v) => v.name), domain: layer.domain, irrepsOut: layer.irrepsOut.toString() },
    x: layer.inputs[0]!,
    names: () => params.params.slice(mark).map((p) => p.name),
  });
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
