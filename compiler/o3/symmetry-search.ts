/**
 * The numerical engine behind `detectSymmetry`: invariance residuals of a relaxed weight θ under single
 * O(3) elements, computed from θ's "m-spectrum" about an axis, and searches for the axes (on the sphere) and
 * in-plane directions (on a circle) where such a residual vanishes.
 *
 * The m-spectrum. Rotate θ into a frame whose polar axis (e3nn's y) is the unit vector n. There, a rotation
 * by ω about n turns each component pair (l-m, l+m) of every block by the angle mω, so for a block vector c
 * with pair amplitude a_m² = c_{l-m}² + c_{l+m}² (a_0² = c_l²):
 *   ‖D(R(n, ω)) c - c‖² = Σ_m a_m² (2 - 2 cos mω),
 * and for the improper element -R(n, ω), which acts as p·D_l(R(n, ω)) on a block of parity p,
 *   ‖D(-R(n, ω)) c - c‖² = Σ_m a_m² (2 - 2 p cos mω).
 * Summed over the blocks of each parity, P(m) = Σ_{p=+1} a_m² and Q(m) = Σ_{p=-1} a_m², every residual
 * about n is a sum of non-negative terms in (P, Q) (no cancellation, so tiny residuals stay accurate):
 *   proper R(n, ω):    Σ_m (P + Q)(m) · 4 sin²(mω/2),
 *   improper -R(n, ω): Σ_m P(m) · 4 sin²(mω/2) + Q(m) · 4 cos²(mω/2).
 * Rotating θ into the frame costs two dense (2l+1)² products per block: with n = Ry(α) Rx(β) y,
 * D(Rx(-β) Ry(-α)) = D(J) D_y(-β) D(J)ᵀ D_y(-α), J the quarter turn about z taking y to x, and D_y is a
 * set of 2x2 rotations (in e3nn's basis D_y(ω)[l-m, l+m] = sin mω = -D_y(ω)[l+m, l-m], diagonal cos mω;
 * the tests check every residual against wignerD).
 */
import { det3, matrixToAxisAngle, type Matrix3 } from "./rotation.js";
import { wignerD } from "./wigner-d.js";

/** One copy of one irrep block of θ, already divided by the non-scalar norm. */
export interface SpectralBlock {
  l: number;
  p: 1 | -1;
  data: Float64Array;
}

/** The quarter turn about z that takes y to x: D_x(β) = D(J) D_y(β) D(J)ᵀ. */
const J: Matrix3 = Float64Array.of(0, 1, 0, -1, 0, 0, 0, 0, 1);

const djCache = new Map<number, Float64Array>();
function dj(l: number): Float64Array {
  let d = djCache.get(l);
  if (!d) djCache.set(l, (d = wignerD(l, 1, J)));
  return d;
}

/** In place: x ← D_y(ω) x for one block, given cos(mω), sin(mω) for m = 0..l. */
function rotateY(x: Float64Array, l: number, cos: Float64Array, sin: Float64Array): void {
  for (let m = 1; m <= l; m++) {
    const i = l - m, k = l + m;
    const a = x[i]!, b = x[k]!, c = cos[m]!, s = sin[m]!;
    x[i] = c * a + s * b;
    x[k] = c * b - s * a;
  }
}

/**
 * θ prepared for spectra: the blocks, their largest l, and scratch space. `spectrum(n)` fills `P` and `Q`
 * (length L + 1) for the unit axis n; the residual helpers read them.
 */
export class ThetaSpectra {
  readonly L: number;
  /** Spectrum of the even (p = +1) blocks: P[m] = Σ a_m². */
  readonly P: Float64Array;
  /** Spectrum of the odd (p = -1) blocks. */
  readonly Q: Float64Array;
  /** Number of spectra computed so far (for tests and profiling). */
  evaluations = 0;
  private readonly blocks: SpectralBlock[];
  private readonly cosA: Float64Array;
  private readonly sinA: Float64Array;
  private readonly cosB: Float64Array;
  private readonly sinB: Float64Array;
  private readonly t1: Float64Array;
  private readonly t2: Float64Array;

