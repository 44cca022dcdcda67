/**
 * e3nn's `soft_one_hot_linspace(r, start, end=cutoff, number=count, basis, cutoff=True)`, times `scale`, and
 * its derivative with respect to r. With cutoff=True (e3nn's code):
 *   values = linspace(start, end, number + 2); step = values[1] - values[0]; values = values[1:-1]
 *   diff = (r - values) / step
 *   gaussian:      exp(-diff²) / 1.12                                  (no cutoff mask, as e3nn)
 *   cosine:        cos(π/2 · diff) · (diff < 1) · (-1 < diff)
 *   smooth_finite: 1.14136 · e² · su(diff + 1) · su(1 - diff),  su(x) = exp(-1/x) for x > 0, else 0
 *   fourier:       x = (r - start)/(end - start), i = 1..number: sin(π i x) / sqrt(0.25 + number/2) · (0 < x) · (x < 1)
 *   bessel:        x = r - start, c = end - start, n = 1..number: sqrt(2/c) · sin(n π x / c) / x · (x / c < 1) · (0 < x)
 * Note: e3nn evaluates the smooth_finite constant 1.14136·e² in float32 (`torch.exp(torch.tensor(2.0))` is a
 * float32 tensor), giving 8.433573722839355 even for float64 inputs; here it is the float64 8.433573069075486,
 * a relative difference of 7.8e-8 in every smooth_finite value.
 */
import type { EdgeAttrIR } from "../ir/types.js";

export type RadialBasisIR = Extract<EdgeAttrIR, { op: "radial_basis" }>;

export const SMOOTH_FINITE_CONSTANT = 1.14136 * Math.exp(2);

/** su(x) and su'(x). */
function softUnitStep(x: number): [number, number] {
  if (!(x > 0)) return [0, 0];
  const v = Math.exp(-1 / x);
  return [v, v / (x * x)];
}

/** Values and d/dr of the `count` basis functions at r (each of length count). */
export function radialBasis(attr: RadialBasisIR, r: number): { value: Float64Array; deriv: Float64Array } {
  const { count: n, start, cutoff: end, scale } = attr;
  const value = new Float64Array(n), deriv = new Float64Array(n);
  const step = (end - start) / (n + 1);
  for (let i = 0; i < n; i++) {
    let v = 0, dv = 0;
    const center = start + (i + 1) * step;
    const diff = (r - center) / step;
    switch (attr.basis) {
      case "gaussian": {
        const g = Math.exp(-diff * diff) / 1.12;
        [v, dv] = [g, (-2 * diff * g) / step];
        break;
      }
      case "cosine":
        if (diff < 1 && diff > -1) [v, dv] = [Math.cos((Math.PI / 2) * diff), (-(Math.PI / 2) * Math.sin((Math.PI / 2) * diff)) / step];
        break;
      case "smooth_finite": {
        const [a, da] = softUnitStep(diff + 1);
        const [b, db] = softUnitStep(1 - diff);
        [v, dv] = [SMOOTH_FINITE_CONSTANT * a * b, (SMOOTH_FINITE_CONSTANT * (da * b - a * db)) / step];
        break;
      }
      case "fourier": {
        const x = (r - start) / (end - start);
        const k = Math.PI * (i + 1);
        const norm = Math.sqrt(0.25 + n / 2);
        if (x > 0 && x < 1) [v, dv] = [Math.sin(k * x) / norm, (k * Math.cos(k * x)) / norm / (end - start)];
        break;
      }
      case "bessel": {
        const x = r - start, c = end - start;
        const k = ((i + 1) * Math.PI) / c;
        const a = Math.sqrt(2 / c);
        if (x / c < 1 && x > 0) [v, dv] = [(a * Math.sin(k * x)) / x, (a * (k * x * Math.cos(k * x) - Math.sin(k * x))) / (x * x)];
        break;
      }
    }
    value[i] = scale * v;
    deriv[i] = scale * dv;
  }
  return { value, deriv };
}
