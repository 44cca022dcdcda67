/**
 * The crystal class of a periodic structure: the point-group part of its space group, i.e. every orthogonal
 * R for which some translation t (a fractional translation of a screw axis or glide plane included) maps the
 * crystal onto itself: R x_i + t ≡ x_π(i) modulo the lattice, same species, within the tolerance.
 *
 * Method. R must map the lattice onto itself: the periodic cell vectors are reduced (pairwise size
 * reduction until no vector shortens), and R is tried for every choice of images among the lattice vectors
 * of the same lengths and mutual dot products (coefficients -2..2 in the reduced basis: the images of
 * reduced vectors are as short as they are, which keeps their coefficients small; the tests include badly
 * skewed input cells). With two periodic directions (a slab) the normal
 * goes to ± itself. For each lattice operation R the translations t = x_j - R x_0 (x_0 a node of the
 * rarest species, x_j the nodes of the same species) are tried until one maps every node onto a node of
 * its species within the tolerance (distances taken modulo the lattice). The operations found are closed
 * under composition and named as in moleculeSymmetry. A structure with no periodic direction is a molecule;
 * one periodic direction (a wire) is not supported.
 */
import { applyMatrix3, det3, identity3, matmul3, transpose3, type Matrix3 } from "./rotation.js";
import { inverse3, polarOrthogonal } from "./orthogonal-fit.js";
import { maxAbsDiff9 } from "./group-identify.js";
import { moleculeSymmetry } from "./molecule-symmetry.js";
import { checkPositions, checkTolerance, closeOperations, nameOperations, speciesIds, type FoundOperation } from "./structure-ops.js";
import type { StructureSymmetry } from "./structure-types.js";

export interface CrystalSymmetryOptions {
  /** Largest distance (length units) between a node's image and the node it lands on; default 1e-3. */
  tolerance?: number;
  /** Which cell vectors (a, b, c) are periodic; default all three. */
  pbc?: [boolean, boolean, boolean];
}

type Vec = Float64Array;
const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]!;
const norm = (a: ArrayLike<number>) => Math.hypot(a[0]!, a[1]!, a[2]!);
const cross = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  Float64Array.of(a[1]! * b[2]! - a[2]! * b[1]!, a[2]! * b[0]! - a[0]! * b[2]!, a[0]! * b[1]! - a[1]! * b[0]!);
const add = (a: Vec, b: Vec, s = 1) => Float64Array.of(a[0]! + s * b[0]!, a[1]! + s * b[1]!, a[2]! + s * b[2]!);
/** Row-major matrix whose columns are the given vectors. */
const columns = (u: Vec, v: Vec, w: Vec) => Float64Array.of(u[0]!, v[0]!, w[0]!, u[1]!, v[1]!, w[1]!, u[2]!, v[2]!, w[2]!);

/** Pairwise size reduction, shortest first, until no vector shortens (for 2 or 3 vectors). */
function reduceBasis(basis: Vec[]): Vec[] {
  const b = basis.map((v) => Float64Array.from(v));
  for (let round = 0; round < 1000; round++) {
    b.sort((x, y) => norm(x) - norm(y));
    let changed = false;
    for (let i = 0; i < b.length; i++)
      for (let j = 0; j < b.length; j++) {
        if (i === j) continue;
        const k = Math.round(dot(b[i]!, b[j]!) / dot(b[j]!, b[j]!));
        if (k === 0) continue;
        const c = add(b[i]!, b[j]!, -k);
        if (norm(c) < norm(b[i]!) * (1 - 1e-12)) [b[i], changed] = [c, true];
      }
    // Also the sums and differences of all three (pairwise reduction alone can stop short of Minkowski in 3-D).
    if (b.length === 3)
      for (const [s1, s2] of [[1, 1], [1, -1], [-1, 1], [-1, -1]] as const) {
        const c = add(add(b[2]!, b[0]!, s1), b[1]!, s2);
        if (norm(c) < norm(b[2]!) * (1 - 1e-12)) [b[2], changed] = [c, true];
      }
    if (!changed) return b;
  }
  return b;
}

/** Lattice vectors with coefficients -2..2 (not all 0) in the given basis. */
function shortVectors(basis: Vec[]): Vec[] {
  const out: Vec[] = [];
  const range = [-2, -1, 0, 1, 2];
  const rec = (k: number, acc: Vec, zero: boolean): void => {
    if (k === basis.length) {
      if (!zero) out.push(acc);
      return;
    }
    for (const c of range) rec(k + 1, add(acc, basis[k]!, c), zero && c === 0);
  };
  rec(0, new Float64Array(3), true);
  return out;
}

interface Lattice {
  /** Reduced periodic vectors. */
  basis: Vec[];
  /** Unit normal of a slab (2 periodic directions), else null. */
  normal: Vec | null;
  /** Inverse of the matrix with columns (basis..., normal): Cartesian → coefficients. */
  toCoefficients: Matrix3;
  shortest: number;
}

