/**
 * The float64 CPU reference that executes a model's IR, forward and backward: simple, exact, and the judge of
 * every GPU kernel. Semantics per op are e3nn's (see docs/language.md and the module of each op).
 */
export { executeForward, type ForwardResult } from "./forward.js";
export { executeBackward, type BackwardResult } from "./backward.js";
export { loss, type LossResult } from "./loss.js";
export { proximalGroupLasso, regularization, type RegularizationResult } from "./regularization.js";
export { initParams } from "./init.js";
export { thetaLayout, thetaFromCoefficients, coefficientGrad, scalarCoefficients, type ThetaLayout, type ThetaBlock } from "../nn/theta-layout.js";
export { radialBasis, SMOOTH_FINITE_CONSTANT } from "../nn/radial-basis.js";
export { shWithJacobian } from "./spherical-harmonics.js";
export { outputSource, outputSources } from "../ir/values.js";
