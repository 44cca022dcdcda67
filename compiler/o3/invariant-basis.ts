/**
 * The vectors of an O(3) irrep that a point group H leaves fixed: the subspace a relaxed weight θ is
 * restricted to when a layer must stay exactly H-equivariant.
 */
import { det3 } from "./rotation.js";
import type { PointGroup } from "./point-groups.js";
import { wignerD } from "./wigner-d.js";

/** Per group, per l: the projectors onto the fixed space of (l, +1) and (l, -1). */
const projectorCache = new WeakMap<PointGroup, Map<number, { even: Float64Array; odd: Float64Array }>>();

/**
 * The group average P = (1/|G|) Σ_g D(g): the orthogonal projector onto the fixed space, with eigenvalues
 * exactly 0 or 1, which makes the rank (its trace) and the basis well conditioned. Continuous axial groups
 * are averaged over their finite proxy, which has the same fixed space at this l.
 */
function projectors(group: PointGroup, l: number): { even: Float64Array; odd: Float64Array } {
  let perL = projectorCache.get(group);
  if (!perL) projectorCache.set(group, (perL = new Map()));
  const hit = perL.get(l);
  if (hit) return hit;
  const d = 2 * l + 1;
  const even = new Float64Array(d * d), odd = new Float64Array(d * d);
  if (group.continuousRotations === "all") {
    // SO(3) and O(3): only l = 0 is fixed; O(3)'s inversion also removes 0o.
    if (l === 0) [even[0], odd[0]] = [1, group.family === "O(3)" ? 0 : 1];
  } else {
    const elements = group.finiteProxy(l).elements();
    for (const g of elements) {
      // D_{l,+1}(g) for both parities: D_{l,-1}(g) = det(g) D_{l,+1}(g).
      const D = wignerD(l, 1, g);
      const sign = det3(g) < 0 ? -1 : 1;
      for (let i = 0; i < d * d; i++) {
        even[i] += D[i]!;
        odd[i] += sign * D[i]!;
      }
    }
    for (const P of [even, odd])
      for (let i = 0; i < d; i++)
        for (let j = 0; j <= i; j++) {
          const v = (P[i * d + j]! + P[j * d + i]!) / (2 * elements.length);
          P[i * d + j] = P[j * d + i] = v;
        }
  }
  const out = { even, odd };
  perL.set(l, out);
  return out;
}

function projector(group: PointGroup, l: number, p: 1 | -1): Float64Array {
  return p === 1 ? projectors(group, l).even : projectors(group, l).odd;
}

/** The rank of a projector is its trace, an integer up to rounding. */
function rank(P: Float64Array, d: number, group: PointGroup, l: number): number {
  let trace = 0;
  for (let i = 0; i < d; i++) trace += P[i * d + i]!;
  const k = Math.max(0, Math.round(trace)); // max: no -0 from a trace of -1e-17
  if (Math.abs(trace - k) > 1e-6) throw new Error(`invariantBasis: projector trace ${trace} is not an integer (group ${group.name}, l = ${l})`);
  return k;
}

function checkIrrep(l: number, p: number): void {
  if (!Number.isInteger(l) || l < 0) throw new Error(`invariantBasis: l must be a non-negative integer, got ${l}`);
  if (p !== 1 && p !== -1) throw new Error(`invariantBasis: parity must be 1 or -1, got ${String(p)}`);
}

/**
 * Orthonormal basis of the H-invariant subspace of the irrep (l, p), i.e. the common fixed space of
 * D_{l,p}(h) for all h in H (e3nn's real basis, as `wignerD`). Row-major (k, 2l+1); k may be 0.
 *
 * Deterministic: rows come from Gram-Schmidt on the columns of the invariant projector P, always taking the
 * column with the largest remaining norm (the lowest index among those within a relative 1e-9 of it). Row i
 * is thus the normalised part of P e_j orthogonal to the earlier rows, for its pivot j, and its j-th entry is
 * positive. Accurate to ~1e-14 for l <= 12.
 */
export function invariantBasis(group: PointGroup, l: number, p: 1 | -1): Float64Array {
  checkIrrep(l, p);
  const d = 2 * l + 1;
  const P = projector(group, l, p);
  const k = rank(P, d, group, l);
  const cols = Array.from({ length: d }, (_, j) => Float64Array.from({ length: d }, (_, i) => P[i * d + j]!));
  const rows: Float64Array[] = [];
  const dot = (a: Float64Array, b: Float64Array) => a.reduce((s, v, i) => s + v * b[i]!, 0);
  for (let step = 0; step < k; step++) {
    const norms = cols.map((c) => dot(c, c));
    const top = Math.max(...norms);
    const j = norms.findIndex((v) => v >= top * (1 - 1e-9));
    const v = Float64Array.from(cols[j]!);
    // A second orthogonalisation pass keeps the rows orthonormal to rounding.
    for (const r of rows) {
      const c = dot(r, v);
      for (let i = 0; i < d; i++) v[i] -= c * r[i]!;
    }
    const n = Math.sqrt(dot(v, v));
    for (let i = 0; i < d; i++) v[i] /= n;
    rows.push(v);
    for (const c of cols) {
      const a = dot(v, c);
      for (let i = 0; i < d; i++) c[i] -= a * v[i]!;
    }
  }
  const out = new Float64Array(k * d);
  rows.forEach((r, i) => out.set(r, i * d));
  return out;
}

/** The number of rows of {@link invariantBasis}: the multiplicity of the trivial irrep of H in (l, p). */
export function invariantDimension(group: PointGroup, l: number, p: 1 | -1): number {
  checkIrrep(l, p);
  return rank(projector(group, l, p), 2 * l + 1, group, l);
}

/** The orthogonal projector (row-major (2l+1, 2l+1)) onto the H-invariant subspace of (l, p); a copy. */
export function invariantProjector(group: PointGroup, l: number, p: 1 | -1): Float64Array {
  checkIrrep(l, p);
  return Float64Array.from(projector(group, l, p));
}
