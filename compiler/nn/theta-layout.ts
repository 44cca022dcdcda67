/**
 * θ of a relaxed layer from its coefficients: θ = B c, block by block, in the layout lowering wrote into the
 * layer's IR (`thetaLayout`, ir/types.ts ThetaLayoutIR). Shared by the codegen and the float64 reference, so
 * neither imports the other, and neither recomputes the kept group's invariant bases.
 *
 * For each block of the layer's θ irreps (in order) and each copy u < mul, `rank` coefficients
 * c[block][u][k] (block-major, then copy, then k) give θ_{block,u} = Σ_k c[block][u][k] · basis[k], where the
 * basis rows span the subspace of the irrep that the kept group leaves invariant (orthonormal, rank x (2l+1)).
 */
import { Irrep, Irreps } from "../o3/irreps.js";
import type { LayerIR, ModelIR } from "../ir/types.js";
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

/** The relaxed layer whose θ parameter is `thetaParam`. */
export function relaxedLayerOfTheta(ir: ModelIR, thetaParam: string): Extract<LayerIR, { theta: string }> {
  const layer = ir.layers.find((l): l is Extract<LayerIR, { theta: string }> => "theta" in l && l.theta === thetaParam);
  if (!layer) throw new Error(`'${thetaParam}': no relaxed layer of the IR has this θ parameter`);
  return layer;
}

/** The θ layout of the relaxed layer whose θ parameter is `thetaParam`, with irreps `thetaIrreps`. */
export function thetaLayout(ir: ModelIR, thetaParam: string, thetaIrreps: string): ThetaLayout {
  let perModel = cache.get(ir);
  if (!perModel) cache.set(ir, (perModel = new Map()));
  const key = `${thetaParam}|${thetaIrreps}`;
  const hit = perModel.get(key);
  if (hit) return hit;
  if (!ir.symmetry.theta) throw new Error(`'${thetaParam}': the IR's symmetry has no θ (the model is not relaxed)`);
  const layer = relaxedLayerOfTheta(ir, thetaParam);
  const irreps = Irreps.parse(thetaIrreps);
  if (!irreps.equals(Irreps.parse(layer.thetaIrreps))) throw new Error(`'${thetaParam}': θ is ${layer.thetaIrreps}, not ${thetaIrreps}`);
  const blocks = layer.thetaLayout.blocks.map((b): ThetaBlock => {
    const ir = Irrep.parse(b.irrep);
    if (b.basis.length !== b.rank || b.basis.some((row) => row.length !== ir.dim)) throw new Error(`θ block ${b.irrep}: basis must be ${b.rank} rows of ${ir.dim} entries`);
    return { ir, mul: b.mul, basis: Float64Array.from(b.basis.flat()), rank: b.rank, thetaOffset: b.thetaOffset, coefOffset: b.coefOffset };
  });
  const { dim, coefficients } = layer.thetaLayout;
  const size = paramInfo(ir, thetaParam).size;
  if (coefficients !== size) throw new Error(`'${thetaParam}' has ${size} coefficients, but θ = ${thetaIrreps} under ${ir.symmetry.keep} needs ${coefficients}`);
  const layout = { irreps, blocks, dim, coefficients };
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