function makeLattice(periodic: Vec[]): Lattice {
  const basis = reduceBasis(periodic);
  const normal = basis.length === 2 ? (() => { const c = cross(basis[0]!, basis[1]!); return c.map((x) => x / norm(c)); })() : null;
  const m = columns(basis[0]!, basis[1]!, normal ?? basis[2]!);
  return { basis, normal, toCoefficients: inverse3(m), shortest: Math.min(...basis.map(norm)) };
}

/** Length of the shortest lattice translate of d (periodic directions only); scalar code, it is the hot loop. */
function minimumImageLength(lat: Lattice, d0: number, d1: number, d2: number): number {
  const c = lat.toCoefficients, b = lat.basis, k = b.length;
  let x = d0, y = d1, z = d2;
  for (let i = 0; i < k; i++) {
    const f = Math.round(c[3 * i]! * d0 + c[3 * i + 1]! * d1 + c[3 * i + 2]! * d2);
    if (f !== 0) {
      x -= f * b[i]![0]!;
      y -= f * b[i]![1]!;
      z -= f * b[i]![2]!;
    }
  }
  let best = x * x + y * y + z * z;
  const b0 = b[0]!, b1 = b[1]!, b2 = k === 3 ? b[2]! : null;
  for (let s0 = -1; s0 <= 1; s0++)
    for (let s1 = -1; s1 <= 1; s1++)
      for (let s2 = b2 ? -1 : 0; s2 <= (b2 ? 1 : 0); s2++) {
        const px = x + s0 * b0[0]! + s1 * b1[0]! + (b2 ? s2 * b2[0]! : 0);
        const py = y + s0 * b0[1]! + s1 * b1[1]! + (b2 ? s2 * b2[1]! : 0);
        const pz = z + s0 * b0[2]! + s1 * b1[2]! + (b2 ? s2 * b2[2]! : 0);
        const q = px * px + py * py + pz * pz;
        if (q < best) best = q;
      }
  return Math.sqrt(best);
}

/** Orthogonal maps of the lattice onto itself. */
function latticeOperations(lat: Lattice, tol: number): Matrix3[] {
  const b = lat.basis;
  const k = b.length;
  const candidates = shortVectors(b);
  const images = b.map((v) => candidates.filter((c) => Math.abs(norm(c) - norm(v)) <= 2 * tol));
  const dotTol = (u: Vec, v: Vec) => 2 * tol * (norm(u) + norm(v));
  const from = inverse3(columns(b[0]!, b[1]!, lat.normal ?? b[2]!));
  const out: Matrix3[] = [];
  const orthTol = Math.min(0.05, (10 * tol) / lat.shortest);
  const tryImages = (v: Vec[]) => {
    const third = lat.normal ? [lat.normal, lat.normal.map((x) => -x)] : [v[2]!];
    for (const w of third) {
      const raw = matmul3(columns(v[0]!, v[1]!, w), from);
      if (maxAbsDiff9(matmul3(transpose3(raw), raw), identity3()) > orthTol) continue;
      const r = polarOrthogonal(raw);
      if (!out.some((o) => maxAbsDiff9(o, r) <= 1e-6)) out.push(r);
    }
  };
  for (const v0 of images[0]!)
    for (const v1 of images[1]!) {
      if (Math.abs(dot(v0, v1) - dot(b[0]!, b[1]!)) > dotTol(b[0]!, b[1]!)) continue;
      if (k === 2) { tryImages([v0, v1]); continue; }
      for (const v2 of images[2]!) {
        if (Math.abs(dot(v0, v2) - dot(b[0]!, b[2]!)) > dotTol(b[0]!, b[2]!)) continue;
        if (Math.abs(dot(v1, v2) - dot(b[1]!, b[2]!)) > dotTol(b[1]!, b[2]!)) continue;
        tryImages([v0, v1, v2]);
      }
    }
  return out;
}

/**
 * The crystal class of a periodic structure: `cell` 9 numbers whose rows are the lattice vectors a, b, c;
 * `positions` Cartesian n x 3; `species` one key per node (equal keys = same species). Returns the class's
 * canonical name and orientation in the user's Cartesian frame and one operation per element, each with the
 * translation (Cartesian, reduced into the cell) that completes it. `pbc` (default all true) says which
 * cell vectors are periodic: none makes it a molecule (`moleculeSymmetry`, the cell ignored); one is not
 * supported. Throws on malformed input.
 */
