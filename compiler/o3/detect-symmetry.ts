/**
 * Reads the symmetry a relaxed layer kept: the largest point group H of the catalogue (in any orientation)
 * with D(h) θ = θ for every h in H, each block of θ transformed by its own irrep (l, p). This is the
 * stabilizer Stab(θ) of the paper, under which the layer is exactly equivariant.
 *
 * Tolerance. θ counts as invariant under a group when its relative residual
 *   r(H) = max_{h ∈ H} ‖D(h) θ - θ‖ / ‖θ_ns‖
 * is at most `tolerance`, where θ_ns is everything but the 0e blocks (0e is invariant under all of O(3)), so
 * the size of the scalar part never hides a small breaking. The maximum runs over every element of a finite
 * group; for the continuous groups over a dense sample (rotations about the axis by multiples of π/(16(L+1))
 * and the finite proxy with 2L+2 rotations), and for SO(3) the bound 2‖θ_{l≥1}‖/‖θ_ns‖. The default, 1e-2:
 * noise ν adds at most 2‖ν‖/‖θ_ns‖ to r(H), so noise up to 0.5 % of ‖θ_ns‖ in any direction is always
 * accepted (isotropic noise of 0.1 % gives r ≈ 1.5e-3, of 0.3 % about 5e-3), while a breaking part carrying
 * more than about 1 % of ‖θ_ns‖ is seen. Pass a smaller tolerance to resolve finer breakings (for exact
 * float64 invariants r(H) is ~1e-12). A θ whose non-scalar part has norm at most `zeroTolerance` (default
 * 1e-12·max(1, ‖θ‖)) is O(3)-invariant.
 *
 * Method (see symmetry-search.ts for the m-spectrum that makes every residual about an axis cheap):
 * 1. O(3) when θ_ns ≈ 0; SO(3) when θ_ns is (within tolerance) the 0o pseudo-scalars alone.
 * 2. θ's spectrum about every point of a Fibonacci hemisphere grid (spacing ≈ 0.3/L rad, L the largest l
 *    present) gives, at once, the residual of a rotation by 2π/k (k = 2..L), of the whole axial rotation
 *    group and of the mirror normal to the point. Local minima of these are refined on the sphere
 *    (Nelder-Mead) and kept when within tolerance: the C∞ axis, the k-fold axes (with every order that
 *    passes at that axis; orders above L cannot be told from C∞) and the mirror normals.
 * 3. With a C∞ axis, the answer is the largest of D∞h, C∞v, C∞h, D∞, C∞ about it that passes.
 * 4. Otherwise candidate groups are built from the axes found: T, Td, Th, O, Oh, I, Ih on frames made of
 *    two perpendicular two-fold axes (both chiralities for I, Ih); Dnh, Dnd, Dn, Cnv, Cnh, S2n, Cn about each
 *    axis for each order n it passes, the secondary direction of Dn/Dnh/Dnd (a two-fold axis) and of Cnv (a
 *    mirror plane containing the axis) found by a 1-D search around the axis; Cs per mirror; Ci; C1. They are
 *    tried from the largest order down, and the first order with a passing candidate wins (ties: smallest
 *    residual, then the listing order above).
 * 5. The winner's frame is replaced by the equivalent one (same set of matrices) whose axis is closest to a
 *    coordinate axis (z preferred, then y, x) and whose secondary is closest to one (x, y, z), each with its
 *    largest-magnitude component positive, so a group in the default orientation reads back as built.
 *
 * Cost: about 70 L² spectra on the grid (capped at 12000 points, so above L ≈ 13 the grid is coarser than
 * designed and thin minima may be missed) plus a few hundred per refined axis: 10-60 ms for lmax 6 with
 * mul 1, up to ~0.3 s for Ih, ~0.6 s at lmax 12 (Node 20, one core).
 */
import { Irreps, type IrrepsLike } from "./irreps.js";
import { pointGroup, type PointGroup } from "./point-groups.js";
import { applyMatrix3, axisAngleToMatrix } from "./rotation.js";
import {
  cross,
  dot,
  hemisphereGrid,
  lineAngle,
  localMinima,
  minimaOnCircle,
  minimiseOnSphere,
  normalizeInPlace,
  tangentBasis,
  ThetaSpectra,
  type SpectralBlock,
} from "./symmetry-search.js";

