/**
 * Scalar activations and e3nn's `normalize2mom`: each activation is scaled by c ≈ E[f(z)^2]^(-1/2),
 * z ~ N(0, 1), so that unit-variance inputs give unit second moment.
 *
 * e3nn (0.5.6) does not compute c exactly: it takes a Monte Carlo mean over a million seeded float64 samples,
 * and that estimate is what every e3nn MLP and Gate multiplies by (silu 1.67918, where the exact integral is
 * 1.67653, 0.16% apart). Models that are to agree with e3nn, and weights that move between the two, need
 * e3nn's numbers, so `secondMomentScale` returns e3nn's constants for the four activations e3nn normalises
 * (facts recorded from e3nn, see ../shared e3nn-conventions §6b); `exactSecondMomentScale` keeps the exact
 * integral (composite Simpson on [-12, 0] and [0, 12]) for comparison.
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

/** The factors e3nn 0.5.6 multiplies by (its seeded Monte Carlo `normalize2mom`), float64; identity is left alone. */
export const E3NN_SECOND_MOMENT_SCALES: Readonly<Record<ActivationName, number>> = {
  silu: 1.6791767923989418,
  relu: 1.4163393446331365,
  tanh: 1.5937334472592695,
  sigmoid: 1.8467055342154763,
  identity: 1,
};

/** e3nn's normalize2mom constant for `name`, exactly as e3nn applies it (identity: 1). */
export function secondMomentScale(name: ActivationName): number {
  const c = E3NN_SECOND_MOMENT_SCALES[name];
  if (c === undefined) throw new Error(`unknown activation '${name}'`);
  return c;
}

const scales = new Map<ActivationName, number>();

/** E[f(z)^2]^(-1/2) integrated exactly (identity: 1): what normalize2mom estimates. */
export function exactSecondMomentScale(name: ActivationName): number {
  let c = scales.get(name);
  if (c === undefined) {
    const f = ACTIVATIONS[name].f;
    c = name === "identity" ? 1 : 1 / Math.sqrt(gaussianExpectation((z) => f(z) ** 2));
    scales.set(name, c);
  }
  return c;
}
