/**
 * Scalar activations and e3nn's `normalize2mom`: each activation is scaled by c = E[f(z)^2]^(-1/2),
 * z ~ N(0, 1), so that unit-variance inputs give unit second moment. e3nn estimates c from a million random
 * samples; we integrate exactly (composite Simpson on [-12, 0] and [0, 12], where the tails are far below
 * double precision), which agrees with e3nn's estimate to its sampling error (~1e-3).
 */

export type ActivationName = "silu" | "relu" | "tanh" | "sigmoid" | "identity";

export const ACTIVATIONS: Readonly<Record<ActivationName, { f: (x: number) => number; df: (x: number) => number }>> = {
  silu: {
    f: (x) => x / (1 + Math.exp(-x)),
    df: (x) => {
      const s = 1 / (1 + Math.exp(-x));
      return s * (1 + x * (1 - s));
    },
  },
  relu: { f: (x) => (x > 0 ? x : 0), df: (x) => (x > 0 ? 1 : 0) },
  tanh: { f: Math.tanh, df: (x) => 1 - Math.tanh(x) ** 2 },
  sigmoid: {
    f: (x) => 1 / (1 + Math.exp(-x)),
    df: (x) => {
      const s = 1 / (1 + Math.exp(-x));
      return s * (1 - s);
    },
  },
  identity: { f: (x) => x, df: () => 1 },
};

/** E[g(z)] for z ~ N(0, 1), by composite Simpson's rule on each half line (exact at a kink at 0). */
export function gaussianExpectation(g: (z: number) => number): number {
  const n = 24_000, h = 12 / n;
  let sum = 0;
  for (const sign of [-1, 1]) {
    let s = 0;
    for (let i = 0; i <= n; i++) {
      const z = sign * i * h;
      const w = i === 0 || i === n ? 1 : i % 2 === 1 ? 4 : 2;
      s += w * g(z) * Math.exp(-0.5 * z * z);
    }
    sum += (s * h) / 3;
  }
  return sum / Math.sqrt(2 * Math.PI);
}

const scales = new Map<ActivationName, number>();

/** e3nn's normalize2mom constant for `name` (identity: 1). */
export function secondMomentScale(name: ActivationName): number {
  let c = scales.get(name);
  if (c === undefined) {
    const f = ACTIVATIONS[name].f;
    c = name === "identity" ? 1 : 1 / Math.sqrt(gaussianExpectation((z) => f(z) ** 2));
    scales.set(name, c);
  }
  return c;
}