/** Default relative tolerance of {@link detectSymmetry}. */
export const DEFAULT_SYMMETRY_TOLERANCE = 1e-2;

export interface DetectSymmetryOptions {
  /** Largest relative residual r(H) (see the module comment) for θ to count as H-invariant; default 1e-2. */
  tolerance?: number;
  /** Absolute norm of the non-scalar part at or below which θ is O(3)-invariant; default 1e-12·max(1, ‖θ‖). */
  zeroTolerance?: number;
}

/** The size of one non-scalar entry of the irreps. */
export interface SymmetryBreaking {
  /** The irrep, e.g. "2e". */
  irrep: string;
  /** Its multiplicity in the irreps; `norm` covers all copies. */
  mul: number;
  /** Euclidean norm of the whole `mul x irrep` block (all copies together). */
  norm: number;
}

export interface DetectedSymmetry {
  /** Canonical Schoenflies name: "Oh", "D4h", "C∞v", "Cs", "C1", "SO(3)", "O(3)", … */
  group: string;
  /** Number of elements; Infinity for the continuous groups. */
  order: number;
  /** Unit principal axis in the user's frame (Cs: the mirror normal; T…Ih: the frame's z), when the group has one. */
  axis?: number[];
  /** Unit secondary direction (two-fold axis of Dn/Dnh/Dnd, in-plane direction of a Cnv mirror, frame x of T…Ih). */
  secondary?: number[];
  /** One entry per non-0e entry of the irreps, in irreps order. */
  breaking: SymmetryBreaking[];
  /** r(H) of the reported group in the reported orientation (0 for O(3) and C1; for SO(3) the bound 2‖θ_{l≥1}‖/‖θ_ns‖). */
  residual: number;
}

interface Prepared {
  blocks: SpectralBlock[];
  nonScalar: number;
  high: number;
  breaking: SymmetryBreaking[];
  tolerance: number;
  zeroTolerance: number;
}

function prepare(theta: ArrayLike<number>, irrepsLike: IrrepsLike, options: DetectSymmetryOptions): Prepared {
  const irreps = Irreps.parse(irrepsLike);
  if (theta === null || typeof theta !== "object" || typeof theta.length !== "number")
    throw new Error("detectSymmetry: θ must be an array of numbers");
  if (theta.length !== irreps.dim)
    throw new Error(`detectSymmetry: θ has ${theta.length} numbers but the irreps '${irreps.toString()}' have dimension ${irreps.dim}`);
  for (let i = 0; i < theta.length; i++) {
    const v = theta[i];
    if (typeof v !== "number" || !Number.isFinite(v)) throw new Error(`detectSymmetry: θ[${i}] is ${String(v)}; every entry must be a finite number`);
  }
  const tolerance = options.tolerance ?? DEFAULT_SYMMETRY_TOLERANCE;
  if (typeof tolerance !== "number" || !(tolerance > 0 && tolerance < 1))
    throw new Error(`detectSymmetry: tolerance must be a number in (0, 1), got ${String(tolerance)}`);
  let total = 0;
  for (let i = 0; i < theta.length; i++) total += theta[i]! * theta[i]!;
  const zeroTolerance = options.zeroTolerance ?? 1e-12 * Math.max(1, Math.sqrt(total));
  if (typeof zeroTolerance !== "number" || !(zeroTolerance >= 0) || !Number.isFinite(zeroTolerance))
    throw new Error(`detectSymmetry: zeroTolerance must be a finite number >= 0, got ${String(zeroTolerance)}`);

  const raw: SpectralBlock[] = [];
  const breaking: SymmetryBreaking[] = [];
  let nonScalarSq = 0, highSq = 0;
  let off = 0;
  for (const e of irreps) {
    const d = 2 * e.l + 1;
    const scalar = e.l === 0 && e.p === 1;
    let sq = 0;
    for (let u = 0; u < e.mul; u++, off += d) {
      const data = Float64Array.from({ length: d }, (_, i) => theta[off + i]!);
      const s = data.reduce((a, v) => a + v * v, 0);
      sq += s;
      if (!scalar && s > 0) raw.push({ l: e.l, p: e.p, data });
    }
    if (scalar) continue;
    breaking.push({ irrep: e.ir.toString(), mul: e.mul, norm: Math.sqrt(sq) });
    nonScalarSq += sq;
    if (e.l > 0) highSq += sq;
  }
  const nonScalar = Math.sqrt(nonScalarSq);
  const blocks = nonScalar > 0 ? raw.map((b) => ({ l: b.l, p: b.p, data: b.data.map((v) => v / nonScalar) })) : [];
  return { blocks, nonScalar, high: Math.sqrt(highSq) / (nonScalar || 1), breaking, tolerance, zeroTolerance };
}