  constructor(blocks: SpectralBlock[]) {
    this.blocks = blocks;
    this.L = blocks.reduce((m, b) => Math.max(m, b.l), 0);
    const n = this.L + 1, d = 2 * this.L + 1;
    this.P = new Float64Array(n);
    this.Q = new Float64Array(n);
    this.cosA = new Float64Array(n);
    this.sinA = new Float64Array(n);
    this.cosB = new Float64Array(n);
    this.sinB = new Float64Array(n);
    this.t1 = new Float64Array(d);
    this.t2 = new Float64Array(d);
    for (const b of blocks) dj(b.l);
  }

  /** Fills P and Q with θ's m-spectrum about the unit vector n. */
  spectrum(n: ArrayLike<number>): void {
    this.evaluations++;
    // atan2 rather than acos(n_y): acos loses half the digits near the poles (n ≈ ±y).
    const alpha = Math.atan2(n[0]!, n[2]!), beta = Math.atan2(Math.hypot(n[0]!, n[2]!), n[1]!);
    const { P, Q, cosA, sinA, cosB, sinB, t1, t2 } = this;
    for (let m = 0; m <= this.L; m++) {
      cosA[m] = Math.cos(m * alpha);
      sinA[m] = -Math.sin(m * alpha);
      cosB[m] = Math.cos(m * beta);
      sinB[m] = -Math.sin(m * beta);
    }
    P.fill(0);
    Q.fill(0);
    for (const blk of this.blocks) {
      const l = blk.l, d = 2 * l + 1, D = dj(l), x = blk.data;
      for (let i = 0; i < d; i++) t1[i] = x[i]!;
      rotateY(t1, l, cosA, sinA);
      for (let i = 0; i < d; i++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += D[j * d + i]! * t1[j]!;
        t2[i] = s;
      }
      rotateY(t2, l, cosB, sinB);
      for (let i = 0; i < d; i++) {
        let s = 0;
        const row = i * d;
        for (let j = 0; j < d; j++) s += D[row + j]! * t2[j]!;
        t1[i] = s;
      }
      const S = blk.p === 1 ? P : Q;
      S[0] += t1[l]! * t1[l]!;
      for (let m = 1; m <= l; m++) S[m] += t1[l - m]! * t1[l - m]! + t1[l + m]! * t1[l + m]!;
    }
  }

  /** Squared residual of the rotation R(n, ω) (proper) or -R(n, ω) (improper), from the current spectrum. */
  residualSq(omega: number, improper: boolean): number {
    const { P, Q } = this;
    let s = 0;
    for (let m = 0; m <= this.L; m++) {
      const sin = Math.sin((m * omega) / 2), sin2 = 4 * sin * sin;
      s += improper ? P[m]! * sin2 + Q[m]! * (4 - sin2) : (P[m]! + Q[m]!) * sin2;
    }
    return s;
  }

  /** Squared residual of any orthogonal 3x3 matrix (row-major). */
  elementResidualSq(g: ArrayLike<number>): number {
    const improper = det3(g) < 0;
    const r = improper ? Array.from({ length: 9 }, (_, i) => -g[i]!) : g;
    const { axis, angle } = matrixToAxisAngle(r);
    if (!improper && angle < 1e-15) return 0;
    this.spectrum(axis);
    return this.residualSq(angle, improper);
  }

  /** Largest squared residual of the rotations by 2πj/k (j = 1..k-1) about the current spectrum's axis. */
  cyclicResidualSq(k: number): number {
    let worst = 0;
    for (let j = 1; j < k; j++) worst = Math.max(worst, this.residualSq((2 * Math.PI * j) / k, false));
    return worst;
  }

  /** Largest squared residual over the rotations about the current axis (sampled finely in (0, π]). */
  axialResidualSq(): number {
    const samples = 16 * (this.L + 1);
    let worst = 0;
    for (let j = 1; j <= samples; j++) worst = Math.max(worst, this.residualSq((Math.PI * j) / samples, false));
    return worst;
  }
}

/** Unit vectors u, v with (u, v, n) orthonormal. */
export function tangentBasis(n: ArrayLike<number>): [Float64Array, Float64Array] {
  const a = Math.abs(n[0]!) < 0.6 ? [1, 0, 0] : Math.abs(n[1]!) < 0.6 ? [0, 1, 0] : [0, 0, 1];
  const c = a[0]! * n[0]! + a[1]! * n[1]! + a[2]! * n[2]!;
  const u = Float64Array.of(a[0]! - c * n[0]!, a[1]! - c * n[1]!, a[2]! - c * n[2]!);
  normalizeInPlace(u);
  const v = cross(n, u);
  normalizeInPlace(v);
  return [u, v];
}

