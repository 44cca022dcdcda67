/**
 * The IR's tensor products, rebuilt with compiler/o3's `TensorProduct` (e3nn's paths, normalisation and weight
 * layout). The IR's path weights, shapes and offsets are the contract: the rebuilt product must reproduce them
 * exactly (to rounding), or executing the IR would silently compute something else.
 */
import { TensorProduct } from "../o3/tensor-product.js";
import type { TensorProductIR } from "./types.js";

const cache = new WeakMap<TensorProductIR, TensorProduct>();

/** `TensorProduct` of an IR tensor product; throws when its paths disagree with the IR's. */
export function tensorProductOf(ir: TensorProductIR): TensorProduct {
  const hit = cache.get(ir);
  if (hit) return hit;
  const tp = new TensorProduct(
    ir.irrepsIn1,
    ir.irrepsIn2,
    ir.irrepsOut,
    ir.instructions.map((i) => [i.i1, i.i2, i.iOut, i.mode, i.hasWeight] as const),
    { irrepNormalization: ir.irrepNormalization, pathNormalization: ir.pathNormalization, sharedWeights: ir.sharedWeights },
  );
  const where = `tensor product ${ir.irrepsIn1} x ${ir.irrepsIn2} -> ${ir.irrepsOut}`;
  if (tp.weightNumel !== ir.weightNumel) throw new Error(`${where}: the IR says ${ir.weightNumel} weights, rebuilt ${tp.weightNumel}`);
  tp.instructions.forEach((mine, k) => {
    const theirs = ir.instructions[k]!;
    const pw = Math.abs(mine.pathWeight - theirs.pathWeight) <= 1e-12 * Math.max(1, Math.abs(theirs.pathWeight));
    const shape = mine.pathShape.length === theirs.pathShape.length && mine.pathShape.every((n, i) => n === theirs.pathShape[i]);
    if (!pw || !shape || mine.weightOffset !== theirs.weightOffset)
      throw new Error(
        `${where}, instruction ${k}: the IR has path weight ${theirs.pathWeight}, shape [${theirs.pathShape}], offset ${theirs.weightOffset}; ` +
          `rebuilt ${mine.pathWeight}, [${mine.pathShape}], ${mine.weightOffset}`,
      );
  });
  cache.set(ir, tp);
  return tp;
}