/**
 * The relative residual r(H) of θ under a group in a given orientation (see the module comment): 0 when θ
 * is exactly H-invariant (and when θ_ns ≈ 0). For SO(3) and O(3) it is an upper bound (2‖θ_{l≥1}‖/‖θ_ns‖,
 * resp. 2). Throws on the same invalid input as {@link detectSymmetry}.
 */
export function symmetryResidual(theta: ArrayLike<number>, irreps: IrrepsLike, group: PointGroup): number {
  const prep = prepare(theta, irreps, {});
  if (prep.nonScalar <= prep.zeroTolerance) return 0;
  return Math.sqrt(groupResidualSq(new ThetaSpectra(prep.blocks), group, prep, Infinity));
}

/** Largest squared residual over the group's elements; stops early (returning it) once it exceeds `limitSq`. */
function groupResidualSq(spectra: ThetaSpectra, group: PointGroup, prep: Prepared, limitSq: number): number {
  if (group.continuousRotations === "all") {
    const high = 4 * prep.high * prep.high;
    return group.family === "O(3)" ? 4 : high;
  }
  let worst = 0;
  for (const g of group.generators) {
    worst = Math.max(worst, spectra.elementResidualSq(g));
    if (worst > limitSq) return worst;
  }
  if (group.continuousRotations === "axial") {
    spectra.spectrum(group.continuousAxis!);
    worst = Math.max(worst, spectra.axialResidualSq());
    if (worst > limitSq) return worst;
  }
  const elements = group.continuous ? group.finiteProxy(2 * spectra.L + 1).elements() : group.elements();
  for (const g of elements) {
    worst = Math.max(worst, spectra.elementResidualSq(g));
    if (worst > limitSq) return worst;
  }
  return worst;
}

/** A symmetry axis found by the search, with every rotation order 2..K that passes about it. */
interface FoundAxis {
  n: Float64Array;
  orders: number[];
  residualSq: number;
}

interface Candidate {
  name: string;
  order: number;
  /** Builds the oriented groups to try (several when the secondary direction is ambiguous); [] when impossible. */
  build: () => PointGroup[];
}

/** Grid points on the hemisphere: 70 L² (spacing ≈ 0.3/L rad) up to L = 13, then this cap. */
const MAX_GRID = 12000;

/** Largest relative residual at a grid point for its local minimum to be refined (see `run`). */
const SEED_GATE = 0.5;

const CONTINUOUS_RANK: Record<string, number> = { "O(3)": 7, "SO(3)": 6, "D∞h": 5, "C∞v": 4, "C∞h": 4, "D∞": 4, "C∞": 3 };

class Detector {
  private readonly spectra: ThetaSpectra;
  private readonly tolSq: number;
  private readonly K: number;
  private readonly c2Memo = new Map<Float64Array, Float64Array[]>();
  private readonly mirrorMemo = new Map<Float64Array, Float64Array[]>();

  constructor(private readonly prep: Prepared) {
    this.spectra = new ThetaSpectra(prep.blocks);
    this.tolSq = prep.tolerance * prep.tolerance;
    this.K = Math.max(2, this.spectra.L);
  }

  residualSq(group: PointGroup, limitSq = this.tolSq): number {
    return groupResidualSq(this.spectra, group, this.prep, limitSq);
  }

