/**
 * Candidates when the graphs' inputs have no common point group (random velocities, several structures): the
 * fully relaxed model's θ proposes the axes. The model keeps K = ∩ over layers of Stab(θ); the data keeps at
 * least K (θ witnesses it) and possibly more, so the candidates are the catalogue's groups that contain K,
 * oriented along a frame made of K's axes, completed from θ's l = 1 parts where K has fewer than two.
 */
import { Irreps } from "../o3/irreps.js";
import { pointGroup, type PointGroup } from "../o3/point-groups.js";
import { isSubgroup } from "./group-order.js";
import type { Candidate } from "./search.js";

const NAMES = [
  "Ci", "Cs", "C2", "C2h", "C2v", "D2", "D2h", "S4", "S6",
  ...[3, 4, 6].flatMap((n) => [`C${n}`, `C${n}v`, `C${n}h`, `D${n}`, `D${n}h`, `D${n}d`]),
  "T", "Td", "Th", "O", "Oh", "C∞", "C∞v", "C∞h", "D∞", "D∞h", "SO(3)", "O(3)",
];

const unit = (v: ArrayLike<number>) => {
  const n = Math.hypot(v[0]!, v[1]!, v[2]!);
  return [v[0]! / n, v[1]! / n, v[2]! / n];
};
const dot = (a: number[], b: number[]) => a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]!;
const cross = (a: number[], b: number[]) => [a[1]! * b[2]! - a[2]! * b[1]!, a[2]! * b[0]! - a[0]! * b[2]!, a[0]! * b[1]! - a[1]! * b[0]!];

/** θ's l = 1 copies (1o and 1e) as Cartesian vectors (e3nn's l = 1 block is plain x, y, z), largest first. */
function lOneDirections(thetas: readonly { theta: ArrayLike<number>; irreps: string }[]): number[][] {
  const out: { v: number[]; n: number }[] = [];
  for (const { theta, irreps } of thetas) {
    let off = 0;
    for (const e of Irreps.parse(irreps)) {
      for (let u = 0; u < e.mul; u++, off += 2 * e.l + 1) {
        if (e.l !== 1) continue;
        const v = [theta[off]!, theta[off + 1]!, theta[off + 2]!];
        const n = Math.hypot(...v);
        if (n > 0) out.push({ v, n });
      }
    }
  }
  return out.sort((a, b) => b.n - a.n).map((x) => x.v);
}

/** An orthonormal frame (three directions) from the kept group's axes and θ's vectors; null when there is none. */
export function candidateFrame(kept: { axis: number[] | null; secondary: number[] | null }, thetas: readonly { theta: ArrayLike<number>; irreps: string }[]): number[][] | null {
  const dirs: number[][] = [];
  const add = (v: number[]) => {
    let w = v.slice();
    for (const d of dirs) w = w.map((x, i) => x - dot(v, d) * d[i]!);
    if (Math.hypot(...w) > 1e-3 * Math.hypot(...v)) dirs.push(unit(w));
  };
  for (const v of [kept.axis, kept.secondary]) if (v) add(v);
  for (const v of lOneDirections(thetas)) if (dirs.length < 2) add(v);
  if (dirs.length === 0) return null;
  if (dirs.length === 1) {
    const a = dirs[0]!;
    add(Math.abs(a[0]!) < 0.9 ? [1, 0, 0] : [0, 1, 0]);
  }
  return [dirs[0]!, dirs[1]!, unit(cross(dirs[0]!, dirs[1]!))];
}

/** The catalogue's groups along `frame` (any of its directions principal, any other secondary) containing `kept`, `kept` itself excluded. */
export function groupsContaining(kept: PointGroup, frame: number[][] | null): Candidate[] {
  const out: Candidate[] = [];
  const consider = (name: string, axis: number[] | null, secondary: number[] | null) => {
    let g: PointGroup;
    try {
      g = pointGroup(name, { ...(axis ? { axis } : {}), ...(secondary ? { secondary } : {}) });
    } catch {
      return;
    }
    if (!isSubgroup(kept, g) || isSubgroup(g, kept)) return;
    if (out.some((c) => c.name === g.name && isSubgroup(c.group, g) && isSubgroup(g, c.group))) return;
    out.push({ name: g.name, axis: g.axis ? Array.from(g.axis) : null, secondary: g.secondary ? Array.from(g.secondary) : null, group: g, order: g.order });
  };
  for (const name of NAMES) {
    if (!frame) {
      consider(name, null, null);
      continue;
    }
    for (const a of frame) for (const s of frame) if (a !== s) consider(name, a, s);
  }
  return out;
}
