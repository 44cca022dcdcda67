/**
 * The doc comments of the generated model module, from the IR: what each input, target and output holds
 * (irreps, and the order of the numbers in a row, as e3nn lays them out), the symmetry clause, the graph,
 * the layers and the parameter count. Every line goes through `commentText`, so no spec text can end the
 * comment; names are also identifiers by the grammar, but the doc comments do not rely on it.
 */
import type { EdgeAttrIR, FieldIR, ModelIR } from "../ir/types.js";
import { Irreps, type MulIr } from "../o3/irreps.js";
import { commentText } from "./text-safety.js";

/** The numbers of one irreps entry in row order: e3nn's real basis, a vector's three as x, y, z. */
function entryComponents(e: MulIr): string {
  const copies = (what: string) => (e.mul === 1 ? what : `${e.mul} copies of (${what})`);
  if (e.l === 0) return e.mul === 1 ? "one scalar" : `${e.mul} scalars`;
  if (e.l === 1) return copies("x, y, z");
  return copies(`m = -${e.l} … ${e.l}`);
}

/** One line per irreps entry: its columns in the row, and what they hold. */
export function rowLayout(irreps: string): string[] {
  let at = 0;
  return Irreps.parse(irreps).entries.map((e) => {
    const line = `[${at}, ${at + e.dim}) ${e.toString()}: ${entryComponents(e)}`;
    at += e.dim;
    return line;
  });
}

/** The doc comment of one feature or output field (a JSDoc body, lines joined with "\n"). */
export function fieldDoc(field: FieldIR, note = ""): string {
  const dim = Irreps.parse(field.irreps).dim;
  const lines = [`${dim} number${dim === 1 ? "" : "s"} per ${field.domain}${note}: ${field.irreps}, row after row; in each row:`, ...rowLayout(field.irreps).map((l) => `- ${l}`)];
  return lines.map(commentText).join("\n");
}

const fmt = (v: readonly number[]) => `(${v.join(", ")})`;

/** The symmetry clause as the spec would write it, and what θ is when relaxed. */
function symmetryLines(ir: ModelIR): string[] {
  const s = ir.symmetry;
  if (!s.relaxed || !s.theta) return [`Symmetry: \`symmetry ${s.keep}\`, exactly equivariant (no relaxed weights).`];
  return [
    `Symmetry: \`symmetry relax to ${s.keep} axis ${fmt(s.axis)} secondary ${fmt(s.secondary)} lmax ${s.theta.lmax} mul ${s.theta.mul}\`:`,
    `relaxed layers may break O(3) down to ${s.keep} through θ = ${s.theta.irreps} (${s.theta.coefficients} coefficients).`,
  ];
}

function graphLine(ir: ModelIR): string {
  const g = ir.graph;
  const edges =
    g.mode === "radius" ? `an edge between every two nodes closer than ${g.radius}${g.maxNeighbors !== null ? `, at most ${g.maxNeighbors} neighbours each` : ""}` :
    g.mode === "knn" ? `edges to each node from its ${g.k} nearest neighbours` :
    g.mode === "full" ? "an edge between every two distinct nodes, both ways" :
    "the edges each input graph lists (`edges`)";
  return `Graph: ${edges}${g.positions !== null ? `; positions: \`${g.positions}\`` : ""}.`;
}

function edgeAttrLine(a: EdgeAttrIR): string {
  if (a.op === "spherical_harmonics") return `- \`${a.name}\`: spherical harmonics up to l = ${a.lmax} (${a.normalization} normalization), ${a.irreps} per edge`;
  return `- \`${a.name}\`: ${a.count} ${a.basis} radial functions on [${a.start}, ${a.cutoff}], ${a.irreps} per edge`;
}

/** A field on one line: `- \`t\`: 1x0e+1x1o per node: [0, 1) 1x0e: one scalar; [1, 4) 1x1o: x, y, z`. */
function fieldLine(f: FieldIR): string {
  return `- \`${f.name}\`: ${f.irreps} per ${f.domain}: ${rowLayout(f.irreps).join("; ")}`;
}

/** The model class's doc comment: the whole model at a glance. */
export function modelDoc(ir: ModelIR, className: string): string {
  const size = new Map(ir.params.map((p) => [p.name, p.size]));
  const lines = [
    `The ${ir.model} model, compiled to WebGPU.`,
    "",
    ...symmetryLines(ir),
    graphLine(ir),
    "",
    `Inputs (\`${className}Graph\`'s features), each row's numbers in order:`,
    ...ir.inputs.map(fieldLine),
    ...(ir.targets.length > 0 ? ["Training targets:", ...ir.targets.map(fieldLine)] : []),
    ...(ir.edgeAttrs.length > 0 ? ["Edge attributes (computed from the positions):", ...ir.edgeAttrs.map(edgeAttrLine)] : []),
    "Layers, in execution order (parameters each):",
    ...ir.layers.map((l) => {
      const n = l.params.reduce((a, p) => a + (size.get(p) ?? 0), 0);
      return `- \`${l.name}\` = ${l.op}(${l.inputs.join(", ")}) -> ${l.irrepsOut} per ${l.domain} (${n})`;
    }),
    `Outputs (\`${className}Outputs\`):`,
    ...ir.outputs.map((o) => `${fieldLine(o)} (from \`${o.source}\`)`),
    "",
    `Parameters: ${ir.paramCount} numbers in all.`,
  ];
  return lines.map(commentText).join("\n");
}
