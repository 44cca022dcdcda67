/**
 * Wigner 3j symbols in e3nn's real basis: the unique (up to sign) O(3)-invariant tensor C of shape
 * (2l1+1, 2l2+1, 2l3+1) with Frobenius norm 1 and e3nn's signs.
 *
 * The complex Clebsch-Gordan coefficients are computed exactly in rational arithmetic (BigInt), so only the
 * final square root and the change to the real basis round; that keeps every l we need (and far beyond 8)
 * at ~1e-16.
 */

const factorials: bigint[] = [1n];
function factorial(n: number): bigint {
  for (let k = factorials.length; k <= n; k++) factorials.push(factorials[k - 1]! * BigInt(k));
  return factorials[n]!;
}

function gcd(a: bigint, b: bigint): bigint {
  a = a < 0n ? -a : a;
  b = b < 0n ? -b : b;
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Divides a big ratio into a double without overflowing either side to Infinity. */
function ratioToNumber(num: bigint, den: bigint): number {
  const g = gcd(num, den);
  num /= g;
  den /= g;
  const shift = BigInt(Math.max(0, Math.max(num.toString(2).length, den.toString(2).length) - 1000));
  return Number(num >> shift) / Number(den >> shift);
}

/** The standard (Condon-Shortley) Clebsch-Gordan coefficient <l1 m1; l2 m2 | l3 m3>, by Racah's formula. */
export function clebschGordanComplex(l1: number, m1: number, l2: number, m2: number, l3: number, m3: number): number {
  if (m1 + m2 !== m3) return 0;
  if (l3 < Math.abs(l1 - l2) || l3 > l1 + l2) return 0;
  if (Math.abs(m1) > l1 || Math.abs(m2) > l2 || Math.abs(m3) > l3) return 0;
  let sumNum = 0n;
  let sumDen = 1n;
  const kmin = Math.max(0, l2 - l3 - m1, l1 - l3 + m2);
  const kmax = Math.min(l1 + l2 - l3, l1 - m1, l2 + m2);
  for (let k = kmin; k <= kmax; k++) {
    const den =
      factorial(k) * factorial(l1 + l2 - l3 - k) * factorial(l1 - m1 - k) * factorial(l2 + m2 - k) *
      factorial(l3 - l2 + m1 + k) * factorial(l3 - l1 - m2 + k);
    const sign = k % 2 === 0 ? 1n : -1n;
    sumNum = sumNum * den + sign * sumDen;
    sumDen *= den;
    const g = gcd(sumNum, sumDen);
    if (g > 1n) {
      sumNum /= g;
      sumDen /= g;
    }
  }
  if (sumNum === 0n) return 0;
  const num =
    BigInt(2 * l3 + 1) * factorial(l3 + l1 - l2) * factorial(l3 - l1 + l2) * factorial(l1 + l2 - l3) *
    factorial(l3 + m3) * factorial(l3 - m3) * factorial(l1 - m1) * factorial(l1 + m1) * factorial(l2 - m2) *
    factorial(l2 + m2) * sumNum * sumNum;
  const den = factorial(l1 + l2 + l3 + 1) * sumDen * sumDen;
  return (sumNum < 0n ? -1 : 1) * Math.sqrt(ratioToNumber(num, den));
}

/**
 * e3nn's real-to-complex change of basis Q_l (rows: complex m, columns: real index), including its global
 * factor (-i)^l, as sparse rows: row (l+m) has entries at columns l+|m| and l-|m|.
 */
export function realToComplexBasis(l: number): { re: Float64Array; im: Float64Array } {
  const d = 2 * l + 1;
  const re = new Float64Array(d * d);
  const im = new Float64Array(d * d);
  const h = Math.SQRT1_2;
  for (let m = -l; m < 0; m++) {
    re[(l + m) * d + (l - m)] = h;
    im[(l + m) * d + (l + m)] = -h;
  }
  re[l * d + l] = 1;
  for (let m = 1; m <= l; m++) {
    const s = m % 2 === 0 ? h : -h;
    re[(l + m) * d + (l + m)] = s;
    im[(l + m) * d + (l - m)] = s;
  }
  // (-i)^l cycles through 1, -i, -1, i.
  const [fr, fi] = [[1, 0], [0, -1], [-1, 0], [0, 1]][l % 4] as [number, number];
  for (let i = 0; i < d * d; i++) {
    const r = re[i]!, c = im[i]!;
    re[i] = r * fr - c * fi;
    im[i] = r * fi + c * fr;
  }
  return { re, im };
}

export function satisfiesTriangle(l1: number, l2: number, l3: number): boolean {
  return l3 >= Math.abs(l1 - l2) && l3 <= l1 + l2;
}

const cache = new Map<string, Float64Array>();

function compute(l1: number, l2: number, l3: number): Float64Array {
  const [d1, d2, d3] = [2 * l1 + 1, 2 * l2 + 1, 2 * l3 + 1];
  const q1 = realToComplexBasis(l1), q2 = realToComplexBasis(l2), q3 = realToComplexBasis(l3);
  const re = new Float64Array(d1 * d2 * d3);
  const im = new Float64Array(d1 * d2 * d3);
  // C[j,k,n] = sum_{a,b,c} Q1[a,j] Q2[b,k] conj(Q3[c,n]) CG[a,b,c]; Q rows have at most two entries.
  const nz = (q: { re: Float64Array; im: Float64Array }, row: number, d: number) => {
    const cols: number[] = [];
    for (let j = 0; j < d; j++) if (q.re[row * d + j] !== 0 || q.im[row * d + j] !== 0) cols.push(j);
    return cols;
  };
  for (let m1 = -l1; m1 <= l1; m1++) {
    for (let m2 = -l2; m2 <= l2; m2++) {
      const m3 = m1 + m2;
      if (Math.abs(m3) > l3) continue;
      const cg = clebschGordanComplex(l1, m1, l2, m2, l3, m3);
      if (cg === 0) continue;
      const [a, b, c] = [l1 + m1, l2 + m2, l3 + m3];
      for (const j of nz(q1, a, d1)) {
        const ar = q1.re[a * d1 + j]!, ai = q1.im[a * d1 + j]!;
        for (const k of nz(q2, b, d2)) {
          const br = q2.re[b * d2 + k]!, bi = q2.im[b * d2 + k]!;
          const abr = ar * br - ai * bi, abi = ar * bi + ai * br;
          for (const n of nz(q3, c, d3)) {
            const cr = q3.re[c * d3 + n]!, ci = -q3.im[c * d3 + n]!;
            const idx = (j * d2 + k) * d3 + n;
            re[idx] += cg * (abr * cr - abi * ci);
            im[idx] += cg * (abr * ci + abi * cr);
          }
        }
      }
    }
  }
  let norm = 0, imagMax = 0;
  for (let i = 0; i < re.length; i++) {
    norm += re[i]! * re[i]!;
    imagMax = Math.max(imagMax, Math.abs(im[i]!));
  }
  if (imagMax > 1e-10) throw new Error(`wigner3j(${l1}, ${l2}, ${l3}): internal error, imaginary part ${imagMax}`);
  norm = Math.sqrt(norm);
  for (let i = 0; i < re.length; i++) re[i] = re[i]! / norm;
  return re;
}

function cached(l1: number, l2: number, l3: number): Float64Array {
  for (const l of [l1, l2, l3])
    if (!Number.isInteger(l) || l < 0) throw new Error(`wigner3j: l must be a non-negative integer, got ${l}`);
  if (!satisfiesTriangle(l1, l2, l3))
    throw new Error(`wigner3j(${l1}, ${l2}, ${l3}): the triangle rule |l1 - l2| <= l3 <= l1 + l2 does not hold`);
  const key = `${l1},${l2},${l3}`;
  let c = cache.get(key);
  if (!c) cache.set(key, (c = compute(l1, l2, l3)));
  return c;
}

/** e3nn's `o3.wigner_3j(l1, l2, l3)`, row-major (2l1+1, 2l2+1, 2l3+1). */
export function wigner3j(l1: number, l2: number, l3: number): Float64Array {
  return cached(l1, l2, l3).slice();
}

/** The non-zero entries of wigner3j(l1, l2, l3) as parallel arrays (i, j, k, value), for contraction loops. */
export interface SparseW3j {
  readonly i: Int32Array;
  readonly j: Int32Array;
  readonly k: Int32Array;
  readonly value: Float64Array;
}

const sparseCache = new Map<string, SparseW3j>();

export function wigner3jSparse(l1: number, l2: number, l3: number): SparseW3j {
  const key = `${l1},${l2},${l3}`;
  const hit = sparseCache.get(key);
  if (hit) return hit;
  const c = cached(l1, l2, l3);
  const [d2, d3] = [2 * l2 + 1, 2 * l3 + 1];
  const idx: number[] = [];
  // Entries below 1e-14 are rounding residue of exact zeros.
  for (let t = 0; t < c.length; t++) if (Math.abs(c[t]!) > 1e-14) idx.push(t);
  const out: SparseW3j = {
    i: Int32Array.from(idx, (t) => Math.floor(t / (d2 * d3))),
    j: Int32Array.from(idx, (t) => Math.floor(t / d3) % d2),
    k: Int32Array.from(idx, (t) => t % d3),
    value: Float64Array.from(idx, (t) => c[t]!),
  };
  sparseCache.set(key, out);
  return out;
}