export function crystalSymmetry(
  cell: ArrayLike<number>,
  positions: ArrayLike<number>,
  species: ArrayLike<number | string>,
  options: CrystalSymmetryOptions = {},
): StructureSymmetry {
  const what = "crystalSymmetry";
  const tol = checkTolerance(options.tolerance ?? 1e-3, what);
  const pbc = options.pbc ?? [true, true, true];
  if (!Array.isArray(pbc) || pbc.length !== 3 || !pbc.every((x) => typeof x === "boolean")) throw new Error(`${what}: pbc must be three booleans (a, b, c periodic), got ${JSON.stringify(pbc)}`);
  if (cell === null || typeof cell !== "object" || cell.length !== 9) throw new Error(`${what}: cell must have 9 numbers (rows a, b, c), got ${cell?.length}`);
  const { pos: cellRows } = checkPositions(cell, what, "cell");
  const rows = [0, 1, 2].map((i) => cellRows.slice(3 * i, 3 * i + 3));
  if (Math.abs(det3(cellRows)) <= 1e-12 * norm(rows[0]!) * norm(rows[1]!) * norm(rows[2]!)) throw new Error(`${what}: the cell vectors are linearly dependent (zero volume)`);
  const periodic = rows.filter((_, i) => pbc[i]);
  if (periodic.length === 0) return moleculeSymmetry(positions, species, { tolerance: tol });
  if (periodic.length === 1) throw new Error(`${what}: one periodic direction (a wire) is not supported; make all three or two periodic, or none (a molecule)`);
  const { n, pos } = checkPositions(positions, what);
  const ids = speciesIds(species, n, what);
  const lat = makeLattice(periodic);
  for (const v of lat.basis) if (norm(v) <= 4 * tol) throw new Error(`${what}: a lattice vector is shorter than 4x the tolerance`);
  const at = (i: number) => pos.subarray(3 * i, 3 * i + 3);

  // The reference node: one of the rarest species.
  const counts = new Map<number, number>();
  for (const s of ids) counts.set(s, (counts.get(s) ?? 0) + 1);
  let ref = 0;
  for (let i = 0; i < n; i++) if (counts.get(ids[i]!)! < counts.get(ids[ref]!)!) ref = i;

  const matchWith = (r: Matrix3, t: Vec, limit: number): Int32Array | null => {
    const perm = new Int32Array(n);
    const used = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const p = add(applyMatrix3(r, at(i)), t);
      let best = -1, bestD = limit;
      for (let j = 0; j < n; j++) {
        if (ids[j] !== ids[i]) continue;
        const d = minimumImageLength(lat, p[0]! - pos[3 * j]!, p[1]! - pos[3 * j + 1]!, p[2]! - pos[3 * j + 2]!);
        if (d <= bestD) [best, bestD] = [j, d];
      }
      if (best < 0 || used[best]) return null;
      used[best] = 1;
      perm[i] = best;
    }
    return perm;
  };

  const cellInv = inverse3(transpose3(cellRows)); // Cartesian → fractional (columns a, b, c)
  const reduce = (t: Vec): Vec => {
    const f = applyMatrix3(cellInv, t);
    for (let i = 0; i < 3; i++) if (pbc[i]) { f[i] = f[i]! - Math.floor(f[i]!); if (f[i]! > 1 - 1e-12) f[i] = 0; }
    return applyMatrix3(transpose3(cellRows), f);
  };

  const lattice = latticeOperations(lat, tol);
  const found: FoundOperation[] = [];
  for (const r of lattice) {
    const x0 = applyMatrix3(r, at(ref));
    for (let j = 0; j < n; j++) {
      if (ids[j] !== ids[ref]) continue;
      const t = add(at(j), x0, -1);
      const perm = matchWith(r, t, tol);
      if (perm) {
        found.push({ matrix: r, permutation: perm, translation: reduce(t) });
        break;
      }
    }
  }
  // Distinct lattice operations differ by a turn of at least 60° (or in parity): entries far more than 0.1 apart,
  // so a product of two measured (noisy-cell) operations still finds its own.
  const latticeIndex = (m: Matrix3) => String(lattice.findIndex((r) => maxAbsDiff9(r, m) <= 0.1));
  const keyOf = (op: FoundOperation) => latticeIndex(op.matrix);
  const compose = (x: FoundOperation, y: FoundOperation): FoundOperation => {
    const k = Number(latticeIndex(matmul3(x.matrix, y.matrix)));
    if (k < 0) throw new Error(`${what}: the lattice operations found within tolerance ${tol} do not close into a group; use a smaller or larger tolerance`);
    const matrix = lattice[k]!;
    const translation = reduce(add(applyMatrix3(x.matrix, y.translation!), x.translation!));
    const permutation = matchWith(matrix, translation, 4 * tol);
    if (!permutation)
      throw new Error(`${what}: the operations found within tolerance ${tol} do not close into a group; the structure is near a higher symmetry: use a smaller or larger tolerance`);
    return { matrix, permutation, translation };
  };
  const productKey = (x: FoundOperation, y: FoundOperation) => latticeIndex(matmul3(x.matrix, y.matrix));
  const ops = closeOperations(found, compose, keyOf, productKey, 48, what);
  const matrixTol = Math.min(0.05, Math.max(1e-9, (10 * tol) / lat.shortest));
  return nameOperations(ops, matrixTol, what);
}

