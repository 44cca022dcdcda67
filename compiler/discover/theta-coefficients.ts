/**
 * θ's coefficients in the two layouts discover moves between: the spec relaxed to a group H (rank
 * coefficients per copy, compiler/reference/theta.ts) and the one swappable model (2l+1 per copy, the first
 * rank of them on H's basis rows, the rest 0: SwappableThetaModel). The 0e row of the swappable table is the
 * C1 model's own (`scalarRow`, ±1), hence the sign factor on the 0e block.
 */
import { Irreps } from "../o3/irreps.js";
import { coefficientGrad, type ThetaLayout } from "../nn/theta-layout.js";

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

/**
 * The H-layout coefficients of θ's orthogonal projection onto H's invariant subspace: c = B θ, which is
 * the same product with the basis rows as the coefficients' gradient (coefficientGrad).
 */
export function projectTheta(layoutH: ThetaLayout, theta: ArrayLike<number>): Float64Array {
  return coefficientGrad(layoutH, theta);
}

/** The blocks of a θ basis table (thetaBasisTable): per irrep of `thetaIrreps`, its mul copies and a d x d matrix. */
function tableBlocks(thetaIrreps: string): { mul: number; d: number; theta: number; table: number; ir: string }[] {
  const out = [];
  let theta = 0, table = 0;
  for (const e of Irreps.parse(thetaIrreps)) {
    const d = 2 * e.l + 1;
    out.push({ mul: e.mul, d, theta, table, ir: `${e.l}${e.p === 1 ? "e" : "o"}` });
    theta += e.mul * d;
    table += d * d;
  }
  return out;
}

/** θ from the swappable layout's coefficients and a table: θ_copy = Tᵀ c_copy. */
export function thetaFromTable(table: ArrayLike<number>, thetaIrreps: string, c: ArrayLike<number>): Float64Array {
  const blocks = tableBlocks(thetaIrreps);
  const last = blocks[blocks.length - 1]!;
  const theta = new Float64Array(last.theta + last.mul * last.d);
  for (const b of blocks)
    for (let u = 0; u < b.mul; u++)
      for (let k = 0; k < b.d; k++) {
        const ck = c[b.theta + u * b.d + k]!;
        if (ck !== 0) for (let i = 0; i < b.d; i++) theta[b.theta + u * b.d + i] += ck * table[b.table + k * b.d + i]!;
      }
  return theta;
}

/** The swappable coefficients of θ's projection onto the table's rows: c_copy = T θ_copy (zero rows give 0). */
export function coefficientsFromTable(table: ArrayLike<number>, thetaIrreps: string, theta: ArrayLike<number>): Float64Array {
  const blocks = tableBlocks(thetaIrreps);
  const c = new Float64Array(theta.length);
  for (const b of blocks)
    for (let u = 0; u < b.mul; u++)
      for (let k = 0; k < b.d; k++) {
        let s = 0;
        for (let i = 0; i < b.d; i++) s += table[b.table + k * b.d + i]! * theta[b.theta + u * b.d + i]!;
        c[b.theta + u * b.d + k] = s;
      }
  return c;
}

/** Per irrep of θ (all copies), the norm of the part of θ outside the table's rows (what the group forbids). */
export function forbiddenNorms(table: ArrayLike<number>, thetaIrreps: string, theta: ArrayLike<number>): { irrep: string; norm: number }[] {
  const kept = thetaFromTable(table, thetaIrreps, coefficientsFromTable(table, thetaIrreps, theta));
  return tableBlocks(thetaIrreps).map((b) => {
    let s = 0;
    for (let i = b.theta; i < b.theta + b.mul * b.d; i++) s += (theta[i]! - kept[i]!) ** 2;
    return { irrep: b.ir, norm: Math.sqrt(s) };
  });
}
