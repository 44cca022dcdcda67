/**
 * The point group of each graph's input, as discover and the training readout use it: the structure's
 * symmetry (a molecule's point group, or a crystal's class when the graph has a periodic cell) with nodes
 * told apart by their scalar (0e) input features, then only the operations that also map every other input
 * feature onto itself (D(g) x_i = x_π(i) for node features, D(g) x = x for graph features), since a model
 * sees those too.
 */
import type { GraphInput } from "../../runtime/graph/batching.js";
import type { ModelIR } from "../ir/types.js";
import { Irreps } from "../o3/irreps.js";
import { irrepsD } from "../o3/wigner-d.js";
import { crystalSymmetry, moleculeSymmetry, type StructureSymmetry, type SymmetryOperation } from "../o3/structure-symmetry.js";
import { identifyGroup } from "../o3/subgroups.js";

/** Default tolerance (length units of the positions, and of feature values) of the input's symmetry. */
export const DEFAULT_INPUT_TOLERANCE = 1e-3;

/** Why a graph's input has no point group discover can use, or its symmetry. */
export type InputSymmetry = { symmetry: StructureSymmetry } | { symmetry: null; why: string };

export function graphInputSymmetry(ir: ModelIR, graph: GraphInput, tolerance = DEFAULT_INPUT_TOLERANCE): InputSymmetry {
  const posName = ir.graph.positions;
  if (!posName) return { symmetry: null, why: "the model has no positions input" };
  if (ir.inputs.some((f) => f.domain === "edge")) return { symmetry: null, why: "the model has edge inputs" };
  const pos = graph.features[posName]!;
  const n = graph.numNodes;
  const nodeFields = ir.inputs.filter((f) => f.domain === "node" && f.name !== posName).map((f) => ({ name: f.name, irreps: Irreps.parse(f.irreps) }));
  const graphFields = ir.inputs.filter((f) => f.domain === "graph").map((f) => ({ name: f.name, irreps: Irreps.parse(f.irreps) }));
  // Species: every node's 0e inputs, rounded to the tolerance.
  const species = Array.from({ length: n }, (_, i) =>
    nodeFields
      .map(({ name, irreps }) => {
        const x = graph.features[name]!, dim = irreps.dim, out: string[] = [];
        let off = 0;
        for (const e of irreps) {
          for (let u = 0; u < e.mul; u++, off += 2 * e.l + 1) if (e.l === 0 && e.p === 1) out.push(String(Math.round(x[i * dim + off]! / tolerance)));
        }
        return out.join(",");
      })
      .join("|"),
  );
  let s: StructureSymmetry;
  try {
    s = graph.cell
      ? crystalSymmetry(graph.cell.vectors, pos, species, { tolerance, pbc: (graph.cell.pbc ? Array.from(graph.cell.pbc) : [true, true, true]) as [boolean, boolean, boolean] })
      : moleculeSymmetry(pos, species, { tolerance });
  } catch (e) {
    return { symmetry: null, why: (e as Error).message };
  }
  const keeps = (op: SymmetryOperation) =>
    nodeFields.every(({ name, irreps }) => mapsOnto(irreps, graph.features[name]!, n, op.matrix, op.permutation, tolerance)) &&
    graphFields.every(({ name, irreps }) => mapsOnto(irreps, graph.features[name]!, 1, op.matrix, Int32Array.of(0), tolerance));
  const ops = s.operations.filter(keeps);
  if (ops.length === s.operations.length) return { symmetry: s };
  return { symmetry: { ...identifyGroup(ops.map((o) => o.matrix)), operations: ops } };
}

/** Whether D(g) x_i = x_π(i) for every row i, to `tol` per entry (scalars 0e included: nothing to do). */
function mapsOnto(irreps: Irreps, x: ArrayLike<number>, rows: number, m: ArrayLike<number>, perm: ArrayLike<number>, tol: number): boolean {
  const dim = irreps.dim;
  const D = irrepsD(irreps, m);
  for (let i = 0; i < rows; i++) {
    const j = perm[i]!;
    for (let a = 0; a < dim; a++) {
      let s = 0;
      for (let b = 0; b < dim; b++) s += D[a * dim + b]! * x[i * dim + b]!;
      if (Math.abs(s - x[j * dim + a]!) > tol) return false;
    }
  }
  return true;
}

/** Whether two symmetries have the same matrices (their permutations may differ: other graphs). */
export function sameMatrices(a: StructureSymmetry, b: StructureSymmetry): boolean {
  if (a.operations.length !== b.operations.length) return false;
  return a.operations.every((p) => b.operations.some((q) => p.matrix.every((v, k) => Math.abs(v - q.matrix[k]!) < 1e-6)));
}

/**
 * The input's point group when every graph has the same one (same matrices; permutations may differ), else
 * null. Stops at the first graph that differs, so a dataset of varied structures costs two graphs.
 */
export function commonInputSymmetry(ir: ModelIR, graphs: readonly GraphInput[], tolerance = DEFAULT_INPUT_TOLERANCE): StructureSymmetry | null {
  let first: StructureSymmetry | null = null;
  for (const g of graphs) {
    const s = graphInputSymmetry(ir, g, tolerance).symmetry;
    if (!s || (first && !sameMatrices(first, s))) return null;
    first ??= s;
  }
  return first;
}

/** The readout's input group (training, inspect --data): the common one, or null when there is none or it cannot be found. */
export function inputGroupForReadout(ir: ModelIR, graphs: readonly GraphInput[], tolerance?: number): StructureSymmetry | null {
  try {
    return commonInputSymmetry(ir, graphs, tolerance);
  } catch {
    return null; // the readout is a courtesy: it never fails a finished training
  }
}
