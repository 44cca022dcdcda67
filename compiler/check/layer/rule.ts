/**
 * The shape of one layer kind's check: what it takes, which options it has, and a rule that derives (or
 * checks) its output irreps and domain from its inputs, reporting against the argument or literal concerned.
 */
import type { Call, LayerDecl, Span } from "../../../grammar/ast.js";
import type { Diagnostic } from "../../../grammar/diagnostic.js";
import { Irrep, Irreps, MulIr } from "../../o3/irreps.js";
import type { Domain } from "../../ir/types.js";
import type { CheckedLayer, CheckedSymmetry, Value } from "../model.js";
import type { OptionSpec, OptionValue } from "../options.js";

/** The largest l the kernels support. */
export const MAX_L = 8;

export const ACTIVATIONS = ["silu", "relu", "tanh", "sigmoid", "identity"] as const;

/** What a positional value argument must be. */
export type Role = "features" | "edge_attr" | "embedding" | "attr";

/** A layer whose arguments and options have been read: what a kind's rule checks. */
export interface LayerRuleContext {
  decl: LayerDecl;
  call: Call;
  symmetry: CheckedSymmetry | undefined;
  diags: Diagnostic[];
  /** The value arguments, and the first of them. */
  values: Value[];
  x: Value;
  options: Record<string, OptionValue | undefined>;
  /** The declared output irreps (`-> irreps`); present whenever the kind's output is "declared". */
  declared: Irreps | undefined;
  /** Where output errors point: the declared irreps, else the call. */
  outSpan: Span;
  /** Reports output irreps `missing` as unreachable from `from`. */
  unreachable(missing: MulIr[], from: string): undefined;
  /** Whether every value has the first one's domain (reports E115 otherwise). */
  sameDomain(vs: Value[], what: string): boolean;
  /** `derived`, unless the declared output disagrees (reported). */
  checkDerived(derived: Irreps): Irreps | undefined;
  /** Whether `v` is per node (reports E115 otherwise). */
  nodeInput(v: Value, what: string): boolean;
  /** θ's lmax and mul for a relaxed layer, and the irreps its kept group leaves non-zero (reported when impossible). */
  thetaOf(): { lmax: number; mul: number; effective: Irreps } | undefined;
  /** The checked layer. */
  done(irrepsOut: Irreps, domain: Domain, theta?: { lmax: number; mul: number }): CheckedLayer;
}

export interface LayerKind {
  roles: readonly Role[];
  /** Minimum number of value arguments (the rest of `roles` is optional); `variadic` repeats the last role. */
  minValues: number;
  variadic?: boolean;
  options: Readonly<Record<string, OptionSpec>>;
  /** "declared": `-> irreps` is required; "derived": computed (and a declared one must agree). */
  output: "declared" | "derived" | "optional";
  check(r: LayerRuleContext): CheckedLayer | undefined;
}

/** Irreps of a ⊗ b (all paths), as a set of distinct irreps. */
export function productSet(a: Irreps, b: Irreps): Irrep[] {
  const out: Irrep[] = [];
  for (const x of a) for (const y of b) for (const ir of x.ir.times(y.ir)) if (!out.some((o) => o.equals(ir))) out.push(ir);
  return out;
}

/** The entries of `out` whose irrep is not among `from`. */
export function reachable(out: Irreps, from: Irrep[]): MulIr[] {
  return out.entries.filter((e) => !from.some((ir) => ir.equals(e.ir)));
}

export const irrepsOf = (irs: Irrep[]) => new Irreps(irs.map((ir) => new MulIr(1, ir)));
