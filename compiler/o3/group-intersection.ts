/**
 * The intersection of two point groups in given orientations, named and oriented like identifyGroup's
 * results: the group a model keeps on its input is Stab(θ) ∩ (the input's group).
 *
 * With one group finite, its elements are filtered by the other's `contains` (within the tolerance, so an
 * axis measured to a few digits still meets an exact one) and the survivors, an exact subgroup of the
 * finite group, are named. Two continuous groups: SO(3) and O(3) keep the other group's proper part or the
 * whole of it; two axial groups (C∞, C∞v, C∞h, D∞, D∞h) about one axis keep the components both have
 * (rotations about the axis, mirrors containing it, half turns across it, rotoreflections about it); about
 * different axes every common element maps both lines onto themselves, so the intersection lies in the
 * D2h of the two axes (perpendicular axes) or the C2h about their common normal (otherwise), whose
 * elements are filtered as above.
 */
import { nameClosedGroup, signCanonical, type NamedGroup } from "./group-identify.js";
import { pointGroup, type PointGroup } from "./point-groups.js";

export interface IntersectOptions {
  /** Entry tolerance for `contains` (default 1e-4: finite groups' elements lie far further apart). */
  tolerance?: number;
}

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]!;
const cross = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  Float64Array.of(a[1]! * b[2]! - a[2]! * b[1]!, a[2]! * b[0]! - a[0]! * b[2]!, a[0]! * b[1]! - a[1]! * b[0]!);

/** The canonical name and orientation of any group of the catalogue (see identifyGroup for the convention). */
export function namedGroup(group: PointGroup): NamedGroup {
  if (!group.continuous) return nameClosedGroup(group.elements(), 1e-8, "namedGroup");
  if (group.continuousRotations === "all") return { name: group.name, axis: null, secondary: null, group };
  const axis = signCanonical(cleaned(group.continuousAxis!));
  return { name: group.name, axis: Array.from(axis), secondary: null, group: pointGroup(group.name, { axis }) };
}

function cleaned(v: ArrayLike<number>): Float64Array {
  const w = Float64Array.from({ length: 3 }, (_, i) => (Math.abs(v[i]!) <= 1e-12 ? 0 : v[i]!));
  const n = Math.hypot(w[0]!, w[1]!, w[2]!);
  return w.map((x) => x / n);
}

/** Which of the four components of the stabiliser of the axis an axial group has. */
const AXIAL_PARTS: Record<string, string> = { "C∞": "", "C∞v": "v", "C∞h": "h", "D∞": "d", "D∞h": "dhv" };
const PROPER_PART: Record<string, string> = { "C∞": "C∞", "C∞v": "C∞", "C∞h": "C∞", "D∞": "D∞", "D∞h": "D∞" };

/** The elements of a finite group that `keep` accepts (a subgroup when `keep` is a group's membership), named. */
function filtered(finite: PointGroup, keep: (m: Float64Array) => boolean): NamedGroup {
  return nameClosedGroup(finite.elements().filter(keep), 1e-8, "intersectGroups");
}

/**
 * a ∩ b for any two groups of the catalogue in their orientations (either may be continuous). Returns the
 * canonical name and orientation of the intersection (see identifyGroup), with `group` built from them.
 */
export function intersectGroups(a: PointGroup, b: PointGroup, options: IntersectOptions = {}): NamedGroup {
  const tol = options.tolerance ?? 1e-4;
  if (typeof tol !== "number" || !(tol > 0 && tol < 0.1)) throw new Error(`intersectGroups: tolerance must be a number in (0, 0.1), got ${String(tol)}`);
  const inBoth = (m: Float64Array) => a.contains(m, tol) && b.contains(m, tol);
  if (!b.continuous) return filtered(b, inBoth);
  if (!a.continuous) return filtered(a, inBoth);
  if (a.family === "O(3)") return namedGroup(b);
  if (b.family === "O(3)") return namedGroup(a);
  if (a.family === "SO(3)" || b.family === "SO(3)") {
    const other = a.family === "SO(3)" ? b : a;
    if (other.family === "SO(3)") return namedGroup(other);
    return namedGroup(pointGroup(PROPER_PART[other.name]!, { axis: other.continuousAxis! }));
  }
  const u = a.continuousAxis!, v = b.continuousAxis!;
  const c = dot(u, v);
  if (Math.abs(c) >= 1 - tol) {
    const pa = AXIAL_PARTS[a.name]!, pb = AXIAL_PARTS[b.name]!;
    const common = [..."dhv"].filter((x) => pa.includes(x) && pb.includes(x)).join("");
    const name = Object.entries(AXIAL_PARTS).find(([, parts]) => parts === common)![0];
    return namedGroup(pointGroup(name, { axis: a.continuousAxis! }));
  }
  if (Math.abs(c) <= tol) {
    const s = v.map((x, i) => x - c * u[i]!);
    return filtered(pointGroup("D2h", { axis: u, secondary: s }), inBoth);
  }
  return filtered(pointGroup("C2h", { axis: cross(u, v) }), inBoth);
}
