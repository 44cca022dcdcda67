/**
 * The named values of a model (inputs, edge attributes, layer outputs) with their irreps and domain, and the
 * source of each model output.
 *
 * IR gap, resolved here: an output field (`output y = h2`) carries its own name, irreps and domain but not the
 * name of the value it exports, and the checker forbids reusing a declared name, so the name never says it.
 * The source is taken, in order, from: a `source` property on the output field if a later IR adds one; a
 * value with the output's own name; the only input (positions excluded) or layer with the output's irreps and domain; among
 * several, the only one of them that no layer consumes (a layer nobody consumes is either exported or dead,
 * and the checker warns about dead layers with W002). Two outputs resolved by that last rule to one value,
 * or anything still ambiguous, is an error. The rule can only go wrong for a model with a dead layer (W002)
 * whose irreps equal an exported layer's; the fix is an explicit source in the IR.
 */
import { Irreps } from "../o3/irreps.js";
import type { Domain, ModelIR, OutputIR } from "./types.js";

export interface ValueShape {
  irreps: string;
  dim: number;
  domain: Domain;
  kind: "input" | "edge" | "layer";
}

const cache = new WeakMap<ModelIR, Map<string, ValueShape>>();

export function valueShapes(ir: ModelIR): Map<string, ValueShape> {
  const hit = cache.get(ir);
  if (hit) return hit;
  const m = new Map<string, ValueShape>();
  const add = (name: string, irreps: string, domain: Domain, kind: ValueShape["kind"]) => m.set(name, { irreps, dim: Irreps.parse(irreps).dim, domain, kind });
  for (const f of ir.inputs) add(f.name, f.irreps, f.domain, "input");
  for (const a of ir.edgeAttrs) add(a.name, a.irreps, "edge", "edge");
  for (const l of ir.layers) add(l.name, l.irrepsOut, l.domain, "layer");
  cache.set(ir, m);
  return m;
}

export function shapeOf(ir: ModelIR, name: string): ValueShape {
  const s = valueShapes(ir).get(name);
  if (!s) throw new Error(`the IR has no value named '${name}'`);
  return s;
}

/** The name of the value (input or layer) that output `out` exports. */
export function outputSource(_ir: ModelIR, out: OutputIR): string {
  return out.source;
}

/** Output name -> the value it exports. */
export function outputSources(ir: ModelIR): Map<string, string> {
  return new Map(ir.outputs.map((o) => [o.name, o.source]));
}
