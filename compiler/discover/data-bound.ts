/**
 * A lower bound, from the data alone, on the loss of any model that keeps a group H. On an input that H maps
 * onto itself (node i to node π_g(i) under g), an H-equivariant model's output is H-symmetric:
 * y_{π_g(i)} = D(g) y_i. The H-symmetric outputs form a linear subspace, D(g) is orthogonal, so the closest
 * one to the target t (the best any such model can do under a squared-error loss) is the group average
 * (P t)_{π_g(i)} = (1/|H|) Σ_g D(g) t_i, and every such model's squared error is at least ||t − P t||².
 */
import { irrepsD } from "../o3/wigner-d.js";
import { Irreps } from "../o3/irreps.js";
import type { PointGroup } from "../o3/point-groups.js";

export interface SymmetricGraph {
  numNodes: number;
  /** The target, rows x dim (node targets: one row per node; graph targets: one row). */
  target: ArrayLike<number>;
  /** The input's symmetry operations (matrix row-major 3x3, node permutation i -> permutation[i]). */
  operations: readonly { matrix: ArrayLike<number>; permutation: ArrayLike<number> }[];
}

const MATRIX_TOL = 1e-4;

function findOperation(g: SymmetricGraph, m: ArrayLike<number>) {
  return g.operations.find((op) => Array.from({ length: 9 }, (_, k) => Math.abs(op.matrix[k]! - m[k]!)).every((d) => d < MATRIX_TOL));
}

/** ||t − P_H t||² of one graph; throws when H has an element that is no symmetry of the graph's input. */
export function symmetrisationDistance(graph: SymmetricGraph, irreps: string, domain: "node" | "graph", group: PointGroup): number {
  if (group.continuous) throw new Error(`the bound needs a finite group, not ${group.name}`);
  const ir = Irreps.parse(irreps), dim = ir.dim;
  const rows = domain === "node" ? graph.numNodes : 1;
  if (graph.target.length !== rows * dim) throw new Error(`target has ${graph.target.length} numbers, expected ${rows * dim}`);
  const elements = group.elements();
  const avg = new Float64Array(rows * dim);
  for (const m of elements) {
    const op = findOperation(graph, m);
    if (!op) throw new Error(`${group.name} is not a symmetry of the input`);
    const D = irrepsD(ir, m);
    for (let i = 0; i < rows; i++) {
      const to = domain === "node" ? op.permutation[i]! : 0;
      for (let a = 0; a < dim; a++) {
        let s = 0;
        for (let b = 0; b < dim; b++) s += D[a * dim + b]! * graph.target[i * dim + b]!;
        avg[to * dim + a] += s / elements.length;
      }
    }
  }
  let d = 0;
  for (let k = 0; k < avg.length; k++) d += (graph.target[k]! - avg[k]!) ** 2;
  return d;
}

/**
 * The bound on one epoch's summed loss, batches as the epoch draws them (`order`, then slices of `batch`):
 * sse adds the squared errors, mse divides each batch's by its number of entries.
 */
export function epochLossBound(distances: readonly number[], entries: readonly number[], kind: "sse" | "mse", batch: number, order: readonly number[]): number {
  let total = 0;
  for (let b = 0; b < order.length; b += batch) {
    const ids = order.slice(b, b + batch);
    const sum = ids.reduce((s, i) => s + distances[i]!, 0);
    const n = ids.reduce((s, i) => s + entries[i]!, 0);
    total += kind === "sse" ? sum : n > 0 ? sum / n : 0;
  }
  return total;
}
