/**
 * The point group of a finite structure (a molecule): every orthogonal map about the centroid that sends each
 * node onto a node of the same species within the tolerance.
 *
 * Method. Any symmetry fixes the centroid and maps a node A onto a node A' of A's species at the same
 * distance from it, and a second node B (chosen far from the line through A) onto such a B' with the same
 * angle; the pair (A', B') and the sign of the determinant fix the candidate matrix. Each candidate is
 * matched node by node (within 10x the tolerance), refitted to all nodes by least squares
 * (`fitOrthogonal`), and kept when every node then lands within the tolerance of its image. The
 * operations kept are closed under composition and named with `nameClosedGroup`; each matrix is then
 * replaced by the exact element of the named group it stands for. Cost: O(s_A s_B n²) for shells of s_A,
 * s_B nodes, fine up to a few hundred nodes.
 */
import type { NamedGroup } from "./group-identify.js";
import { namedGroup } from "./group-intersection.js";
import { pointGroup } from "./point-groups.js";
import { applyMatrix3, det3, matmul3, type Matrix3 } from "./rotation.js";
import { fitOrthogonal } from "./orthogonal-fit.js";
import { checkPositions, checkTolerance, closeOperations, composePermutations, nameOperations, speciesIds, type FoundOperation } from "./structure-ops.js";
import type { StructureSymmetry } from "./structure-types.js";

/**
 * Thrown by moleculeSymmetry for a structure whose symmetry is continuous: O(3) (one node, or all nodes at
 * one point), D∞h or C∞v (all nodes on one line, centrosymmetric or not). `group` is that group, named and
 * oriented, so a caller can carry on with it (e.g. intersect it with Stab(θ)).
 */
export class ContinuousSymmetryError extends Error {
  constructor(message: string, readonly group: NamedGroup) {
    super(message);
    this.name = "ContinuousSymmetryError";
  }
}

export interface MoleculeSymmetryOptions {
  /** Largest distance (length units) between a node's image and the node it lands on; default 1e-3. */
  tolerance?: number;
}

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]!;
const cross = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  Float64Array.of(a[1]! * b[2]! - a[2]! * b[1]!, a[2]! * b[0]! - a[0]! * b[2]!, a[0]! * b[1]! - a[1]! * b[0]!);
const norm = (a: ArrayLike<number>) => Math.hypot(a[0]!, a[1]!, a[2]!);

/** Orthonormal frame (columns) built from a and b: â, b̂⊥, â × b̂⊥, as a row-major matrix. */
function frame(a: Float64Array, b: Float64Array): Matrix3 {
  const e1 = a.map((x) => x / norm(a));
  const c = dot(b, e1);
  const p = b.map((x, i) => x - c * e1[i]!);
  const e2 = p.map((x) => x / norm(p));
  const e3 = cross(e1, e2);
  return Float64Array.of(e1[0]!, e2[0]!, e3[0]!, e1[1]!, e2[1]!, e3[1]!, e1[2]!, e2[2]!, e3[2]!);
}

const transpose = (m: Matrix3) => Float64Array.of(m[0]!, m[3]!, m[6]!, m[1]!, m[4]!, m[7]!, m[2]!, m[5]!, m[8]!);

/**
 * The point group of a molecule: `positions` n x 3 (Cartesian, row-major), `species` one key per node
 * (numbers or strings; equal keys are the same species, so nodes with different input features must get
 * different keys). Returns the group's canonical name and orientation (as `pointGroup(name, { axis,
 * secondary })` takes them; see identifyGroup for the canonical axis directions) and one operation per
 * element (matrix exactly in the group, node permutation, translation null). The centroid of the nodes is
 * the fixed point. Throws on malformed input, and a {@link ContinuousSymmetryError} (carrying the group) for
 * structures whose symmetry is continuous and has no list of operations: one node (O(3)), or all nodes on
 * one line (D∞h or C∞v).
 */
