/**
 * Real spherical harmonics in e3nn's basis and signs (polar axis y, component index l+m).
 *
 * Built by the recurrence Y^{l+1}_k = (2l+3)/sqrt(l+1) * sum_ij C(l,1,l+1)_ijk Y^l_i x_j (component
 * normalisation), which ties the harmonics to wigner3j's signs by construction and holds as polynomials, so
 * it serves normalize=false too.
 */
import { wigner3jSparse } from "./wigner3j.js";

export type ShNormalization = "component" | "norm" | "integral";

export interface ShOptions {
  /** Normalise each vector first (default true); a zero vector then has zero harmonics for l >= 1. */
  normalize?: boolean;
  /** Default "integral", as e3nn. */
  normalization?: ShNormalization;
}

function checkL(l: number): void {
  if (!Number.isInteger(l) || l < 0) throw new Error(`sphericalHarmonics: l must be a non-negative integer, got ${l}`);
}

/**
 * Harmonics of `n = xyz.length / 3` vectors for the degrees in `ls` (in that order, repeats allowed):
 * a row-major (n, sum(2l+1)) array, as e3nn's `o3.spherical_harmonics(ls, x, normalize, normalization)`.
 */
export function sphericalHarmonics(ls: number | readonly number[], xyz: ArrayLike<number>, options: ShOptions = {}): Float64Array {
  const list = typeof ls === "number" ? [ls] : [...ls];
  list.forEach(checkL);
  if (xyz.length % 3 !== 0) throw new Error(`sphericalHarmonics: xyz must hold 3 numbers per vector, got ${xyz.length}`);
  const normalize = options.normalize ?? true;
  const normalization = options.normalization ?? "integral";
  if (!["component", "norm", "integral"].includes(normalization))
    throw new Error(`sphericalHarmonics: unknown normalization '${normalization}' (component, norm or integral)`);
  const n = xyz.length / 3;
  const lmax = list.length ? Math.max(...list) : 0;
  const width = list.reduce((s, l) => s + 2 * l + 1, 0);
  const out = new Float64Array(n * width);
  const scale = list.map((l) =>
    normalization === "component" ? 1 : normalization === "norm" ? 1 / Math.sqrt(2 * l + 1) : 1 / Math.sqrt(4 * Math.PI),
  );
  const all = new Float64Array((lmax + 1) * (lmax + 1));
  const v = new Float64Array(3);
  for (let t = 0; t < n; t++) {
    v[0] = xyz[3 * t]!;
    v[1] = xyz[3 * t + 1]!;
    v[2] = xyz[3 * t + 2]!;
    if (normalize) {
      const r = Math.hypot(v[0], v[1], v[2]);
      if (r > 0) for (let a = 0; a < 3; a++) v[a] = v[a]! / r;
    }
    shUpTo(lmax, v, all);
    let col = t * width;
    list.forEach((l, li) => {
      const s = scale[li]!;
      for (let i = 0; i < 2 * l + 1; i++) out[col++] = all[l * l + i]! * s;
    });
  }
  return out;
}

/** Component-normalised harmonics of one vector for l = 0..lmax, concatenated (offset l^2), into `out`. */
export function shUpTo(lmax: number, v: ArrayLike<number>, out: Float64Array): void {
  out[0] = 1;
  for (let l = 0; l < lmax; l++) {
    const c = wigner3jSparse(l, 1, l + 1);
    const factor = (2 * l + 3) / Math.sqrt(l + 1);
    const src = l * l, dst = (l + 1) * (l + 1);
    for (let k = 0; k < 2 * l + 3; k++) out[dst + k] = 0;
    for (let t = 0; t < c.value.length; t++)
      out[dst + c.k[t]!] += factor * c.value[t]! * out[src + c.i[t]!]! * v[c.j[t]!]!;
  }
}