export function cross(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  return Float64Array.of(a[1]! * b[2]! - a[2]! * b[1]!, a[2]! * b[0]! - a[0]! * b[2]!, a[0]! * b[1]! - a[1]! * b[0]!);
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]!;
}

export function normalizeInPlace(v: Float64Array): Float64Array {
  const n = Math.hypot(v[0]!, v[1]!, v[2]!);
  for (let i = 0; i < 3; i++) v[i] = v[i]! / n;
  return v;
}

/** Angle in radians between the lines spanned by two unit vectors. */
export function lineAngle(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return Math.acos(Math.min(1, Math.abs(dot(a, b))));
}

/** A Fibonacci grid on the upper hemisphere (z > 0) with neighbour lists (antipodes identified). */
export interface HemisphereGrid {
  points: Float64Array; // 3 per point
  count: number;
  /** Mean spacing in radians. */
  spacing: number;
  neighbours: Int32Array[];
}

const gridCache = new Map<number, HemisphereGrid>();

export function hemisphereGrid(count: number): HemisphereGrid {
  const hit = gridCache.get(count);
  if (hit) return hit;
  const points = new Float64Array(3 * count);
  const golden = Math.PI * (3 - Math.sqrt(5));
  for (let i = 0; i < count; i++) {
    const z = (i + 0.5) / count, r = Math.sqrt(1 - z * z), phi = i * golden;
    points[3 * i] = r * Math.cos(phi);
    points[3 * i + 1] = r * Math.sin(phi);
    points[3 * i + 2] = z;
  }
  const spacing = Math.sqrt((2 * Math.PI) / count);
  const radius = 1.7 * spacing, cosR = Math.cos(radius);
  const neighbours: Int32Array[] = [];
  for (let i = 0; i < count; i++) {
    const zi = points[3 * i + 2]!, list: number[] = [];
    // Points are sorted by z = (j + 0.5)/count: only a band of j can be within the radius, directly or (near
    // the equator) through the antipode.
    const start = zi < radius ? 0 : Math.max(0, Math.floor((zi - radius) * count) - 1);
    for (let j = start; j < count; j++) {
      if (j === i) continue;
      const zj = points[3 * j + 2]!;
      if (zj - zi > radius) break;
      if (Math.abs(zi - zj) > radius && zi + zj > radius) continue;
      const c = points[3 * i]! * points[3 * j]! + points[3 * i + 1]! * points[3 * j + 1]! + zi * zj;
      if (Math.abs(c) >= cosR) list.push(j);
    }
    neighbours.push(Int32Array.from(list));
  }
  const grid = { points, count, spacing, neighbours };
  gridCache.set(count, grid);
  return grid;
}

/** Indices of the grid's local minima of `values` (ties broken by index), ascending by value. */
export function localMinima(grid: HemisphereGrid, values: Float64Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < grid.count; i++) {
    const v = values[i]!;
    let isMin = true;
    for (const j of grid.neighbours[i]!) {
      const w = values[j]!;
      if (w < v || (w === v && j < i)) {
        isMin = false;
        break;
      }
    }
    if (isMin) out.push(i);
  }
  return out.sort((a, b) => values[a]! - values[b]! || a - b);
}

/**
 * Minimises f over unit vectors near n0 (Nelder-Mead in the tangent plane, started with simplex size
 * `step` radians); returns the best unit vector and its value.
 */