  run(): { group: PointGroup; residualSq: number } {
    const { spectra, K } = this;
    const L = spectra.L;
    const count = Math.min(MAX_GRID, Math.max(300, Math.round(70 * L * L)));
    const grid = hemisphereGrid(count);
    // Step 2. Per grid point: C∞ (mean over angles), C_k generators (k = 2..K), mirror.
    const fInf = new Float64Array(count), fMirror = new Float64Array(count);
    const fk = Array.from({ length: K + 1 }, () => new Float64Array(count));
    // 4 sin²(πm/k): the weight of P + Q at m in the squared residual of the rotation by 2π/k.
    const weights = Array.from({ length: K + 1 }, (_, k) => Float64Array.from({ length: L + 1 }, (_, m) => (k < 2 ? 0 : 4 * Math.sin((Math.PI * m) / k) ** 2)));
    for (let i = 0; i < count; i++) {
      spectra.spectrum(grid.points.subarray(3 * i, 3 * i + 3));
      const { P, Q } = spectra;
      let inf = 0, mirror = 0;
      for (let m = 0; m <= L; m++) {
        if (m > 0) inf += 2 * (P[m]! + Q[m]!);
        mirror += 4 * (m % 2 === 1 ? P[m]! : Q[m]!);
      }
      fInf[i] = inf;
      fMirror[i] = mirror;
      for (let k = 2; k <= K; k++) {
        const w = weights[k]!;
        let s = 0;
        for (let m = 1; m <= L; m++) s += w[m]! * (P[m]! + Q[m]!);
        fk[k]![i] = s;
      }
    }
    const step = grid.spacing;
    // Grid minima worth refining: near a true axis the grid value stays below ~0.25 (the grid spacing scales as
    // 1/L, the residual's slope as L); spurious minima of random θ sit above ~0.38. The gate keeps a margin.
    const gate = (SEED_GATE + this.prep.tolerance) ** 2;
    const seedsOf = (values: Float64Array, cap: number): Float64Array[] =>
      localMinima(grid, values)
        .filter((i) => values[i]! <= gate)
        .slice(0, cap)
        .map((i) => grid.points.slice(3 * i, 3 * i + 3));

    // Step 3. A C∞ axis makes the group continuous.
    const axialObjective = (n: Float64Array): number => {
      spectra.spectrum(n);
      let s = 0;
      for (let m = 1; m <= L; m++) s += 2 * (spectra.P[m]! + spectra.Q[m]!);
      return s;
    };
    let bestAxial: Float64Array | null = null;
    let bestAxialValue = Infinity;
    for (const seed of seedsOf(fInf, 3)) {
      const r = minimiseOnSphere(axialObjective, seed, step);
      if (r.value < bestAxialValue) [bestAxial, bestAxialValue] = [r.n, r.value];
    }
    if (bestAxial) {
      spectra.spectrum(bestAxial);
      if (spectra.axialResidualSq() <= this.tolSq) {
        const axis = bestAxial;
        const names = ["D∞h", "C∞v", "C∞h", "D∞", "C∞"];
        return this.pick(names.map((name) => ({ name, order: Infinity, build: () => [pointGroup(name, { axis })] })), (name) => CONTINUOUS_RANK[name]!);
      }
    }

    // Step 2, continued: finite rotation axes, highest order first, and mirror normals.
    const axes: FoundAxis[] = [];
    for (let k = K; k >= 2; k--) {
      const values = fk[k]!;
      const objective = (n: Float64Array): number => {
        spectra.spectrum(n);
        return spectra.residualSq((2 * Math.PI) / k, false);
      };
      for (const seed of seedsOf(values, 40)) {
        if (axes.some((a) => a.orders.includes(k) && lineAngle(a.n, seed) < 2.5 * step)) continue;
        const r = minimiseOnSphere(objective, seed, step);
        spectra.spectrum(r.n);
        const res = spectra.cyclicResidualSq(k);
        if (res > this.tolSq) continue;
        const orders: number[] = [];
        for (let j = 2; j <= K; j++) if (spectra.cyclicResidualSq(j) <= this.tolSq) orders.push(j);
        const dup = axes.find((a) => lineAngle(a.n, r.n) < 0.02);
        if (dup) {
          for (const j of orders) if (!dup.orders.includes(j)) dup.orders.push(j);
          dup.orders.sort((a, b) => a - b);
        } else axes.push({ n: r.n, orders, residualSq: res });
      }
    }
    const mirrors: FoundAxis[] = [];
    const mirrorObjective = (n: Float64Array): number => {
      spectra.spectrum(n);
      return spectra.residualSq(Math.PI, true);
    };
    for (const seed of seedsOf(fMirror, 30)) {
      if (mirrors.some((a) => lineAngle(a.n, seed) < 2.5 * step)) continue;
      const r = minimiseOnSphere(mirrorObjective, seed, step);
      if (r.value > this.tolSq) continue;
      if (!mirrors.some((a) => lineAngle(a.n, r.n) < 0.02)) mirrors.push({ n: r.n, orders: [], residualSq: r.value });
    }

    // Step 4. Candidate groups.
    const candidates: Candidate[] = [];
    const highOrder = axes.filter((a) => a.orders.some((k) => k >= 3));
    if (highOrder.length >= 2) candidates.push(...this.polyhedralCandidates(axes));
    for (const a of axes) for (const n of a.orders) candidates.push(...this.axialCandidates(a.n, n));
    for (const m of mirrors) candidates.push({ name: "Cs", order: 2, build: () => [pointGroup("Cs", { axis: m.n })] });
    candidates.push({ name: "Ci", order: 2, build: () => [pointGroup("Ci")] });
    candidates.push({ name: "C1", order: 1, build: () => [pointGroup("C1")] });
    return this.pick(candidates, (name) => (name === "C1" ? 0 : 1));
  }

