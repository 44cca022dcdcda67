/**
 * e3nn's Gate. Each input row is scalars ⊕ gates ⊕ gated (dims from the IR's irreps strings, in that order);
 * the output row is [actScalarsScale · actScalars(scalars), actGatesScale · actGates(gate_j) · (gated copy j)
 * for every gated irrep copy j in order], so gate j multiplies all 2l+1 components of copy j.
 */
import { ACTIVATIONS } from "../nn/activation.js";
import { Irreps } from "../o3/irreps.js";
import type { LayerIR } from "../ir/types.js";
import { shapeOf } from "../ir/values.js";
import { rowsOf } from "./domains.js";
import type { LayerReference } from "./layer-reference.js";

type GateIR = Extract<LayerIR, { op: "gate" }>;

interface GateLayout {
  dS: number;
  nG: number;
  /** For each gated copy j: its offset within the gated part and its dim. */
  copies: { off: number; dim: number }[];
  dIn: number;
  dOut: number;
}

function layout(layer: GateIR): GateLayout {
  const s = Irreps.parse(layer.scalars), g = Irreps.parse(layer.gates), v = Irreps.parse(layer.gated);
  if (g.entries.some((e) => e.l !== 0) || s.entries.some((e) => e.l !== 0)) throw new Error(`gate '${layer.name}': scalars and gates must be scalars`);
  const copies: { off: number; dim: number }[] = [];
  let off = 0;
  for (const e of v.entries) for (let u = 0; u < e.mul; u++, off += e.ir.dim) copies.push({ off, dim: e.ir.dim });
  if (copies.length !== g.dim) throw new Error(`gate '${layer.name}': ${g.dim} gates for ${copies.length} gated irreps`);
  return { dS: s.dim, nG: g.dim, copies, dIn: s.dim + g.dim + v.dim, dOut: s.dim + v.dim };
}

export function gateForward(layer: GateIR, x: Float64Array, rows: number, dIn: number): Float64Array {
  const L = layout(layer);
  if (dIn !== L.dIn) throw new Error(`gate '${layer.name}': input has ${dIn} components per row, scalars + gates + gated need ${L.dIn}`);
  const fs = ACTIVATIONS[layer.actScalars].f, fg = ACTIVATIONS[layer.actGates].f;
  const out = new Float64Array(rows * L.dOut);
  for (let r = 0; r < rows; r++) {
    const xi = r * L.dIn, oi = r * L.dOut;
    for (let i = 0; i < L.dS; i++) out[oi + i] = layer.actScalarsScale * fs(x[xi + i]!);
    L.copies.forEach((c, j) => {
      const gate = layer.actGatesScale * fg(x[xi + L.dS + j]!);
      for (let k = 0; k < c.dim; k++) out[oi + L.dS + c.off + k] = gate * x[xi + L.dS + L.nG + c.off + k]!;
    });
  }
  return out;
}

export function gateBackward(layer: GateIR, x: Float64Array, rows: number, gOut: Float64Array): Float64Array {
  const L = layout(layer);
  const fg = ACTIVATIONS[layer.actGates].f, ds = ACTIVATIONS[layer.actScalars].df, dg = ACTIVATIONS[layer.actGates].df;
  const gx = new Float64Array(rows * L.dIn);
  for (let r = 0; r < rows; r++) {
    const xi = r * L.dIn, oi = r * L.dOut;
    for (let i = 0; i < L.dS; i++) gx[xi + i] = gOut[oi + i]! * layer.actScalarsScale * ds(x[xi + i]!);
    L.copies.forEach((c, j) => {
      const z = x[xi + L.dS + j]!;
      const gate = layer.actGatesScale * fg(z);
      let dot = 0;
      for (let k = 0; k < c.dim; k++) {
        const go = gOut[oi + L.dS + c.off + k]!;
        dot += go * x[xi + L.dS + L.nG + c.off + k]!;
        gx[xi + L.dS + L.nG + c.off + k] = go * gate;
      }
      gx[xi + L.dS + j] = dot * layer.actGatesScale * dg(z);
    });
  }
  return gx;
}

export const gateLayer: LayerReference<GateIR> = {
  forward: (ctx, layer) => gateForward(layer, ctx.value(layer.inputs[0]!), rowsOf(layer.domain, ctx.batch), shapeOf(ctx.ir, layer.inputs[0]!).dim),
  backward: (ctx, layer, gOut) => [{ name: layer.inputs[0]!, grad: gateBackward(layer, ctx.value(layer.inputs[0]!), rowsOf(layer.domain, ctx.batch), gOut) }],
};
