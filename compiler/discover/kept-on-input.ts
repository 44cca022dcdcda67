/**
 * What a relaxed layer keeps on its input (the training and inspect readout, issue 15 item 4): Stab(θ) is
 * the group θ keeps in general; on a particular input the model keeps Stab(θ) ∩ (the input's point group),
 * e.g. θ keeping D∞h about z on the cube's Oh gives the prism's D4h about z.
 */
import type { DetectedSymmetry } from "../o3/detect-symmetry.js";
import { pointGroup, type PointGroup } from "../o3/point-groups.js";
import { intersectGroups, type NamedGroup } from "../o3/subgroups.js";

export interface Kept {
  theta: NamedGroup;
  /** Stab(θ) ∩ the input's group; null without an input group. */
  onInput: NamedGroup | null;
  /** `keeps D∞h, axis (0.000, 0.000, 1.000); with the input's Oh: D4h, axis (0.000, 0.000, 1.000)`. */
  text: string;
  /** The part after Stab(θ): `; with the input's Oh: D4h, axis (…)`, or "" without an input group. */
  suffix: string;
}

const vec = (v: readonly number[]) => `(${v.map((x) => (Math.abs(x) < 5e-4 ? 0 : x).toFixed(3)).join(", ")})`;

export function namedOf(g: PointGroup): NamedGroup {
  return { name: g.name, axis: g.axis ? Array.from(g.axis) : null, secondary: g.secondary ? Array.from(g.secondary) : null, group: g };
}

/** `D4h, axis (…)`: the name and the principal axis, as the training readout prints them. */
export function groupWithAxis(g: { name: string; axis: readonly number[] | null }): string {
  return `${g.name}${g.axis ? `, axis ${vec(g.axis)}` : ""}`;
}

export function keptOnInput(detected: DetectedSymmetry, input: NamedGroup | null): Kept {
  const theta = namedOf(pointGroup(detected.group, { ...(detected.axis ? { axis: detected.axis } : {}), ...(detected.secondary ? { secondary: detected.secondary } : {}) }));
  let onInput: NamedGroup | null = null;
  if (input) onInput = theta.group.continuous && theta.group.continuousRotations === "all" ? input : intersectGroups(theta.group, input.group);
  const suffix = input && onInput ? `; with the input's ${input.name}: ${groupWithAxis(onInput)}` : "";
  return { theta, onInput, text: `keeps ${groupWithAxis(theta)}${suffix}`, suffix };
}
