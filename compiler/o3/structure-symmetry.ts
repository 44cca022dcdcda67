/**
 * The symmetry of an input structure: the point group of a molecule, or the crystal class of a periodic
 * cell, named and oriented as `pointGroup()` takes them, with one operation per group element (its matrix,
 * the node permutation it induces and, for crystals, the translation it needs).
 *
 * The implementations live in molecule-symmetry.ts and crystal-symmetry.ts; this module holds the shared
 * types and is the public entry point.
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

export { moleculeSymmetry, ContinuousSymmetryError, type MoleculeSymmetryOptions } from "./molecule-symmetry.js";
export { crystalSymmetry, type CrystalSymmetryOptions } from "./crystal-symmetry.js";
