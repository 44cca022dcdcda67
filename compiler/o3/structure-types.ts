/**
 * The types shared by the structure-symmetry finders (molecule-symmetry.ts, crystal-symmetry.ts) and their
 * helpers; structure-symmetry.ts re-exports them with the finders. Kept apart so the finders need not import
 * the module that re-exports them (an import cycle).
 */
import type { NamedGroup } from "./group-identify.js";

export type { NamedGroup } from "./group-identify.js";

/** One symmetry operation of a structure: x ↦ matrix·x (+ translation) maps node i onto node permutation[i]. */
export interface SymmetryOperation {
  /** Row-major 3x3 orthogonal matrix in the user's Cartesian frame: exactly an element of the named group. */
  matrix: Float64Array;
  /** Node i maps onto node permutation[i] (for crystals: onto a lattice translate of it). */
  permutation: Int32Array;
  /** Cartesian translation of a crystal operation (fractional translations included), reduced into the cell; null for molecules. */
  translation: Float64Array | null;
}

/** A structure's point group (molecule) or crystal class (periodic), with its operations. */
export interface StructureSymmetry extends NamedGroup {
  /** One per group element, the identity first. */
  operations: SymmetryOperation[];
}
