/**
 * The two instruction layouts e3nn builds on top of `TensorProduct`: `FullyConnectedTensorProduct` and the
 * 'uvu' convolution of `gate_points_2101.Convolution`.
 */
import { Irreps, MulIr, type IrrepsLike } from "./irreps.js";
import { TensorProduct, type InstructionSpec, type TensorProductOptions } from "./tensor-product.js";

/** e3nn's FullyConnectedTensorProduct: every allowed (i1, i2, iOut) path, nested in that order, 'uvw', weighted. */
export function fullyConnectedTensorProduct(
  irrepsIn1: IrrepsLike,
  irrepsIn2: IrrepsLike,
  irrepsOut: IrrepsLike,
  options: TensorProductOptions = {},
): TensorProduct {
  const [a, b, o] = [Irreps.parse(irrepsIn1), Irreps.parse(irrepsIn2), Irreps.parse(irrepsOut)];
  const instructions: InstructionSpec[] = [];
  a.entries.forEach((e1, i1) =>
    b.entries.forEach((e2, i2) =>
      o.entries.forEach((eo, io) => {
        if (e1.ir.couplesTo(e2.ir, eo.ir)) instructions.push([i1, i2, io, "uvw", true, 1]);
      }),
    ),
  );
  return new TensorProduct(a, b, o, instructions, options);
}

/**
 * The 'uvu' tensor product of e3nn's `gate_points_2101.Convolution`: for each input i, each edge irrep j and
 * each output irrep in `irrepsOutSet` reachable from them, a mid irrep (mul_i, ir_out) fed by one weighted
 * 'uvu' path; the mid irreps are then sorted (`Irreps.sort`) and the instructions remapped, as e3nn does.
 * Weights are per row (sharedWeights false) unless the options say otherwise.
 */
export function convolutionTensorProduct(
  irrepsIn: IrrepsLike,
  irrepsEdge: IrrepsLike,
  irrepsOutSet: IrrepsLike,
  options: TensorProductOptions = {},
): { tp: TensorProduct; irrepsMid: Irreps } {
  const [a, b, o] = [Irreps.parse(irrepsIn), Irreps.parse(irrepsEdge), Irreps.parse(irrepsOutSet)];
  const mid: MulIr[] = [];
  const raw: [number, number, number][] = [];
  a.entries.forEach((e1, i) =>
    b.entries.forEach((e2, j) => {
      for (const ir of e1.ir.times(e2.ir)) {
        if (o.entries.some((eo) => eo.ir.equals(ir))) {
          raw.push([i, j, mid.length]);
          mid.push(new MulIr(e1.mul, ir));
        }
      }
    }),
  );
  const sorted = new Irreps(mid).sort();
  const instructions: InstructionSpec[] = raw.map(([i, j, k]) => [i, j, sorted.p[k]!, "uvu", true, 1]);
  const tp = new TensorProduct(a, b, sorted.irreps, instructions, { sharedWeights: false, ...options });
  return { tp, irrepsMid: sorted.irreps };
}
