/**
 * Every subgroup of a finite point group, each named and oriented in the user's frame, conjugates listed
 * separately (in Oh, C4v about x, about y and about z are three subgroups of one conjugacy class).
 *
 * Method. The parent's elements get a multiplication table; subgroups are bitsets over them. Starting from
 * the trivial group, every subgroup found is joined with every element outside it (the closure of its
 * generators plus that element), until nothing new appears: every subgroup is reached, since adding its
 * elements one at a time to the trivial group passes through subgroups only. Each subgroup is named with
 * `nameClosedGroup` (so `pointGroup(name, { axis, secondary }).elements()` is exactly its element set), and
 * conjugacy classes come from conjugating every subgroup by every parent element. Ih (120 elements, 406
 * subgroups) takes a few hundred milliseconds, Oh well under that.
 */
import { elementInfo, maxAbsDiff9, nameClosedGroup, type ElementInfo, type NamedGroup } from "./group-identify.js";
import type { PointGroup } from "./point-groups.js";
import { matmul3, type Matrix3 } from "./rotation.js";

export { identifyGroup, type NamedGroup } from "./group-identify.js";
export { intersectGroups, namedGroup } from "./group-intersection.js";

/** One subgroup of a parent group, in the parent's (the user's) frame. */
export interface OrientedSubgroup extends NamedGroup {
  /** Number of elements. */
  order: number;
  /** Index of its conjugacy class within the parent (see {@link subgroupClasses}); classes are ordered by order descending. */
  classIndex: number;
  /** Indices of its elements in `parent.elements()`, ascending. */
  elementIndices: number[];
}

interface Table {
  elements: Matrix3[];
  infos: ElementInfo[];
  mul: Int32Array; // mul[i * N + j] = index of elements[i] · elements[j]
  inv: Int32Array;
}

function table(parent: PointGroup, what: string): Table {
  if (parent.continuous) throw new Error(`${what}: ${parent.name} is continuous and has infinitely many subgroups; pass a finite group`);
  const elements = parent.elements();
  const N = elements.length;
  const keyOf = (m: ArrayLike<number>) => Array.from({ length: 9 }, (_, k) => Math.round(m[k]! * 1e6)).join(",");
  const byKey = new Map<string, number>();
  elements.forEach((m, i) => byKey.set(keyOf(m), i));
  const find = (m: Matrix3): number => {
    const hit = byKey.get(keyOf(m));
    if (hit !== undefined && maxAbsDiff9(elements[hit]!, m) <= 1e-8) return hit;
    const k = elements.findIndex((e) => maxAbsDiff9(e, m) <= 1e-8);
    if (k < 0) throw new Error(`${what}: internal error, ${parent.name} is not closed under multiplication`);
    return k;
  };
  const mul = new Int32Array(N * N);
  const inv = new Int32Array(N);
  for (let i = 0; i < N; i++)
    for (let j = 0; j < N; j++) {
      const k = find(matmul3(elements[i]!, elements[j]!));
      mul[i * N + j] = k;
      if (k === 0) inv[i] = j;
    }
  const infos = elements.map((m) => elementInfo(m, 1e-9, N));
  return { elements, infos, mul, inv };
}

/** Closure of the generators (element indices) as a sorted index list. */
function close(t: Table, gens: number[]): number[] {
  const N = t.elements.length;
  const inside = new Uint8Array(N);
  const out = [0];
  inside[0] = 1;
  for (let i = 0; i < out.length; i++)
    for (const g of gens) {
      const k = t.mul[out[i]! * N + g]!;
      if (!inside[k]) {
        inside[k] = 1;
        out.push(k);
      }
    }
  return out.sort((a, b) => a - b);
}

