/**
 * The text report of `regnnc discover` (compiler/cli/discover.ts): the candidate table, the verdicts' reasons,
 * and where the relaxed model's θ keeps less than the data (issue 15, item 5).
 */
import type { PointGroup } from "../o3/point-groups.js";
import { pointGroup } from "../o3/point-groups.js";
import type { StructureSymmetry } from "../o3/structure-symmetry.js";
import { intersectGroups, type NamedGroup } from "../o3/subgroups.js";
import { isSubgroup } from "./group-order.js";
import { namedOf, type Kept } from "./kept-on-input.js";
import type { Decision } from "./search.js";
import { forbiddenNorms } from "./theta-coefficients.js";

export const vecText = (v: readonly number[]) => `(${v.map((x) => (Math.abs(x) < 5e-4 ? 0 : x).toFixed(3)).join(", ")})`;
export const groupText = (g: { name: string; axis: readonly number[] | null; secondary: readonly number[] | null }) =>
  `${g.name}${g.axis ? `, axis ${vecText(g.axis)}` : ""}${g.secondary ? `, secondary ${vecText(g.secondary)}` : ""}`;

/** The input's group, its axes only when they are not the default frame (z, then x). */
export function inputText(g: NamedGroup): string {
  const near = (v: readonly number[] | null, w: number[]) => !v || v.every((x, i) => Math.abs(x - w[i]!) < 1e-6);
  return near(g.axis, [0, 0, 1]) && near(g.secondary, [1, 0, 0]) ? g.name : groupText(g);
}

export function intersect(a: PointGroup, b: PointGroup): PointGroup {
  if (a.continuous && a.continuousRotations === "all") return b;
  if (b.continuous && b.continuousRotations === "all") return a;
  return intersectGroups(a, b).group;
}


export function byText(d: Decision): string {
  const l = d.loss === null ? "" : ` ${Number.isFinite(d.loss) ? d.loss.toExponential(3) : "diverged"}`;
  switch (d.by) {
    case "bound": return `data bound: any model keeping it has loss >=${l}`;
    case "witness": return `relaxed θ projected onto it, no training: loss${l}`;
    case "trained": return `trained: final loss${l}`;
    case "implied": return `contains ${d.via!.name}${d.via!.axis ? ` ${vecText(d.via!.axis)}` : ""}, which does not fit`;
  }
}

/** `Oh, D4h x3, …`: candidate names with their counts, in order. */
function names(decisions: readonly Decision[]): string {
  const counts = new Map<string, number>();
  for (const d of decisions) counts.set(d.candidate.name, (counts.get(d.candidate.name) ?? 0) + 1);
  return [...counts].map(([n, k]) => (k > 1 ? `${n} x${k}` : n)).join(", ");
}

export function candidateTable(decisions: readonly Decision[], order: "descending" | "ascending"): string[] {
  // Candidates the data bound rules out are many and alike: one summary line; the others one row each.
  const shown = decisions.filter((d) => d.by !== "bound" && d.by !== "implied");
  const rows = shown.map((d) => [d.candidate.name, d.candidate.axis ? vecText(d.candidate.axis) : "-", d.candidate.secondary ? vecText(d.candidate.secondary) : "-", d.loss === null ? "-" : Number.isFinite(d.loss) ? d.loss.toExponential(3) : "diverged", d.fits ? "yes" : "no", byText(d)]);
  const head = ["group", "axis", "secondary", "loss", "fits", "decided by"];
  const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => `  ${r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(width[i]!))).join("  ")}`;
  return [`candidates tried, ${order === "descending" ? "largest" : "smallest"} first:`, line(head), ...rows.map(line), ...foldedLines(decisions).map((l) => `  ${l}`)];
}

/** The candidates decided without training in bulk (by the data bound, or for containing one that does not fit), one line each kind. */
export function foldedLines(decisions: readonly Decision[]): string[] {
  const bound = decisions.filter((d) => d.by === "bound"), implied = decisions.filter((d) => d.by === "implied");
  const out: string[] = [];
  if (bound.length) {
    const least = Math.min(...bound.map((d) => d.loss!));
    out.push(`and ${bound.length} ruled out by the data bound, no training (every model keeping one has loss >= ${least.toExponential(3)} or more): ${names(bound)}`);
  }
  if (implied.length) out.push(`and ${implied.length} ruled out, no training, for containing one that does not fit: ${names(implied)}`);
  return out;
}

/** Item 5 of the issue: where the relaxed model's θ keeps less than the data does, which of θ is not needed. */
export function disagreement(
  layers: readonly { layer: string; irreps: string; theta: Float64Array; kept: Kept }[],
  modelKeeps: NamedGroup | null,
  input: StructureSymmetry | null,
  answer: NamedGroup,
  answerTables: Map<string, Float32Array>,
  relaxedLoss: number,
  answerLoss: number | null,
): string[] {
  const onData = input ? layers.reduce<PointGroup>((g, l) => intersect(g, l.kept.onInput?.group ?? g), input.group) : modelKeeps?.group ?? pointGroup("C1");
  if (isSubgroup(answer.group, onData) && isSubgroup(onData, answer.group)) return [];
  const out = [`the fully relaxed model's θ keeps ${groupText(namedOf(onData))} on this input, the data ${groupText(answer)}: Stab(θ) is only a sufficient witness.`];
  if (isSubgroup(onData, answer.group)) {
    out.push(`  θ's components outside ${answer.name}'s invariant subspace are not needed by the data (the model relaxed to ${answer.name} fits as well: loss ${answerLoss === null ? "-" : answerLoss.toExponential(3)}, fully relaxed ${relaxedLoss.toExponential(3)}):`);
    for (const l of layers) {
      const norms = forbiddenNorms(answerTables.get(l.layer)!, l.irreps, l.theta).filter((n) => n.norm > 1e-6 * Math.max(1, Math.hypot(...l.theta)));
      out.push(`  layer ${l.layer}: ${norms.length ? norms.map((n) => `${n.irrep} ${n.norm.toExponential(2)}`).join("  ") : "none"}`);
    }
  }
  return out;
}