export function minimiseOnSphere(f: (n: Float64Array) => number, n0: ArrayLike<number>, step: number): { n: Float64Array; value: number } {
  let base = normalizeInPlace(Float64Array.from(n0));
  let best = { n: base, value: f(base) };
  // Two rounds: the second restarts from the first optimum with a fresh tangent plane and a smaller simplex.
  for (const scale of [1, 0.05]) {
    const [u, v] = tangentBasis(base);
    const at = (s: number, t: number): Float64Array =>
      normalizeInPlace(Float64Array.of(base[0]! + s * u[0]! + t * v[0]!, base[1]! + s * u[1]! + t * v[1]!, base[2]! + s * u[2]! + t * v[2]!));
    const h = step * scale;
    const simplex: { x: [number, number]; f: number }[] = [
      { x: [0, 0], f: f(at(0, 0)) },
      { x: [h, 0], f: f(at(h, 0)) },
      { x: [0, h], f: f(at(0, h)) },
    ];
    for (let iter = 0; iter < 200; iter++) {
      simplex.sort((a, b) => a.f - b.f);
      const [lo, mid, hi] = simplex as [(typeof simplex)[0], (typeof simplex)[0], (typeof simplex)[0]];
      const size = Math.max(Math.hypot(mid.x[0] - lo.x[0], mid.x[1] - lo.x[1]), Math.hypot(hi.x[0] - lo.x[0], hi.x[1] - lo.x[1]));
      if (size < 1e-12 || hi.f - lo.f <= 1e-15 * lo.f) break;
      const c: [number, number] = [(lo.x[0] + mid.x[0]) / 2, (lo.x[1] + mid.x[1]) / 2];
      const pt = (t: number): [number, number] => [c[0] + t * (hi.x[0] - c[0]), c[1] + t * (hi.x[1] - c[1])];
      const xr = pt(-1), fr = f(at(...xr));
      if (fr < lo.f) {
        const xe = pt(-2), fe = f(at(...xe));
        simplex[2] = fe < fr ? { x: xe, f: fe } : { x: xr, f: fr };
      } else if (fr < mid.f) {
        simplex[2] = { x: xr, f: fr };
      } else {
        const xc = fr < hi.f ? pt(-0.5) : pt(0.5), fcv = f(at(...xc));
        if (fcv < Math.min(fr, hi.f)) simplex[2] = { x: xc, f: fcv };
        else
          for (const k of [1, 2]) {
            const x: [number, number] = [(simplex[k]!.x[0] + lo.x[0]) / 2, (simplex[k]!.x[1] + lo.x[1]) / 2];
            simplex[k] = { x, f: f(at(...x)) };
          }
      }
    }
    simplex.sort((a, b) => a.f - b.f);
    const top = simplex[0]!;
    const n = at(top.x[0], top.x[1]);
    if (top.f <= best.value) best = { n, value: top.f };
    base = best.n;
  }
  return best;
}

/**
 * Minimises f(cos φ e1 + sin φ e2) over the half circle φ ∈ [0, π) (f must be even under n → -n): a grid of
 * `samples` angles, then golden-section refinement of the best `keep` local minima. Sorted by value.
 */
export function minimaOnCircle(
  f: (n: Float64Array) => number,
  e1: ArrayLike<number>,
  e2: ArrayLike<number>,
  samples: number,
  keep: number,
): { n: Float64Array; value: number }[] {
  const at = (phi: number): Float64Array => {
    const c = Math.cos(phi), s = Math.sin(phi);
    return Float64Array.of(c * e1[0]! + s * e2[0]!, c * e1[1]! + s * e2[1]!, c * e1[2]! + s * e2[2]!);
  };
  const h = Math.PI / samples;
  const values = Float64Array.from({ length: samples }, (_, i) => f(at(i * h)));
  const minima: number[] = [];
  for (let i = 0; i < samples; i++) {
    const prev = values[(i + samples - 1) % samples]!, next = values[(i + 1) % samples]!, v = values[i]!;
    if (v <= prev && v < next) minima.push(i);
  }
  minima.sort((a, b) => values[a]! - values[b]!);
  const ratio = (Math.sqrt(5) - 1) / 2;
  return minima
    .slice(0, keep)
    .map((i) => {
      let a = (i - 1) * h, b = (i + 1) * h;
      let x1 = b - ratio * (b - a), x2 = a + ratio * (b - a);
      let f1 = f(at(x1)), f2 = f(at(x2));
      for (let iter = 0; iter < 48 && b - a > 1e-11; iter++) {
        if (f1 <= f2) {
          b = x2;
          x2 = x1;
          f2 = f1;
          x1 = b - ratio * (b - a);
          f1 = f(at(x1));
        } else {
          a = x1;
          x1 = x2;
          f1 = f2;
          x2 = a + ratio * (b - a);
          f2 = f(at(x2));
        }
      }
      const phi = f1 <= f2 ? x1 : x2;
      const best = Math.min(f1, f2, values[i]!);
      return best === values[i]! ? { n: at(i * h), value: best } : { n: at(phi), value: best };
    })
    .sort((a, b) => a.value - b.value);
}