export function moleculeSymmetry(positions: ArrayLike<number>, species: ArrayLike<number | string>, options: MoleculeSymmetryOptions = {}): StructureSymmetry {
  const what = "moleculeSymmetry";
  const tol = checkTolerance(options.tolerance ?? 1e-3, what);
  const { n, pos } = checkPositions(positions, what);
  const ids = speciesIds(species, n, what);
  const centre = [0, 1, 2].map((k) => pos.reduce((s, v, i) => (i % 3 === k ? s + v : s), 0) / n);
  const r = pos.map((v, i) => v - centre[i % 3]!);
  const at = (i: number) => r.subarray(3 * i, 3 * i + 3);
  const radius = Float64Array.from({ length: n }, (_, i) => norm(at(i)));
  const shell = (i: number) => {
    const out: number[] = [];
    for (let j = 0; j < n; j++) if (ids[j] === ids[i] && Math.abs(radius[j]! - radius[i]!) <= 2 * tol) out.push(j);
    return out;
  };

  // A: an off-centre node with the fewest look-alikes (then the farthest out); B: the node farthest from A's line.
  let a = -1, aShell: number[] = [];
  for (let i = 0; i < n; i++) {
    if (radius[i]! <= 2 * tol) continue;
    const s = shell(i);
    if (a < 0 || s.length < aShell.length || (s.length === aShell.length && radius[i]! > radius[a]!)) [a, aShell] = [i, s];
  }
  const linear = (axis: Float64Array | null) => {
    // Centrosymmetric (every node has a same-species partner at -r) makes D∞h, otherwise C∞v; no line: O(3).
    const centro = Array.from({ length: n }, (_, i) => i).every((i) =>
      Array.from({ length: n }, (_, j) => j).some((j) => ids[j] === ids[i] && Math.hypot(r[3 * i]! + r[3 * j]!, r[3 * i + 1]! + r[3 * j + 1]!, r[3 * i + 2]! + r[3 * j + 2]!) <= tol));
    const group = namedGroup(axis ? pointGroup(centro ? "D∞h" : "C∞v", { axis }) : pointGroup("O(3)"));
    const where = axis ? `nodes all lie on one line (within tolerance ${tol})` : `nodes all sit at their centroid (within tolerance ${tol})`;
    return new ContinuousSymmetryError(`${what}: the ${where}, so the symmetry is ${group.name}, continuous, with no list of operations`, group);
  };
  if (a < 0) throw linear(null);
  const ua = at(a).map((x) => x / radius[a]!);
  let b = -1, bestOff = 0;
  for (let i = 0; i < n; i++) {
    const off = norm(cross(ua, at(i)));
    if (off > bestOff) [b, bestOff] = [i, off];
  }
  if (b < 0 || bestOff <= 2 * tol) throw linear(ua);
  const bShell = shell(b);
  const ra = at(a), rb = at(b);
  const fInv = transpose(frame(ra, rb));
  const abDot = dot(ra, rb);

  const found: FoundOperation[] = [];
  const seen = new Set<string>();
  const loose = 10 * tol;
  for (const a2 of aShell)
    for (const b2 of bShell) {
      if (a2 === b2) continue;
      const ra2 = at(a2), rb2 = at(b2);
      if (Math.abs(dot(ra2, rb2) - abDot) > 4 * tol * (radius[a]! + radius[b]!)) continue;
      if (norm(cross(ra2, rb2)) <= tol * radius[a]!) continue;
      const f2 = frame(ra2, rb2);
      for (const sign of [1, -1]) {
        const guess = matmul3(matmul3(f2, Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, sign)), fInv);
        const perm = matchNodes(guess, r, ids, loose);
        if (!perm) continue;
        // A planar structure has two operations per permutation (the mirror through its plane): key on det too.
        const key = `${sign}:${perm.join(",")}`;
        if (seen.has(key)) continue;
        const fitted = fitToNodes(guess, perm, r);
        if (worstDistance(fitted, perm, r) > tol) continue;
        seen.add(key);
        found.push({ matrix: fitted, permutation: perm, translation: null });
      }
    }
  const compose = (x: FoundOperation, y: FoundOperation): FoundOperation => {
    const perm = composePermutations(x.permutation, y.permutation);
    const m = fitToNodes(matmul3(x.matrix, y.matrix), perm, r);
    if (worstDistance(m, perm, r) > 4 * tol)
      throw new Error(`${what}: the operations found within tolerance ${tol} do not close into a group (a product misplaces a node by more than ${4 * tol}); the structure is near a higher symmetry: use a smaller or larger tolerance`);
    return { matrix: m, permutation: perm, translation: null };
  };
  const keyOf = (op: FoundOperation) => `${Math.sign(det3(op.matrix))}:${op.permutation.join(",")}`;
  const productKey = (x: FoundOperation, y: FoundOperation) => `${Math.sign(det3(x.matrix) * det3(y.matrix))}:${composePermutations(x.permutation, y.permutation).join(",")}`;
  const ops = closeOperations(found, compose, keyOf, productKey, 4000, what);
  // The matrices are as good as the fit: a node at distance d off A's line pins them to about (worst misfit) / d
  // per entry. Naming with that (not the looser tolerance / d) keeps rotation orders unambiguous.
  const misfit = ops.reduce((w, op) => Math.max(w, worstDistance(op.matrix, op.permutation, r)), 0);
  const matrixTol = Math.min(0.05, Math.max(1e-9, (10 * misfit) / Math.min(radius[a]!, bestOff)));
  return nameOperations(ops, matrixTol, what);
}

/** Node permutation of a candidate matrix (each node onto the nearest same-species node within `limit`), or null. */
function matchNodes(m: Matrix3, r: Float64Array, ids: Int32Array, limit: number): Int32Array | null {
  const n = ids.length;
  const perm = new Int32Array(n);
  const used = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const p = applyMatrix3(m, r.subarray(3 * i, 3 * i + 3));
    let best = -1, bestD = limit;
    for (let j = 0; j < n; j++) {
      if (ids[j] !== ids[i]) continue;
      const d = Math.hypot(p[0]! - r[3 * j]!, p[1]! - r[3 * j + 1]!, p[2]! - r[3 * j + 2]!);
      if (d <= bestD) [best, bestD] = [j, d];
    }
    if (best < 0 || used[best]) return null;
    used[best] = 1;
    perm[i] = best;
  }
  return perm;
}

function fitToNodes(guess: Matrix3, perm: Int32Array, r: Float64Array): Matrix3 {
  const q = new Float64Array(r.length);
  for (let i = 0; i < perm.length; i++) q.set(r.subarray(3 * perm[i]!, 3 * perm[i]! + 3), 3 * i);
  const m = fitOrthogonal(r, q, guess);
  return det3(m) * det3(guess) > 0 ? m : guess;
}

function worstDistance(m: Matrix3, perm: Int32Array, r: Float64Array): number {
  let worst = 0;
  for (let i = 0; i < perm.length; i++) {
    const p = applyMatrix3(m, r.subarray(3 * i, 3 * i + 3));
    const j = perm[i]!;
    worst = Math.max(worst, Math.hypot(p[0]! - r[3 * j]!, p[1]! - r[3 * j + 1]!, p[2]! - r[3 * j + 2]!));
  }
  return worst;
}
