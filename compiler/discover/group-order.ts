/** Containment between oriented point groups, as discover's pruning uses it. */
import type { PointGroup } from "../o3/point-groups.js";
import { axisAngleToMatrix } from "../o3/rotation.js";

const TOL = 1e-6;

/** Whether every element of `small` belongs to `big` (both oriented in the user's frame). */
export function isSubgroup(small: PointGroup, big: PointGroup): boolean {
  if (!small.continuous) return small.elements().every((m) => big.contains(m, TOL));
  if (!small.generators.every((m) => big.contains(m, TOL))) return false;
  if (small.continuousRotations === "all") return big.continuousRotations === "all";
  // Rotations by angles no finite group of a sane order holds stand for the whole circle about the axis.
  return [0.7, 1.3].every((angle) => big.contains(axisAngleToMatrix(small.continuousAxis!, angle), TOL));
}
