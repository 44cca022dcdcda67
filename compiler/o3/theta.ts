/**
 * The relaxed weights θ of the paper: `mul x (0e + 0o + 1o + 1e + 2e + 2o + …)` up to lmax (for each l the
 * natural parity (-1)^l first), and their restriction to the subspace a kept group H leaves invariant.
 */
import { invariantBasis } from "./invariant-basis.js";
import { Irrep, Irreps, MulIr, type Parity } from "./irreps.js";
import type { PointGroup } from "./point-groups.js";

export function thetaIrreps(lmax: number, mul: number): Irreps {
  const out: MulIr[] = [];
  for (let l = 0; l <= lmax; l++) {
    const natural: Parity = l % 2 === 0 ? 1 : -1;
    out.push(new MulIr(mul, new Irrep(l, natural)), new MulIr(mul, new Irrep(l, -natural as Parity)));
  }
  return new Irreps(out);
}

/** One block of θ and the orthonormal basis (k x (2l+1), row-major) of its H-invariant subspace. */
export interface ThetaBlock {
  mul: number;
  ir: Irrep;
  basis: Float64Array;
  /** k: the number of invariant directions (coefficients per copy). */
  rank: number;
}

/** The blocks of θ for a kept group; θ = B c with `mul * rank` coefficients c per block. */
export function thetaBlocks(group: PointGroup, lmax: number, mul: number): ThetaBlock[] {
  return thetaIrreps(lmax, mul).entries.map((e) => {
    const basis = invariantBasis(group, e.l, e.p);
    return { mul: e.mul, ir: e.ir, basis, rank: basis.length / e.ir.dim };
  });
}

/** The irreps of θ that can be non-zero under H (blocks with an invariant direction). */
export function effectiveThetaIrreps(blocks: readonly ThetaBlock[]): Irreps {
  return new Irreps(blocks.filter((b) => b.rank > 0).map((b) => new MulIr(b.mul, b.ir)));
}
