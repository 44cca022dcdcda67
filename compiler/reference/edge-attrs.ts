/**
 * Edge attributes, computed per edge from its edge vector v = pos[dst] - pos[src] + shift (the lattice shift
 * of an edge to a periodic image, zero otherwise), and their backward down to the positions.
 *
 * Edge vectors are recomputed from the positions input whenever the model has one (that is their definition,
 * and what the positions gradient differentiates); `batch.edgeVectors` is used only when it has none.
 */
import type { EdgeAttrIR, ModelIR } from "../ir/types.js";
import type { GraphBatch } from "../../runtime/graph/batch.js";
import { radialBasis } from "../nn/radial-basis.js";
import { shWithJacobian } from "./spherical-harmonics.js";

export function edgeVectors(ir: ModelIR, batch: GraphBatch): Float64Array {
  const name = ir.graph.positions;
  if (name !== null) {
    const pos = batch.features[name];
    if (!pos) throw new Error(`batch.features.${name}: the positions are missing`);
    const vec = new Float64Array(batch.numEdges * 3);
    const shift = batch.edgeShifts;
    if (shift && shift.length !== batch.numEdges * 3) throw new Error(`batch.edgeShifts has ${shift.length} numbers, expected ${batch.numEdges * 3}`);
    for (let e = 0; e < batch.numEdges; e++) {
      const s = batch.edgeSrc[e]!, d = batch.edgeDst[e]!;
      for (let a = 0; a < 3; a++) vec[e * 3 + a] = pos[d * 3 + a]! - pos[s * 3 + a]! + (shift ? shift[e * 3 + a]! : 0);
    }
    return vec;
  }
  if (batch.edgeVectors) {
    if (batch.edgeVectors.length !== batch.numEdges * 3) throw new Error(`batch.edgeVectors has ${batch.edgeVectors.length} numbers, expected ${batch.numEdges * 3}`);
    return batch.edgeVectors;
  }
  throw new Error("the model has edge attributes but neither positions nor batch.edgeVectors");
}

function dimOf(attr: EdgeAttrIR): number {
  return attr.op === "spherical_harmonics" ? (attr.lmax + 1) * (attr.lmax + 1) : attr.count;
}

/** (numEdges, dim) values of one edge attribute. */
export function edgeAttrForward(attr: EdgeAttrIR, vec: Float64Array, numEdges: number): Float64Array {
  const dim = dimOf(attr);
  const out = new Float64Array(numEdges * dim);
  for (let e = 0; e < numEdges; e++) {
    const v = vec.subarray(e * 3, e * 3 + 3);
    if (attr.op === "spherical_harmonics") out.set(shWithJacobian(attr.lmax, v, attr.normalize, attr.normalization).y, e * dim);
    else out.set(radialBasis(attr, Math.hypot(v[0]!, v[1]!, v[2]!)).value, e * dim);
  }
  return out;
}

/** gvec += Σ_q grad[e, q] · d attr[e, q] / d v_e. */
export function edgeAttrBackward(attr: EdgeAttrIR, vec: Float64Array, grad: Float64Array, numEdges: number, gvec: Float64Array): void {
  const dim = dimOf(attr);
  for (let e = 0; e < numEdges; e++) {
    const v = vec.subarray(e * 3, e * 3 + 3);
    if (attr.op === "spherical_harmonics") {
      const { jac } = shWithJacobian(attr.lmax, v, attr.normalize, attr.normalization);
      for (let q = 0; q < dim; q++) for (let a = 0; a < 3; a++) gvec[e * 3 + a] += grad[e * dim + q]! * jac[q * 3 + a]!;
    } else {
      const r = Math.hypot(v[0]!, v[1]!, v[2]!);
      if (!(r > 0)) continue; // d r / d v is undefined at 0: gradient 0
      const { deriv } = radialBasis(attr, r);
      let gr = 0;
      for (let q = 0; q < dim; q++) gr += grad[e * dim + q]! * deriv[q]!;
      for (let a = 0; a < 3; a++) gvec[e * 3 + a] += (gr * v[a]!) / r;
    }
  }
}

/** Positions gradient from the edge-vector gradient: + at pos[dst], - at pos[src]. */
export function edgeVectorGradToPositions(batch: GraphBatch, gvec: Float64Array, gpos: Float64Array): void {
  for (let e = 0; e < batch.numEdges; e++) {
    const s = batch.edgeSrc[e]!, d = batch.edgeDst[e]!;
    for (let a = 0; a < 3; a++) {
      gpos[d * 3 + a] += gvec[e * 3 + a]!;
      gpos[s * 3 + a] -= gvec[e * 3 + a]!;
    }
  }
}
