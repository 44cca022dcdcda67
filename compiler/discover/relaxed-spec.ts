/**
 * The spec a discover run trains: the user's spec with its symmetry clause rewritten to another kept group,
 * keeping the clause's lmax and mul as written. Everything else (layers, training block) stays byte for byte.
 */
import type { SymmetryDecl } from "../../grammar/ast.js";
import { parseSpec } from "../../grammar/index.js";

const fmt = (v: readonly number[]) => `(${v.map((x) => String(Math.abs(x) < 1e-15 ? 0 : x)).join(", ")})`;

/** The spec's symmetry clause, or a message saying why discover cannot use the spec. */
export function symmetryClause(text: string): SymmetryDecl | string {
  const { ast } = parseSpec(text);
  const model = ast.models[0];
  const decl = model?.body.find((d): d is SymmetryDecl => d.kind === "Symmetry");
  if (!decl || !decl.relax) return "discover needs a relaxed spec: write e.g. `symmetry relax to C1 lmax 2` (θ's lmax and mul come from it; discover chooses the group)";
  return decl;
}

/** `text` with its symmetry clause keeping `group` (name and orientation as pointGroup() takes them). */
export function relaxedTo(text: string, decl: SymmetryDecl, group: { name: string; axis: readonly number[] | null; secondary: readonly number[] | null }): string {
  const parts = [`symmetry relax to ${group.name}`];
  if (group.axis) parts.push(`axis ${fmt(group.axis)}`);
  if (group.secondary) parts.push(`secondary ${fmt(group.secondary)}`);
  if (decl.lmax) parts.push(`lmax ${decl.lmax.text}`);
  if (decl.mul) parts.push(`mul ${decl.mul.text}`);
  return `${text.slice(0, decl.span.startOffset)}${parts.join(" ")}${text.slice(decl.span.endOffset)}`;
}

/** Whether the clause already keeps C1 (the spec is its own fully relaxed version). */
export function keepsC1(decl: SymmetryDecl): boolean {
  return decl.group.name === "C1";
}