  /**
   * The first order level (largest first) with a passing candidate; within it the smallest residual.
   * `rank` orders the continuous groups, whose orders are all infinite.
   */
  private pick(candidates: Candidate[], rank: (name: string) => number): { group: PointGroup; residualSq: number } {
    const sorted = candidates
      .map((c, i) => ({ c, i }))
      .sort((a, b) => b.c.order - a.c.order || rank(b.c.name) - rank(a.c.name) || a.i - b.i);
    let level: { order: number; rank: number } | null = null;
    let best: { group: PointGroup; residualSq: number } | null = null;
    for (const { c } of sorted) {
      const r = rank(c.name);
      if (level && (c.order !== level.order || r !== level.rank)) {
        if (best) return best;
      }
      level = { order: c.order, rank: r };
      for (const group of c.build()) {
        const res = this.residualSq(group);
        if (res <= this.tolSq && (!best || res < best.residualSq)) best = { group, residualSq: res };
      }
    }
    if (best) return best;
    throw new Error("detectSymmetry: internal error, no candidate passed (C1 always should)");
  }

  private polyhedralCandidates(axes: FoundAxis[]): Candidate[] {
    const even = axes.filter((a) => a.orders.includes(2));
    const frames: { axis: Float64Array; secondary: Float64Array }[] = [];
    for (let i = 0; i < even.length; i++)
      for (let j = 0; j < even.length; j++) {
        if (i === j) continue;
        const w = even[i]!.n, u = even[j]!.n;
        if (Math.abs(dot(w, u)) > 0.05) continue;
        const c = dot(w, u);
        const s = normalizeInPlace(Float64Array.from(u, (x, k) => x - c * w[k]!));
        frames.push({ axis: w, secondary: s });
      }
    const out: Candidate[] = [];
    const orders: Record<string, number> = { Ih: 120, I: 60, Oh: 48, O: 24, Td: 24, Th: 24, T: 12 };
    for (const name of ["Ih", "I", "Oh", "O", "Td", "Th", "T"]) {
      out.push({
        name,
        order: orders[name]!,
        build: () =>
          frames.flatMap((f) => {
            const gs = [pointGroup(name, f)];
            // I and Ih depend on which of the two icosahedra sharing these two-fold axes is meant.
            if (name === "I" || name === "Ih") gs.push(pointGroup(name, { axis: f.axis, secondary: cross(f.axis, f.secondary) }));
            return gs;
          }),
      });
    }
    return out;
  }

