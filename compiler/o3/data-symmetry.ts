/**
 * The symmetry of a dataset read without a model: the operations g of the input structure's group (each with
 * its node permutation π) that map every target onto itself, D(g) t_i = t_π(i) for per-node targets and
 * D(g) t = t for per-graph ones, D the targets' irreps representation (e3nn layout and parities).
 *
 * Tolerance (relative, default 1e-6): an operation keeps a target when max_i ‖D(g) t_i - t_π(i)‖ is at most
 * the tolerance times the largest ‖t_i‖ of that target (per graph: times ‖t‖); an all-zero target keeps
 * everything. The operations kept are closed under composition within the input's operations (a product
 * of two kept operations breaks a target by at most twice the tolerance), and the group they form is named
 * as identifyGroup names groups.
 */
import { Irreps } from "./irreps.js";
import { maxAbsDiff9, nameClosedGroup } from "./group-identify.js";
import { matmul3 } from "./rotation.js";
import { irrepsD } from "./wigner-d.js";
import type { StructureSymmetry, SymmetryOperation } from "./structure-types.js";

export interface TargetField {
  /** e3nn irreps string of one node's (or the graph's) target, e.g. "1o" or "0e+1o+2e". */
  irreps: string;
  /** Per node: n x dim row-major; per graph: dim numbers. */
  values: ArrayLike<number>;
  perNode: boolean;
}

export interface DataSymmetryOptions {
  /** Relative tolerance (see the module comment); default 1e-6. */
  tolerance?: number;
}

/**
 * The subgroup of `input` (a moleculeSymmetry / crystalSymmetry result) whose operations keep every target
 * (see the module comment), with its operations and canonical name and orientation.
 */
export function dataSymmetry(input: StructureSymmetry, targets: readonly TargetField[], options: DataSymmetryOptions = {}): StructureSymmetry {
  const what = "dataSymmetry";
  const tol = options.tolerance ?? 1e-6;
  if (typeof tol !== "number" || !(tol > 0 && tol < 1)) throw new Error(`${what}: tolerance must be a number in (0, 1), got ${String(tol)}`);
  if (!input || !Array.isArray(input.operations) || input.operations.length === 0) throw new Error(`${what}: input must be a structure symmetry with its operations (from moleculeSymmetry or crystalSymmetry)`);
  if (!Array.isArray(targets)) throw new Error(`${what}: targets must be an array`);
  const n = input.operations[0]!.permutation.length;
  const prepared = targets.map((t, k) => {
    let irreps: Irreps;
    try {
      irreps = Irreps.parse(t.irreps);
    } catch (e) {
      throw new Error(`${what}: targets[${k}].irreps: ${(e as Error).message}`);
    }
    const dim = irreps.dim;
    const count = t.perNode ? n * dim : dim;
    if (!t.values || typeof t.values.length !== "number" || t.values.length !== count)
      throw new Error(`${what}: targets[${k}].values has ${t.values?.length} numbers; expected ${t.perNode ? `${n} nodes x ${dim}` : dim} for irreps '${t.irreps}'${t.perNode ? " per node" : " per graph"}`);
    const values = Float64Array.from(t.values as ArrayLike<number>);
    values.forEach((v, i) => {
      if (!Number.isFinite(v)) throw new Error(`${what}: targets[${k}].values[${i}] is ${v}; every value must be finite`);
    });
    const rows = t.perNode ? n : 1;
    let scale = 0;
    for (let i = 0; i < rows; i++) scale = Math.max(scale, Math.hypot(...values.subarray(i * dim, (i + 1) * dim)));
    return { irreps, dim, values, rows, scale };
  });

  const keeps = (op: SymmetryOperation): boolean =>
    prepared.every(({ irreps, dim, values, rows, scale }) => {
      if (scale === 0) return true;
      const D = irrepsD(irreps, op.matrix);
      for (let i = 0; i < rows; i++) {
        const j = rows === 1 ? 0 : op.permutation[i]!;
        let sq = 0;
        for (let r = 0; r < dim; r++) {
          let s = 0;
          for (let c = 0; c < dim; c++) s += D[r * dim + c]! * values[i * dim + c]!;
          const d = s - values[j * dim + r]!;
          sq += d * d;
        }
        if (Math.sqrt(sq) > tol * scale) return false;
      }
      return true;
    });

  const ops = input.operations;
  const kept = new Uint8Array(ops.length);
  ops.forEach((op, k) => (kept[k] = keeps(op) ? 1 : 0));
  // Close within the input's operations.
  const indexOf = (m: Float64Array) => ops.findIndex((o) => maxAbsDiff9(o.matrix, m) <= 1e-8);
  for (let changed = true; changed; ) {
    changed = false;
    for (let i = 0; i < ops.length; i++)
      for (let j = 0; j < ops.length; j++) {
        if (!kept[i] || !kept[j]) continue;
        const k = indexOf(matmul3(ops[i]!.matrix, ops[j]!.matrix));
        if (k < 0) throw new Error(`${what}: the input's operations are not closed under composition (pass a moleculeSymmetry or crystalSymmetry result)`);
        if (!kept[k]) [kept[k], changed] = [1, true];
      }
  }
  const operations = ops.filter((_, k) => kept[k]);
  const named = nameClosedGroup(operations.map((o) => o.matrix), 1e-8, what);
  return { ...named, operations };
}
