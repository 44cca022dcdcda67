/**
 * The one equivariance assertion every test uses: f(D_in(g) x) == D_out(g) f(x), for any number of inputs,
 * each a batch of feature rows laid out by its Irreps.
 */
import { expect } from "vitest";
import { Irreps, type IrrepsLike } from "../compiler/o3/irreps.js";
import { randomOrthogonal, seededRng, type Matrix3 } from "../compiler/o3/rotation.js";
import { irrepsD, wignerD } from "../compiler/o3/wigner-d.js";
import { wigner3j } from "../compiler/o3/wigner3j.js";

/** Applies the block-diagonal D (dim x dim) to every row of a (batch, dim) array. */
export function transformRows(d: Float64Array, dim: number, x: Float64Array): Float64Array {
  const out = new Float64Array(x.length);
  for (let r = 0; r < x.length / dim; r++)
    for (let i = 0; i < dim; i++) {
      let s = 0;
      for (let j = 0; j < dim; j++) s += d[i * dim + j]! * x[r * dim + j]!;
      out[r * dim + i] = s;
    }
  return out;
}

export interface EquivarianceCase {
  inputs: IrrepsLike[];
  output: IrrepsLike;
  /** Inputs are (batch, dim_i) row-major. */
  fn: (...xs: Float64Array[]) => ArrayLike<number>;
  xs: Float64Array[];
  matrix: Matrix3;
  tol: number;
  label?: string;
}

/** Largest |f(g x) - g f(x)|, relative to max(1, max |f(x)|). */
export function equivarianceError(c: EquivarianceCase): number {
  const ins = c.inputs.map((i) => Irreps.parse(i));
  const out = Irreps.parse(c.output);
  const rotated = c.xs.map((x, i) => transformRows(irrepsD(ins[i]!, c.matrix), ins[i]!.dim, x));
  const fx = Float64Array.from(c.fn(...c.xs));
  const fgx = Float64Array.from(c.fn(...rotated));
  const gfx = transformRows(irrepsD(out, c.matrix), out.dim, fx);
  let err = 0, scale = 1;
  for (let i = 0; i < fx.length; i++) {
    err = Math.max(err, Math.abs(fgx[i]! - gfx[i]!));
    scale = Math.max(scale, Math.abs(fx[i]!));
  }
  return err / scale;
}

export function assertEquivariant(c: EquivarianceCase): void {
  expect(equivarianceError(c), c.label ?? "equivariance error").toBeLessThan(c.tol);
}

/** C_ijk = sum C_abc D1_ai D2_bj D3_ck for a random element of O(3) drawn from `seed`. */
export function assertInvariantW3j(l1: number, l2: number, l3: number, seed: number, tol: number): void {
  const g = randomOrthogonal(seededRng(seed));
  // Even parities: the 3j tensor is invariant under all of O(3) for them, whatever l1 + l2 + l3 is.
  const D1 = wignerD(l1, 1, g), D2 = wignerD(l2, 1, g), D3 = wignerD(l3, 1, g);
  const c = wigner3j(l1, l2, l3);
  const [d1, d2, d3] = [2 * l1 + 1, 2 * l2 + 1, 2 * l3 + 1];
  let err = 0;
  for (let i = 0; i < d1; i++)
    for (let j = 0; j < d2; j++)
      for (let k = 0; k < d3; k++) {
        let s = 0;
        for (let a = 0; a < d1; a++)
          for (let b = 0; b < d2; b++) {
            const ab = D1[a * d1 + i]! * D2[b * d2 + j]!;
            if (ab === 0) continue;
            for (let cc = 0; cc < d3; cc++) s += c[(a * d2 + b) * d3 + cc]! * ab * D3[cc * d3 + k]!;
          }
        err = Math.max(err, Math.abs(s - c[(i * d2 + j) * d3 + k]!));
      }
  expect(err, `wigner3j(${l1},${l2},${l3}) invariance`).toBeLessThan(tol);
}