  /** Two-fold axes perpendicular to `a` (best first, at most 3), memoised per axis. */
  private twoFoldsPerpendicular(a: Float64Array): Float64Array[] {
    let hit = this.c2Memo.get(a);
    if (!hit) {
      const [e1, e2] = tangentBasis(a);
      const f = (n: Float64Array): number => {
        this.spectra.spectrum(n);
        return this.spectra.residualSq(Math.PI, false);
      };
      hit = minimaOnCircle(f, e1, e2, 12 * this.K, 6)
        .filter((r) => r.value <= this.tolSq)
        .slice(0, 3)
        .map((r) => r.n);
      this.c2Memo.set(a, hit);
    }
    return hit;
  }

  /** In-plane directions of mirror planes containing `a` (best first, at most 3), memoised per axis. */
  private mirrorsContaining(a: Float64Array): Float64Array[] {
    let hit = this.mirrorMemo.get(a);
    if (!hit) {
      const [e1, e2] = tangentBasis(a);
      const f = (n: Float64Array): number => {
        this.spectra.spectrum(n);
        return this.spectra.residualSq(Math.PI, true);
      };
      hit = minimaOnCircle(f, e1, e2, 12 * this.K, 6)
        .filter((r) => r.value <= this.tolSq)
        .slice(0, 3)
        .map((r) => normalizeInPlace(cross(a, r.n)));
      this.mirrorMemo.set(a, hit);
    }
    return hit;
  }

  /** Whether the single element passes (cheap filter before a 1-D search). */
  private passes(g: ArrayLike<number>): boolean {
    return this.spectra.elementResidualSq(g) <= this.tolSq;
  }

  private axialCandidates(a: Float64Array, n: number): Candidate[] {
    const axis = a;
    const sigmaH = (): Float64Array => Float64Array.from(axisAngleToMatrix(axis, Math.PI), (v) => -v);
    const s2n = (): Float64Array => Float64Array.from(axisAngleToMatrix(axis, Math.PI + Math.PI / n), (v) => -v);
    const withTwoFold = (name: string, pre: (() => Float64Array) | null) => (): PointGroup[] =>
      pre && !this.passes(pre()) ? [] : this.twoFoldsPerpendicular(axis).map((s) => pointGroup(name, { axis, secondary: s }));
    return [
      { name: `D${n}h`, order: 4 * n, build: withTwoFold(`D${n}h`, sigmaH) },
      { name: `D${n}d`, order: 4 * n, build: withTwoFold(`D${n}d`, s2n) },
      { name: `D${n}`, order: 2 * n, build: withTwoFold(`D${n}`, null) },
      { name: `C${n}v`, order: 2 * n, build: () => this.mirrorsContaining(axis).map((s) => pointGroup(`C${n}v`, { axis, secondary: s })) },
      { name: `C${n}h`, order: 2 * n, build: () => [pointGroup(`C${n}h`, { axis })] },
      { name: `S${2 * n}`, order: 2 * n, build: () => [pointGroup(`S${2 * n}`, { axis })] },
      { name: `C${n}`, order: n, build: () => [pointGroup(`C${n}`, { axis })] },
    ];
  }
}

/** Index order of preference for the argmax of a vector: axis z, y, x; secondary x, y, z. */
const AXIS_PREFERENCE = [2, 1, 0];
const SECONDARY_PREFERENCE = [0, 1, 2];

/** Sort key of a unit vector: most coordinate-aligned first, then the preferred coordinate, then components. */
function alignmentKey(v: ArrayLike<number>, preference: number[]): number[] {
  const abs = [0, 1, 2].map((i) => Math.abs(v[i]!));
  const top = Math.max(...abs);
  const arg = preference.find((i) => abs[i]! >= top - 1e-9)!;
  return [-Math.round(top * 1e9), preference.indexOf(arg), ...[0, 1, 2].map((i) => -Math.round(v[i]! * 1e9))];
}

