/**
 * θ of a relaxed layer from its coefficients: θ = B c, block by block. Shared by the codegen (which bakes the
 * layout into its θ kernels) and the float64 reference (which evaluates it), so neither imports the other.
 *
 * For each block of the layer's θ irreps (in order) and each copy u < mul, `rank` coefficients
 * c[block][u][k] (block-major, then copy, then k) give θ_{block,u} = Σ_k c[block][u][k] · basis[k], where the
 * basis rows span the subspace of the irrep that the kept group leaves invariant (orthonormal, rank x (2l+1)).
 *
 * IR gap, resolved here: `ir.symmetry.theta.blocks` holds the bases for the model-wide θ irreps. A layer
 * that overrides `lmax` / `mul` has other θ irreps (`layer.thetaIrreps`); the basis of an irrep depends only
 * on (l, p) and the kept group, so each block takes the IR's basis of the same irrep, and an irrep the IR
 * does not list (a layer lmax above the model's) is recomputed from the kept group and its orientation
 * (`keep`, `axis`, `secondary`) with compiler/o3's `invariantBasis`, as the compiler itself does.
 */
import { invariantBasis } from "../o3/invariant-basis.js";
import { Irrep, Irreps } from "../o3/irreps.js";
import { pointGroup } from "../o3/point-groups.js";
import type { ModelIR } from "../ir/types.js";
import { paramInfo } from "../ir/params.js";

export interface ThetaBlock {
  ir: Irrep;
  mul: number;
  /** rank x (2l+1), row-major. */
  basis: Float64Array;
  rank: number;
  /** Offset of the block in θ (the irreps layout) and in c. */
  thetaOffset: number;
  coefOffset: number;
}

export interface ThetaLayout {
  irreps: Irreps;
  blocks: ThetaBlock[];
  /** dim of θ and number of coefficients. */
  dim: number;
  coefficients: number;
}

const cache = new WeakMap<ModelIR, Map<string, ThetaLayout>>();

/** The θ layout of the relaxed layer whose θ parameter is `thetaParam`, with irreps `thetaIrreps`. */
export function thetaLayout(ir: ModelIR, thetaParam: string, thetaIrreps: string): ThetaLayout {
  let perModel = cache.get(ir);
  if (!perModel) cache.set(ir, (perModel = new Map()));
  const key = `${thetaParam}|${thetaIrreps}`;
  const hit = perModel.get(key);
  if (hit) return hit;
  const sym = ir.symmetry;
  if (!sym.theta) throw new Error(`'${thetaParam}': the IR's symmetry has no θ (the model is not relaxed)`);
  const irreps = Irreps.parse(thetaIrreps);
  let group: ReturnType<typeof pointGroup> | undefined;
  const blocks: ThetaBlock[] = [];
  let thetaOffset = 0, coefOffset = 0;
  for (const e of irreps.entries) {
    const known = sym.theta.blocks.find((b) => Irrep.parse(b.irrep).equals(e.ir));
    let basis: Float64Array;
    if (known) {
      basis = Float64Array.from(known.basis.flat());
      if (known.basis.some((row) => row.length !== e.ir.dim)) throw new Error(`θ block ${known.irrep}: basis rows must have ${e.ir.dim} entries`);
    } else {
      group ??= pointGroup(sym.keep, { axis: sym.axis, secondary: sym.secondary });
      basis = invariantBasis(group, e.l, e.p);
    }
    const rank = basis.length / e.ir.dim;
    blocks.push({ ir: e.ir, mul: e.mul, basis, rank, thetaOffset, coefOffset });
    thetaOffset += e.mul * e.ir.dim;
    coefOffset += e.mul * rank;
  }
  const size = paramInfo(ir, thetaParam).size;
  if (coefOffset !== size) throw new Error(`'${thetaParam}' has ${size} coefficients, but θ = ${thetaIrreps} under ${sym.keep} needs ${coefOffset}`);
  const layout = { irreps, blocks, dim: thetaOffset, coefficients: coefOffset };
  perModel.set(key, layout);
  return layout;
}

/** θ = B c. */
export function thetaFromCoefficients(layout: ThetaLayout, c: ArrayLike<number>): Float64Array {
  const theta = new Float64Array(layout.dim);
  for (const b of layout.blocks) {
    const d = b.ir.dim;
    for (let u = 0; u < b.mul; u++)
      for (let k = 0; k < b.rank; k++) {
        const ck = c[b.coefOffset + u * b.rank + k]!;
        for (let i = 0; i < d; i++) theta[b.thetaOffset + u * d + i] += ck * b.basis[k * d + i]!;
      }
  }
  return theta;
}

/** dL/dc = Bᵀ dL/dθ. */
export function coefficientGrad(layout: ThetaLayout, gTheta: ArrayLike<number>): Float64Array {
  const g = new Float64Array(layout.coefficients);
  for (const b of layout.blocks) {
    const d = b.ir.dim;
    for (let u = 0; u < b.mul; u++)
      for (let k = 0; k < b.rank; k++) {
        let s = 0;
        for (let i = 0; i < d; i++) s += gTheta[b.thetaOffset + u * d + i]! * b.basis[k * d + i]!;
        g[b.coefOffset + u * b.rank + k] = s;
      }
  }
  return g;
}

/** The coefficients of the pure scalar θ: every 0e copy 1, everything else 0 (c = B θ, B orthonormal). */
export function scalarCoefficients(layout: ThetaLayout): Float64Array {
  const c = new Float64Array(layout.coefficients);
  for (const b of layout.blocks) {
    if (!(b.ir.l === 0 && b.ir.p === 1)) continue;
    if (b.rank !== 1) throw new Error(`θ's 0e block must have a rank-1 basis (every group keeps scalars), got rank ${b.rank}`);
    for (let u = 0; u < b.mul; u++) c[b.coefOffset + u] = b.basis[0]!;
  }
  return c;
}
