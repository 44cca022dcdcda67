/**
 * θ's coefficients in the two layouts discover moves between: the spec relaxed to a group H (rank
 * coefficients per copy, compiler/reference/theta.ts) and the one swappable model (2l+1 per copy, the first
 * rank of them on H's basis rows, the rest 0: SwappableThetaModel). The 0e row of the swappable table is the
 * C1 model's own (`scalarRow`, ±1), hence the sign factor on the 0e block.
 */
import type { ThetaLayout } from "../reference/theta.js";

const isScalar = (b: ThetaLayout["blocks"][number]) => b.ir.l === 0 && b.ir.p === 1;

/** H-layout coefficients -> the swappable layout. */
export function padCoefficients(layoutH: ThetaLayout, scalarRow: number, cH: ArrayLike<number>): Float64Array {
  const out = new Float64Array(layoutH.dim);
  for (const b of layoutH.blocks) {
    const d = b.ir.dim, sign = isScalar(b) ? b.basis[0]! * scalarRow : 1;
    for (let u = 0; u < b.mul; u++) for (let k = 0; k < b.rank; k++) out[b.thetaOffset + u * d + k] = sign * cH[b.coefOffset + u * b.rank + k]!;
  }
  return out;
}

/** The swappable layout -> H-layout coefficients (throws if a coefficient off H's basis is not 0). */
export function unpadCoefficients(layoutH: ThetaLayout, scalarRow: number, c: ArrayLike<number>): Float64Array {
  const out = new Float64Array(layoutH.coefficients);
  for (const b of layoutH.blocks) {
    const d = b.ir.dim, sign = isScalar(b) ? b.basis[0]! * scalarRow : 1;
    for (let u = 0; u < b.mul; u++)
      for (let k = 0; k < d; k++) {
        const v = c[b.thetaOffset + u * d + k]!;
        if (k < b.rank) out[b.coefOffset + u * b.rank + k] = sign * v;
        else if (v !== 0) throw new Error(`θ block ${b.ir.toString()}: coefficient ${k} of copy ${u} lies off the kept group's basis (${v})`);
      }
  }
  return out;
}

/** The H-layout coefficients of θ's orthogonal projection onto H's invariant subspace: c = B θ. */
export function projectTheta(layoutH: ThetaLayout, theta: ArrayLike<number>): Float64Array {
  const out = new Float64Array(layoutH.coefficients);
  for (const b of layoutH.blocks) {
    const d = b.ir.dim;
    for (let u = 0; u < b.mul; u++)
      for (let k = 0; k < b.rank; k++) {
        let s = 0;
        for (let i = 0; i < d; i++) s += b.basis[k * d + i]! * theta[b.thetaOffset + u * d + i]!;
        out[b.coefOffset + u * b.rank + k] = s;
      }
  }
  return out;
}
