/**
 * The symmetry of an input structure: the point group of a molecule, or the crystal class of a periodic
 * cell, named and oriented as `pointGroup()` takes them, with one operation per group element (its matrix,
 * the node permutation it induces and, for crystals, the translation it needs).
 *
 * The implementations live in molecule-symmetry.ts and crystal-symmetry.ts, the shared types in
 * structure-types.ts; this module is the public entry point.
 */
export type { NamedGroup, StructureSymmetry, SymmetryOperation } from "./structure-types.js";
export { moleculeSymmetry, ContinuousSymmetryError, type MoleculeSymmetryOptions } from "./molecule-symmetry.js";
export { crystalSymmetry, type CrystalSymmetryOptions } from "./crystal-symmetry.js";