/** The sign making the largest-magnitude component positive (the preferred one among near-ties). */
function signNormalized(v: ArrayLike<number>, preference: number[]): Float64Array {
  const abs = [0, 1, 2].map((i) => Math.abs(v[i]!));
  const top = Math.max(...abs);
  const arg = preference.find((i) => abs[i]! >= top - 1e-9)!;
  const s = v[arg]! < 0 ? -1 : 1;
  return Float64Array.from({ length: 3 }, (_, i) => (v[i]! * s === 0 ? 0 : v[i]! * s));
}

function lexLess(a: number[], b: number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return false;
}

/** The equivalent orientation (same matrices) with the most coordinate-aligned axis and secondary. */
function canonicalOrientation(group: PointGroup): PointGroup {
  if (!group.axis) return group;
  const a = group.axis, s = group.secondary;
  if (!s) return pointGroup(group.name, { axis: signNormalized(a, AXIS_PREFERENCE) });
  const frames: [Float64Array, Float64Array][] = [];
  const polyhedral = ["T", "Td", "Th", "O", "Oh", "I", "Ih"].includes(group.family);
  if (polyhedral) {
    for (const g of group.elements()) frames.push([applyMatrix3(g, a), applyMatrix3(g, s)]);
  } else if ((group.family === "Dn" || group.family === "Dnh") && group.n === 2) {
    // D2 and D2h: the three two-fold axes are interchangeable, any two of them make a frame.
    const t = cross(a, s);
    for (const [x, y] of [[a, s], [a, t], [s, a], [s, t], [t, a], [t, s]] as const) frames.push([Float64Array.from(x), Float64Array.from(y)]);
  } else {
    // Dn, Dnh, Dnd, Cnv: the two-fold axes (mirror planes) sit every π/n about the axis.
    const n = group.n!;
    for (let j = 0; j < 2 * n; j++) frames.push([a, applyMatrix3(axisAngleToMatrix(a, (j * Math.PI) / n), s)]);
  }
  let best: [Float64Array, Float64Array] | null = null;
  let bestKey: number[] = [];
  for (const [fa, fs] of frames) {
    const ca = signNormalized(fa, AXIS_PREFERENCE), cs = signNormalized(fs, SECONDARY_PREFERENCE);
    const key = [...alignmentKey(ca, AXIS_PREFERENCE), ...alignmentKey(cs, SECONDARY_PREFERENCE)];
    if (!best || lexLess(key, bestKey)) [best, bestKey] = [[ca, cs], key];
  }
  return pointGroup(group.name, { axis: best![0], secondary: best![1] });
}

/**
 * The largest point group of the catalogue, in any orientation, that leaves θ invariant within the
 * tolerance (see the module comment for the residual, the default tolerance and the method).
 *
 * `irreps` is θ's layout (e3nn string or `Irreps`), e.g. `thetaIrreps(lmax, mul)`. `breaking` lists the norm
 * of every non-0e entry of the irreps (all copies of a `mul x ir` entry together), in irreps order.
 * Throws when θ's length differs from the irreps' dimension, on a non-finite entry, or on a tolerance
 * outside (0, 1).
 */
export function detectSymmetry(theta: ArrayLike<number>, irreps: IrrepsLike, options: DetectSymmetryOptions = {}): DetectedSymmetry {
  const prep = prepare(theta, irreps, options);
  const { breaking } = prep;
  if (prep.nonScalar <= prep.zeroTolerance) return { group: "O(3)", order: Infinity, breaking, residual: 0 };
  const so3 = 2 * prep.high;
  if (so3 <= prep.tolerance) return { group: "SO(3)", order: Infinity, breaking, residual: so3 };
  const detector = new Detector(prep);
  const found = detector.run();
  const group = canonicalOrientation(found.group);
  const residual = Math.sqrt(detector.residualSq(group, Infinity));
  const out: DetectedSymmetry = { group: group.name, order: group.order, breaking, residual };
  if (group.axis) out.axis = Array.from(group.axis);
  if (group.secondary) out.secondary = Array.from(group.secondary);
  return out;
}
