/** The `symmetry` clause: the group to keep, its orientation, and the size of θ. */
import type { SymmetryDecl, TupleLiteral } from "../../grammar/ast.js";
import { error, type Diagnostic } from "../../grammar/diagnostic.js";
import { catalogueSummary, parsePointGroupName, pointGroup, POINT_GROUP_NAMES } from "../o3/point-groups.js";
import { didYouMean } from "../suggest.js";
import { MAX_L } from "./layers.js";
import type { CheckedSymmetry } from "./model.js";

const DEFAULT_LMAX = 2;

function vector(t: TupleLiteral, what: string, diags: Diagnostic[]): number[] | undefined {
  const nums = t.items.map((i) => (i.kind === "Number" ? i.value : NaN));
  if (nums.length !== 3 || nums.some((v) => !Number.isFinite(v))) {
    diags.push(error("E113", `${what} must be three numbers such as (0, 0, 1)`, t.span));
    return undefined;
  }
  if (Math.hypot(...nums) < 1e-12 || !Number.isFinite(Math.hypot(...nums))) {
    diags.push(error("E107", `${what} must be a non-zero vector`, t.span));
    return undefined;
  }
  return nums;
}

/** The default when a model has no symmetry clause: an ordinary O(3)-equivariant model. */
export function defaultSymmetry(): CheckedSymmetry {
  return { keep: "O(3)", relaxed: false, group: pointGroup("O(3)"), lmax: DEFAULT_LMAX, mul: 1 };
}

export function checkSymmetry(decl: SymmetryDecl, diags: Diagnostic[]): CheckedSymmetry | undefined {
  const before = diags.length;
  let canonical: string | undefined;
  try {
    canonical = parsePointGroupName(decl.group.name).canonical;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    // The catalogue's own message already carries its suggestion; fall back on ours for plain typos.
    const hint = message.includes("did you mean") ? undefined : didYouMean(decl.group.name, [...POINT_GROUP_NAMES, "D4h", "D6h", "C2v", "C3v", "C4v"]);
    diags.push(error("E106", message.replace(/; expected one of .*$/, ""), decl.group.span, hint ?? (message.includes("did you mean") ? undefined : `groups: ${catalogueSummary()}`)));
  }
  if (!decl.relax && canonical !== undefined && canonical !== "O(3)") {
    diags.push(
      error("E129", `a model without relaxed weights keeps all of O(3), not only ${canonical}`, decl.group.span, `write 'symmetry relax to ${canonical}' to let it break the rest`),
    );
  }
  if (!decl.relax) {
    for (const [lit, word] of [[decl.lmax, "lmax"], [decl.mul, "mul"], [decl.axis, "axis"], [decl.secondary, "secondary"]] as const) {
      if (lit) diags.push(error("E128", `'${word}' only applies to 'symmetry relax to …'`, lit.span));
    }
  }
  const axis = decl.axis && vector(decl.axis, "axis", diags);
  const secondary = decl.secondary && vector(decl.secondary, "secondary", diags);
  if (axis && secondary) {
    const cos = (axis[0]! * secondary[0]! + axis[1]! * secondary[1]! + axis[2]! * secondary[2]!) / (Math.hypot(...axis) * Math.hypot(...secondary));
    if (Math.abs(cos) > 1e-6) {
      const angle = (Math.acos(Math.min(1, Math.abs(cos))) * 180) / Math.PI;
      diags.push(error("E108", `the secondary axis must be perpendicular to the principal axis (they are ${angle.toFixed(1)}° apart)`, decl.secondary!.span));
    }
  }
  const lmax = decl.lmax?.value ?? DEFAULT_LMAX;
  if (decl.lmax && (!Number.isInteger(lmax) || lmax < 0 || lmax > MAX_L))
    diags.push(error("E110", `lmax must be a whole number from 0 to ${MAX_L}, found ${decl.lmax.text}`, decl.lmax.span));
  const mul = decl.mul?.value ?? 1;
  if (decl.mul && (!Number.isInteger(mul) || mul < 1 || mul > 64))
    diags.push(error("E110", `mul must be a whole number from 1 to 64, found ${decl.mul.text}`, decl.mul.span));
  if (diags.length > before || canonical === undefined) return undefined;
  const orientation: { axis?: number[]; secondary?: number[] } = {};
  if (axis) orientation.axis = axis;
  if (secondary) orientation.secondary = secondary;
  try {
    return { keep: canonical, relaxed: decl.relax, group: pointGroup(canonical, orientation), lmax, mul };
  } catch (e) {
    diags.push(error("E109", e instanceof Error ? e.message : String(e), decl.span));
    return undefined;
  }
}
