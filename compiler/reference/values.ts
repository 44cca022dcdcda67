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
import type { Domain, FieldIR, ModelIR } from "../ir/types.js";

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
export function outputSource(ir: ModelIR, out: FieldIR): string {
  return resolve(ir, out).name;
}

/** The sources of all outputs, checking that the consumer rule did not give two outputs one value. */
export function outputSources(ir: ModelIR): Map<string, string> {
  const m = new Map<string, string>();
  const byRule = new Map<string, string>();
  for (const out of ir.outputs) {
    const { name, bySinkRule } = resolve(ir, out);
    if (bySinkRule) {
      const other = byRule.get(name);
      if (other !== undefined) throw new Error(`outputs '${other}' and '${out.name}': the IR does not say which values they export, and both could only be '${name}'`);
      byRule.set(name, out.name);
    }
    m.set(out.name, name);
  }
  return m;
}

function resolve(ir: ModelIR, out: FieldIR): { name: string; bySinkRule: boolean } {
  const shapes = valueShapes(ir);
  const explicit = (out as FieldIR & { source?: unknown }).source;
  if (typeof explicit === "string") return { name: explicit, bySinkRule: false };
  const own = shapes.get(out.name);
  if (own && own.kind !== "edge" && out.name !== ir.graph.positions) return { name: out.name, bySinkRule: false };
  // Outputs export layers or inputs, never edge attributes or the positions (checker rule E113).
  const same = [...shapes]
    .filter(([n, s]) => s.kind !== "edge" && n !== ir.graph.positions && s.domain === out.domain && Irreps.parse(s.irreps).equals(out.irreps))
    .map(([n]) => n);
  if (same.length === 1) return { name: same[0]!, bySinkRule: false };
  const consumed = new Set(ir.layers.flatMap((l) => [...l.inputs, ...("attr" in l && l.attr ? [l.attr] : [])]));
  const sinks = same.filter((n) => !consumed.has(n));
  if (sinks.length === 1) return { name: sinks[0]!, bySinkRule: true };
  throw new Error(
    `output '${out.name}': the IR does not say which value it exports, and ${same.length ? `${same.join(", ")} all have` : "no value has"} its irreps ${out.irreps} per ${out.domain}`,
  );
}