const AXIS_PREFERENCE = [2, 1, 0];
const SECONDARY_PREFERENCE = [0, 1, 2];
function alignmentKey(v: readonly number[] | null, preference: number[]): number[] {
  if (v === null) return [0, 0, 0, 0, 0];
  const abs = v.map(Math.abs);
  const top = Math.max(...abs);
  const arg = preference.find((i) => abs[i]! >= top - 1e-6)!;
  return [-Math.round(top * 1e6), preference.indexOf(arg), ...v.map((x) => -Math.round(x * 1e6))];
}
function lexCompare(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}
const frameKey = (g: NamedGroup) => [...alignmentKey(g.axis, AXIS_PREFERENCE), ...alignmentKey(g.secondary, SECONDARY_PREFERENCE)];

/**
 * Every subgroup of the finite group `parent`, conjugates listed separately, each with its canonical name and
 * orientation in the parent's frame (`pointGroup(name, { axis, secondary }).elements()` is exactly the
 * subgroup's element set; axes signed as identifyGroup signs them). Sorted by order descending (the parent
 * first, C1 last), then by conjugacy class, then the most coordinate-aligned orientation first. Throws for
 * continuous groups.
 */
export function subgroups(parent: PointGroup): OrientedSubgroup[] {
  const what = "subgroups";
  const t = table(parent, what);
  const N = t.elements.length;
  const found = new Map<string, number>();
  const list: { members: number[]; gens: number[] }[] = [];
  const add = (members: number[], gens: number[]) => {
    const key = members.join(",");
    if (found.has(key)) return;
    found.set(key, list.length);
    list.push({ members, gens });
  };
  add([0], []);
  for (let s = 0; s < list.length; s++) {
    const inside = new Uint8Array(N);
    for (const k of list[s]!.members) inside[k] = 1;
    for (let g = 0; g < N; g++) {
      if (inside[g]) continue;
      const gens = [...list[s]!.gens, g];
      add(close(t, gens), gens);
    }
  }

  // Conjugacy classes: union of each subgroup with its conjugates g H g⁻¹.
  const classOf = new Int32Array(list.length).fill(-1);
  let classes = 0;
  for (let s = 0; s < list.length; s++) {
    if (classOf[s] >= 0) continue;
    const c = classes++;
    classOf[s] = c;
    for (let g = 0; g < N; g++) {
      const image = list[s]!.members.map((h) => t.mul[t.mul[g * N + h]! * N + t.inv[g]!]!).sort((a, b) => a - b);
      const k = found.get(image.join(","));
      if (k === undefined) throw new Error(`${what}: internal error, a conjugate of a subgroup was not enumerated`);
      classOf[k] = c;
    }
  }

  const named = list.map((s) => nameClosedGroup(s.members.map((k) => t.elements[k]!), 1e-8, what, s.members.map((k) => t.infos[k]!)));
  // Class order: order descending, then name, then the best-aligned member.
  const classRank = new Int32Array(classes);
  const reps = Array.from({ length: classes }, (_, c) => {
    const members = list.map((_, s) => s).filter((s) => classOf[s] === c).sort((a, b) => lexCompare(frameKey(named[a]!), frameKey(named[b]!)));
    return { c, order: list[members[0]!]!.members.length, name: named[members[0]!]!.name, key: frameKey(named[members[0]!]!) };
  });
  reps.sort((a, b) => b.order - a.order || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) || lexCompare(a.key, b.key));
  reps.forEach((r, i) => (classRank[r.c] = i));
  const out: OrientedSubgroup[] = list.map((s, i) => ({
    ...named[i]!,
    order: s.members.length,
    classIndex: classRank[classOf[i]!]!,
    elementIndices: s.members,
  }));
  return out.sort((a, b) => b.order - a.order || a.classIndex - b.classIndex || lexCompare(frameKey(a), frameKey(b)));
}

/** The subgroups of {@link subgroups} grouped by conjugacy class, in class order; `name` is the class's group name. */
export function subgroupClasses(parent: PointGroup): { name: string; members: OrientedSubgroup[] }[] {
  const all = subgroups(parent);
  const out: { name: string; members: OrientedSubgroup[] }[] = [];
  for (const s of all) (out[s.classIndex] ??= { name: s.name, members: [] }).members.push(s);
  return out;
}

