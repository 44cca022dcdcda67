/** regnn's O(3) math core (float64, no WebGPU): the public API, e3nn-compatible in numbers and layouts. */
export { Irrep, Irreps, MulIr, type IrrepsLike, type Parity } from "./irreps.js";
export { wigner3j, wigner3jSparse, clebschGordanComplex, type SparseW3j } from "./wigner3j.js";
export { sphericalHarmonics, type ShNormalization, type ShOptions } from "./spherical-harmonics.js";
export { wignerD, wignerDFromAngles, irrepsD } from "./wigner-d.js";
export {
  TensorProduct,
  type ConnectionMode,
  type Instruction,
  type InstructionSpec,
  type IrrepNormalization,
  type PathNormalization,
  type TensorProductOptions,
} from "./tensor-product.js";
export { fullyConnectedTensorProduct, convolutionTensorProduct } from "./fully-connected.js";
export {
  anglesToMatrix,
  matrixToAngles,
  xyzToAngles,
  axisAngleToMatrix,
  matrixToAxisAngle,
  quaternionToMatrix,
  matrixToQuaternion,
  matrixX,
  matrixY,
  matrixZ,
  matmul3,
  transpose3,
  det3,
  identity3,
  randomRotation,
  randomOrthogonal,
  randomAngles,
  randomNormal,
  seededRng,
  type Matrix3,
  type Rng,
} from "./rotation.js";
export {
  pointGroup,
  parsePointGroupName,
  catalogueSummary,
  POINT_GROUP_FAMILIES,
  POINT_GROUP_NAMES,
  MAX_AXIS_ORDER,
  type PointGroup,
  type PointGroupFamily,
  type PointGroupFamilyInfo,
  type PointGroupOrientation,
  type ParsedPointGroupName,
} from "./point-groups.js";
export { invariantBasis, invariantDimension, invariantProjector } from "./invariant-basis.js";
export { thetaIrreps, thetaBlocks, effectiveThetaIrreps, type ThetaBlock } from "./theta.js";
export {
  detectSymmetry,
  symmetryResidual,
  DEFAULT_SYMMETRY_TOLERANCE,
  type DetectedSymmetry,
  type DetectSymmetryOptions,
  type SymmetryBreaking,
} from "./detect-symmetry.js";
export {
  identifyGroup,
  DEFAULT_GROUP_TOLERANCE,
  type NamedGroup,
} from "./group-identify.js";
export { intersectGroups, namedGroup, type IntersectOptions } from "./group-intersection.js";
export { subgroups, subgroupClasses, type OrientedSubgroup } from "./subgroups.js";
export {
  moleculeSymmetry,
  crystalSymmetry,
  ContinuousSymmetryError,
  type MoleculeSymmetryOptions,
  type CrystalSymmetryOptions,
  type SymmetryOperation,
  type StructureSymmetry,
} from "./structure-symmetry.js";
export { dataSymmetry, type TargetField, type DataSymmetryOptions } from "./data-symmetry.js";
