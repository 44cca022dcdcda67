/**
 * The point groups (closed subgroups of O(3)) a relaxed layer can be told to keep, by Schoenflies name.
 *
 * Matrices are row-major 3x3 in the user's (x, y, z) frame; they act on irreps only through `wignerD`.
 *
 * Default orientations (an `orientation` rotates the whole group, see {@link PointGroupOrientation}):
 * - C1: the identity. Ci: the inversion -I.
 * - Cs: one mirror plane, normal to the axis (default: normal z, i.e. the xy plane).
 * - Cn: n-fold rotation axis along the axis (default z).
 * - Cnv: Cn plus n mirror planes containing the axis; one of them also contains the secondary direction
 *   (default: the xz plane, whose normal is y).
 * - Cnh: Cn plus the mirror plane normal to the axis.
 * - Dn: Cn plus n two-fold axes normal to the principal axis, one along the secondary direction (default x).
 * - Dnh: Dn plus the mirror plane normal to the axis (hence also the n vertical mirrors that contain the
 *   two-fold axes; default for D4h: the planes x = 0, y = 0, x = ±y and z = 0).
 * - Dnd: Dn plus n vertical mirror planes bisecting the angles between adjacent two-fold axes; the axis is a
 *   2n-fold rotoreflection axis (default for D2d: two-fold axes x, y, z, mirror planes x = ±y).
 * - Sn (n even, n >= 4): the n-fold rotoreflection axis along the axis: rotation by 2π/n about it composed
 *   with the reflection through the plane normal to it.
 * - T: rotations of the regular tetrahedron with vertices (1,1,1), (1,-1,-1), (-1,1,-1), (-1,-1,1):
 *   two-fold axes along x, y and z, three-fold axes along (±1, ±1, ±1). Td: T plus the six mirror planes
 *   x = ±y, y = ±z, z = ±x (the full symmetry of that tetrahedron). Th: T plus the inversion (mirror planes
 *   x = 0, y = 0, z = 0).
 * - O: rotations of the cube with faces normal to x, y and z (four-fold axes along x, y, z). Oh: O plus the
 *   inversion.
 * - I: rotations of the regular icosahedron with vertices (0, ±1, ±φ), (±1, ±φ, 0), (±φ, 0, ±1), φ = (1+√5)/2:
 *   two-fold axes along x, y and z (so I contains T as oriented above), five-fold axes through those
 *   vertices, for instance along (0, 1, φ) in the yz plane. Ih: I plus the inversion.
 * - C∞: every rotation about the axis (default z). C∞v: plus every mirror plane containing the axis.
 *   C∞h: plus the mirror plane normal to the axis (hence the inversion). D∞: plus every two-fold axis normal
 *   to the axis. D∞h: D∞ plus the inversion.
 * - SO(3): every rotation. O(3): every rotation and the inversion.
 *
 * For T, Td, Th, O, Oh, I and Ih the orientation's axis and secondary say where z and x go.
 */
import { applyMatrix3, det3, identity3, matmul3, randomOrthogonal, randomRotation, transpose3, type Matrix3, type Rng } from "./rotation.js";
import { editDistance } from "../../util/edit-distance.js";

/** The catalogue's families; `n` in a name stands for the order of the principal axis. */
export type PointGroupFamily =
  | "C1" | "Ci" | "Cs" | "Cn" | "Cnv" | "Cnh" | "Dn" | "Dnh" | "Dnd" | "Sn"
  | "T" | "Td" | "Th" | "O" | "Oh" | "I" | "Ih"
  | "C∞" | "C∞v" | "C∞h" | "D∞" | "D∞h" | "SO(3)" | "O(3)";

/** What a family is, without any matrices: enough for a checker to validate names and orientations. */
export interface PointGroupFamilyInfo {
  family: PointGroupFamily;
  /** The name as written, `n` standing for the axis order (e.g. "Cnv"); ASCII aliases in `aliases`. */
  pattern: string;
  aliases: readonly string[];
  /** Smallest admissible n for the parametric families (Sn also needs n even); null for the others. */
  minN: number | null;
  continuous: boolean;
  /** Whether an orientation's `axis` / `secondary` changes the set of matrices. */
  usesAxis: boolean;
  usesSecondary: boolean;
  /** Group order as a function of n (Infinity for continuous groups). */
  order(n: number | null): number;
}

const axial = { usesAxis: true, usesSecondary: false } as const;
const framed = { usesAxis: true, usesSecondary: true } as const;
const free = { usesAxis: false, usesSecondary: false } as const;
const fixedOrder = (k: number) => () => k;

/** Every family of the catalogue, in the order error messages list them. */
export const POINT_GROUP_FAMILIES: readonly PointGroupFamilyInfo[] = [
  { family: "C1", pattern: "C1", aliases: [], minN: null, continuous: false, ...free, order: fixedOrder(1) },
  { family: "Ci", pattern: "Ci", aliases: ["S2"], minN: null, continuous: false, ...free, order: fixedOrder(2) },
  { family: "Cs", pattern: "Cs", aliases: ["C1h"], minN: null, continuous: false, ...axial, order: fixedOrder(2) },
  { family: "Cn", pattern: "Cn", aliases: [], minN: 2, continuous: false, ...axial, order: (n) => n! },
  { family: "Cnv", pattern: "Cnv", aliases: [], minN: 2, continuous: false, ...framed, order: (n) => 2 * n! },
  { family: "Cnh", pattern: "Cnh", aliases: [], minN: 2, continuous: false, ...axial, order: (n) => 2 * n! },
  { family: "Dn", pattern: "Dn", aliases: [], minN: 2, continuous: false, ...framed, order: (n) => 2 * n! },
  { family: "Dnh", pattern: "Dnh", aliases: [], minN: 2, continuous: false, ...framed, order: (n) => 4 * n! },
  { family: "Dnd", pattern: "Dnd", aliases: [], minN: 2, continuous: false, ...framed, order: (n) => 4 * n! },
  { family: "Sn", pattern: "Sn", aliases: [], minN: 4, continuous: false, ...axial, order: (n) => n! },
  { family: "T", pattern: "T", aliases: [], minN: null, continuous: false, ...framed, order: fixedOrder(12) },
  { family: "Td", pattern: "Td", aliases: [], minN: null, continuous: false, ...framed, order: fixedOrder(24) },
  { family: "Th", pattern: "Th", aliases: [], minN: null, continuous: false, ...framed, order: fixedOrder(24) },
  { family: "O", pattern: "O", aliases: [], minN: null, continuous: false, ...framed, order: fixedOrder(24) },
  { family: "Oh", pattern: "Oh", aliases: [], minN: null, continuous: false, ...framed, order: fixedOrder(48) },
  { family: "I", pattern: "I", aliases: [], minN: null, continuous: false, ...framed, order: fixedOrder(60) },
  { family: "Ih", pattern: "Ih", aliases: [], minN: null, continuous: false, ...framed, order: fixedOrder(120) },
  { family: "C∞", pattern: "C∞", aliases: ["Cinf"], minN: null, continuous: true, ...axial, order: fixedOrder(Infinity) },
  { family: "C∞v", pattern: "C∞v", aliases: ["Cinfv"], minN: null, continuous: true, ...axial, order: fixedOrder(Infinity) },
  { family: "C∞h", pattern: "C∞h", aliases: ["Cinfh"], minN: null, continuous: true, ...axial, order: fixedOrder(Infinity) },
  { family: "D∞", pattern: "D∞", aliases: ["Dinf"], minN: null, continuous: true, ...axial, order: fixedOrder(Infinity) },
  { family: "D∞h", pattern: "D∞h", aliases: ["Dinfh"], minN: null, continuous: true, ...axial, order: fixedOrder(Infinity) },
  { family: "SO(3)", pattern: "SO(3)", aliases: ["SO3"], minN: null, continuous: true, ...free, order: fixedOrder(Infinity) },
  { family: "O(3)", pattern: "O(3)", aliases: ["O3"], minN: null, continuous: true, ...free, order: fixedOrder(Infinity) },
];

/** The canonical names that take no n (every family except Cn, Cnv, Cnh, Dn, Dnh, Dnd and Sn). */
export const POINT_GROUP_NAMES: readonly string[] = POINT_GROUP_FAMILIES.filter((f) => f.minN === null).map((f) => f.pattern);

/** Largest axis order a name may carry; finite groups are built by closure, which is quadratic in the order. */
export const MAX_AXIS_ORDER = 1000;

const familyInfo = new Map(POINT_GROUP_FAMILIES.map((f) => [f.family, f]));

/** The result of {@link parsePointGroupName}. */
export interface ParsedPointGroupName {
  /** Schoenflies name with ∞ and parentheses: "C3v", "S4", "C∞v", "SO(3)". */
  canonical: string;
  family: PointGroupFamily;
  /** The subscript of a parametric family (C3v → 3, S4 → 4, D6h → 6); null for the other families. */
  n: number | null;
  info: PointGroupFamilyInfo;
}

/**
 * Aliases with subscript 1 are accepted only when they denote the same matrices as the canonical group under
 * every orientation (C1h = Cs, S2 = Ci); the others name a group whose axes sit differently (D1 has its
 * two-fold axis normal to the principal axis, C2 along it), so they are rejected with a hint instead.
 */
const REJECTED_ALIASES: Record<string, string> = {
  C1v: "C1v is Cs with its mirror plane containing the principal axis: write Cs with axis = the mirror normal",
  D1: "D1 is C2 with its two-fold axis normal to the principal axis: write C2 with axis = the two-fold axis",
  D1h: "D1h is C2v with its two-fold axis normal to the principal axis: write C2v with axis = the two-fold axis",
  D1d: "D1d is C2h with its two-fold axis normal to the principal axis: write C2h with axis = the two-fold axis",
};

const PARAMETRIC = /^([CDS])([1-9][0-9]*)([vhd]?)$/;

/**
 * Validates a Schoenflies name and returns its canonical spelling, family and n, building no matrices.
 * Accepted: C1, Ci (alias S2), Cs (alias C1h), Cn, Cnv, Cnh, Dn, Dnh, Dnd (n >= 2), Sn (n even >= 4),
 * T, Td, Th, O, Oh, I, Ih, C∞, C∞v, C∞h, D∞, D∞h, SO(3), O(3), with the ASCII spellings Cinf, Cinfv, Cinfh,
 * Dinf, Dinfh, SO3, O3. Letters are case-sensitive as in Schoenflies (C, D, S, T, O, I upper; v, h, d lower);
 * n is at most {@link MAX_AXIS_ORDER}. Throws with a suggestion for anything else.
 */
export function parsePointGroupName(name: string): ParsedPointGroupName {
  const hit = (family: PointGroupFamily, n: number | null = null): ParsedPointGroupName => {
    const info = familyInfo.get(family)!;
    const canonical = n === null ? info.pattern : info.pattern.replace("n", String(n));
    return { canonical, family, n, info };
  };
  for (const f of POINT_GROUP_FAMILIES) if (f.minN === null && (f.pattern === name || f.aliases.includes(name))) return hit(f.family);
  const reject = REJECTED_ALIASES[name];
  if (reject !== undefined) throw new Error(`point group '${name}' is not accepted: ${reject}`);
  const m = PARAMETRIC.exec(name);
  if (m) {
    const [, letter, digits, suffix] = m as unknown as [string, "C" | "D" | "S", string, "" | "v" | "h" | "d"];
    const n = Number(digits);
    if (n > MAX_AXIS_ORDER) throw new Error(`point group '${name}': the axis order ${digits} is larger than the supported ${MAX_AXIS_ORDER}`);
    if (letter === "S" && suffix === "") {
      if (n % 2 === 1) throw new Error(`point group '${name}': S_n needs even n (${name} is ${n === 1 ? "Cs" : `C${n}h`})`);
      return n === 2 ? hit("Ci") : hit("Sn", n);
    }
    if (letter === "C" && suffix !== "d") {
      if (n === 1) return suffix === "" ? hit("C1") : hit("Cs"); // C1v was rejected above
      return hit(suffix === "" ? "Cn" : suffix === "v" ? "Cnv" : "Cnh", n);
    }
    if (letter === "D" && suffix !== "v") return hit(suffix === "" ? "Dn" : suffix === "h" ? "Dnh" : "Dnd", n);
  }
  const guess = suggestName(name);
  throw new Error(
    guess !== null
      ? `unknown point group '${name}'; did you mean ${guess}?`
      : `unknown point group '${name}'; expected one of ${catalogueSummary()}`,
  );
}

/** One line listing the catalogue, for error messages and help texts. */
export function catalogueSummary(): string {
  return "C1, Ci, Cs, Cn, Cnv, Cnh, Dn, Dnh, Dnd (n >= 2), Sn (even n >= 4), T, Td, Th, O, Oh, I, Ih, " +
    "C∞ (Cinf), C∞v (Cinfv), C∞h (Cinfh), D∞ (Dinf), D∞h (Dinfh), SO(3) (SO3), O(3) (O3)";
}

function suggestName(name: string): string | null {
  const digits = /[0-9]+/.exec(name)?.[0];
  const n = digits === undefined ? NaN : Number(digits);
  const ns = n >= 2 && n <= MAX_AXIS_ORDER ? [n] : [2, 3, 4, 6];
  const candidates: string[] = [];
  for (const f of POINT_GROUP_FAMILIES) {
    if (f.minN === null) candidates.push(f.pattern, ...f.aliases);
    else for (const k of ns) if (k >= f.minN && (f.family !== "Sn" || k % 2 === 0)) candidates.push(f.pattern.replace("n", String(k)));
  }
  const lower = name.toLowerCase();
  let best: string | null = null, bestKey: number[] = [];
  for (const c of candidates) {
    // Case-insensitive distance first, so a wrongly cased name ("c2v") finds its group.
    const key = [editDistance(lower, c.toLowerCase()), editDistance(name, c), Math.abs(c.length - name.length)];
    if (best === null || lexLess(key, bestKey)) [best, bestKey] = [c, key];
  }
  const limit = Math.max(1, Math.floor(name.length / 2));
  return best !== null && bestKey[0]! <= limit ? best : null;
}

function lexLess(a: number[], b: number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return false;
}

/**
 * Where the group sits. The group is rotated by the proper rotation Q taking z to `axis` and x to
 * `secondary` (elements become Q g Qᵀ). Both vectors are normalised; `secondary` must be perpendicular to
 * `axis` within 1e-6 (it is then made exactly perpendicular). Without `secondary`, x is carried along by the
 * shortest rotation taking z to `axis` (by the half-turn about x when `axis` is -z). Both are always
 * validated, then ignored by the groups they cannot change (see {@link PointGroupFamilyInfo.usesSecondary}):
 * a full frame can be passed to any group.
 */
export interface PointGroupOrientation {
  axis?: ArrayLike<number>;
  secondary?: ArrayLike<number>;
}

/**
 * A point group with its matrices. Finite groups list their elements; continuous ones are the closure of
 * `generators` together with the rotations described by `continuousRotations`.
 */
export interface PointGroup {
  /** Canonical Schoenflies name ("D4h", "C∞v", "SO(3)"). */
  readonly name: string;
  readonly family: PointGroupFamily;
  readonly n: number | null;
  /** Number of elements; Infinity for the continuous groups. */
  readonly order: number;
  readonly continuous: boolean;
  /**
   * Finite generators. For a finite group they generate it; for a continuous one they generate, together
   * with the continuous rotations, the whole group (e.g. C∞v: the one mirror with normal Q·y; C∞: none).
   */
  readonly generators: readonly Matrix3[];
  /** "none" (finite), "axial" (every rotation about `continuousAxis`) or "all" (every rotation: SO(3), O(3)). */
  readonly continuousRotations: "none" | "axial" | "all";
  readonly continuousAxis: Float64Array | null;
  /** The effective unit principal axis (mirror normal for Cs; image of z for the cubic and icosahedral groups); null when it has none. */
  readonly axis: Float64Array | null;
  /** The effective unit secondary direction (image of x) for the groups it affects, else null. */
  readonly secondary: Float64Array | null;
  /** Q: the proper rotation from the default orientation to this one. */
  readonly orientation: Matrix3;
  /** Every element (copies), the identity first; throws for continuous groups. */
  elements(): Matrix3[];
  /** Whether an orthogonal matrix belongs to the group, to `tol` per entry. */
  contains(matrix: ArrayLike<number>, tol?: number): boolean;
  /** A Haar-random element (uniform over finite groups). */
  randomElement(rng?: Rng): Matrix3;
  /**
   * A finite subgroup with exactly the same fixed vectors in every irrep of degree l <= lmax: the group
   * itself when finite; for C∞, C∞v, C∞h, D∞, D∞h the same group with the rotations about the axis cut down
   * to multiples of 2π/N, N = max(2, lmax + 1) (Cn, Cnv, Cnh, Dn, Dnh). This works because a rotation by θ
   * about the axis acts on the m-th component about it as e^{imθ}, which is 1 for |m| <= lmax < N only when
   * m = 0. Throws for SO(3) and O(3), which no finite group can stand in for at every lmax.
   */
  finiteProxy(lmax: number): PointGroup;
}

/** Builds a group of the catalogue by name (see the module comment for the default orientations). */
export function pointGroup(name: string, orientation: PointGroupOrientation = {}): PointGroup {
  const parsed = parsePointGroupName(name);
  return buildGroup(parsed.family, parsed.n, resolveFrame(parsed.canonical, orientation));
}

interface Frame {
  q: Matrix3;
  axis: Float64Array;
  secondary: Float64Array;
}

function unitVector(v: ArrayLike<number>, what: string, group: string): Float64Array {
  const a = Array.from(v);
  if (a.length !== 3 || !a.every(Number.isFinite)) throw new Error(`point group ${group}: the orientation ${what} must be 3 finite numbers, got [${a.join(", ")}]`);
  const n = Math.hypot(a[0]!, a[1]!, a[2]!);
  if (!(n > 1e-12)) throw new Error(`point group ${group}: the orientation ${what} must be a non-zero vector, got [${a.join(", ")}]`);
  return Float64Array.from(a, (x) => x / n);
}

function cross(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  return Float64Array.of(a[1]! * b[2]! - a[2]! * b[1]!, a[2]! * b[0]! - a[0]! * b[2]!, a[0]! * b[1]! - a[1]! * b[0]!);
}

function resolveFrame(group: string, o: PointGroupOrientation): Frame {
  const axis = o.axis === undefined ? Float64Array.of(0, 0, 1) : unitVector(o.axis, "axis", group);
  let secondary: Float64Array;
  if (o.secondary !== undefined) {
    const s = unitVector(o.secondary, "secondary", group);
    const c = s[0]! * axis[0]! + s[1]! * axis[1]! + s[2]! * axis[2]!;
    if (Math.abs(c) > 1e-6) {
      throw new Error(
        `point group ${group}: the secondary direction [${Array.from(o.secondary).join(", ")}] is not perpendicular to the axis ` +
          `[${Array.from(axis, (x) => +x.toFixed(6)).join(", ")}] (cos of the angle = ${c.toPrecision(3)}; need |cos| <= 1e-6)`,
      );
    }
    secondary = unitVector(s.map((x, i) => x - c * axis[i]!), "secondary", group);
  } else {
    secondary = shortestRotationImageOfX(axis);
  }
  const y = cross(axis, secondary);
  // Columns (secondary, axis × secondary, axis): x → secondary, y → axis × secondary, z → axis.
  const q = Float64Array.of(secondary[0]!, y[0]!, axis[0]!, secondary[1]!, y[1]!, axis[1]!, secondary[2]!, y[2]!, axis[2]!);
  return { q, axis, secondary };
}

/**
 * x carried by the shortest rotation taking z to the unit vector a: (1 - ax² f, -ax ay f, -ax) with
 * f = 1/(1 + az). For az < 0 the equal form f = (1 - az)/(ax² + ay²) avoids the cancellation in 1 + az.
 */
function shortestRotationImageOfX(a: Float64Array): Float64Array {
  const [ax, ay, az] = [a[0]!, a[1]!, a[2]!];
  const s2 = ax * ax + ay * ay;
  if (s2 === 0) return Float64Array.of(1, 0, 0);
  const f = az >= 0 ? 1 / (1 + az) : (1 - az) / s2;
  const v = Float64Array.of(1 - ax * ax * f, -ax * ay * f, -ax);
  const c = v[0]! * ax + v[1]! * ay + v[2]! * az;
  const w = v.map((x, i) => x - c * a[i]!);
  const n = Math.hypot(w[0]!, w[1]!, w[2]!);
  return w.map((x) => x / n);
}

const diag = (a: number, b: number, c: number): Matrix3 => Float64Array.of(a, 0, 0, 0, b, 0, 0, 0, c);
const INVERSION = diag(-1, -1, -1);
const MIRROR_Z = diag(1, 1, -1); // the xy plane
const MIRROR_Y = diag(1, -1, 1); // the xz plane
const HALF_TURN_X = diag(1, -1, -1);
const HALF_TURN_Z = diag(-1, -1, 1);
const THIRD_TURN_111 = Float64Array.of(0, 0, 1, 1, 0, 0, 0, 1, 0); // (x, y, z) → (z, x, y)
const MIRROR_X_EQ_Y = Float64Array.of(0, 1, 0, 1, 0, 0, 0, 0, 1);

/** Rotation by 2π/n about z, exact for the half and quarter turns so the cubic groups stay exact. */
function turnZ(n: number): Matrix3 {
  const [c, s] = n === 1 ? [1, 0] : n === 2 ? [-1, 0] : n === 4 ? [0, 1] : [Math.cos((2 * Math.PI) / n), Math.sin((2 * Math.PI) / n)];
  return Float64Array.of(c, -s, 0, s, c, 0, 0, 0, 1);
}

function rotateAbout(axis: readonly number[], angle: number): Matrix3 {
  const n = Math.hypot(...axis);
  const [x, y, z] = axis.map((v) => v / n) as [number, number, number];
  const c = Math.cos(angle), s = Math.sin(angle), t = 1 - c;
  return Float64Array.of(
    t * x * x + c, t * x * y - s * z, t * x * z + s * y,
    t * x * y + s * z, t * y * y + c, t * y * z - s * x,
    t * x * z - s * y, t * y * z + s * x, t * z * z + c,
  );
}

const PHI = (1 + Math.sqrt(5)) / 2;
const TETRAHEDRAL = [HALF_TURN_Z, HALF_TURN_X, THIRD_TURN_111];
const OCTAHEDRAL = [turnZ(4), THIRD_TURN_111];
const ICOSAHEDRAL = [...TETRAHEDRAL, rotateAbout([0, 1, PHI], (2 * Math.PI) / 5)];

/** Generators in the default orientation; for continuous groups only the discrete part. */
function defaultGenerators(family: PointGroupFamily, n: number | null): Matrix3[] {
  const k = n ?? 1;
  switch (family) {
    case "C1": case "C∞": case "SO(3)": return [];
    case "Ci": case "O(3)": return [INVERSION];
    case "Cs": case "C∞h": return [MIRROR_Z];
    case "Cn": return [turnZ(k)];
    case "Cnv": return [turnZ(k), MIRROR_Y];
    case "Cnh": return [turnZ(k), MIRROR_Z];
    case "Dn": return [turnZ(k), HALF_TURN_X];
    case "Dnh": return [turnZ(k), HALF_TURN_X, MIRROR_Z];
    case "Dnd": return [matmul3(MIRROR_Z, turnZ(2 * k)), HALF_TURN_X];
    case "Sn": return [matmul3(MIRROR_Z, turnZ(k))];
    case "T": return TETRAHEDRAL;
    case "Td": return [...TETRAHEDRAL, MIRROR_X_EQ_Y];
    case "Th": return [...TETRAHEDRAL, INVERSION];
    case "O": return OCTAHEDRAL;
    case "Oh": return [...OCTAHEDRAL, INVERSION];
    case "I": return ICOSAHEDRAL;
    case "Ih": return [...ICOSAHEDRAL, INVERSION];
    case "C∞v": return [MIRROR_Y];
    case "D∞": return [HALF_TURN_X];
    case "D∞h": return [HALF_TURN_X, INVERSION];
  }
}

const AXIAL_PROXY: Partial<Record<PointGroupFamily, PointGroupFamily>> = { "C∞": "Cn", "C∞v": "Cnv", "C∞h": "Cnh", "D∞": "Dn", "D∞h": "Dnh" };

function maxAbsDiff9(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < 9; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

function isOrthogonal(m: ArrayLike<number>, tol: number): boolean {
  if (m.length !== 9) return false;
  return maxAbsDiff9(matmul3(transpose3(m), m), identity3()) <= tol;
}

/** Breadth-first closure under left multiplication; duplicates are matrices within 1e-8 of a known one. */
function closure(generators: readonly Matrix3[], expectedOrder: number, name: string): Matrix3[] {
  const out = [identity3()];
  for (let i = 0; i < out.length; i++)
    for (const g of generators) {
      const h = matmul3(g, out[i]!);
      if (out.some((e) => maxAbsDiff9(e, h) < 1e-8)) continue;
      out.push(h);
      if (out.length > expectedOrder) throw new Error(`point group ${name}: the generators close to more than ${expectedOrder} elements`);
    }
  if (out.length !== expectedOrder) throw new Error(`point group ${name}: the generators close to ${out.length} elements, expected ${expectedOrder}`);
  return out;
}

function buildGroup(family: PointGroupFamily, n: number | null, frame: Frame): PointGroup {
  const info = familyInfo.get(family)!;
  const name = n === null ? info.pattern : info.pattern.replace("n", String(n));
  const isDefault = maxAbsDiff9(frame.q, identity3()) === 0;
  const place = (g: Matrix3): Matrix3 => (isDefault ? Float64Array.from(g) : matmul3(matmul3(frame.q, g), transpose3(frame.q)));
  const generators = defaultGenerators(family, n).map(place);
  const continuousRotations = !info.continuous ? "none" : info.usesAxis ? "axial" : "all";
  const order = info.order(n);
  // The discrete generators of the axial groups are commuting involutions: they close to 2^k coset representatives.
  const discreteOrder = continuousRotations === "axial" ? 2 ** generators.length : order;
  let cache: Matrix3[] | null = null;
  const discrete = (): Matrix3[] => (cache ??= continuousRotations === "all" ? [] : closure(generators, discreteOrder, name));

  const group: PointGroup = {
    name,
    family,
    n,
    order,
    continuous: info.continuous,
    generators,
    continuousRotations,
    continuousAxis: continuousRotations === "axial" ? Float64Array.from(frame.axis) : null,
    axis: info.usesAxis ? Float64Array.from(frame.axis) : null,
    secondary: info.usesSecondary ? Float64Array.from(frame.secondary) : null,
    orientation: Float64Array.from(frame.q),
    elements() {
      if (info.continuous) throw new Error(`point group ${name} is continuous: it has no list of elements (use randomElement or finiteProxy)`);
      return discrete().map((g) => Float64Array.from(g));
    },
    contains(matrix, tol = 1e-8) {
      if (!isOrthogonal(matrix, Math.max(tol, 1e-12))) return false;
      if (continuousRotations === "all") return family === "O(3)" || det3(matrix) > 0;
      if (continuousRotations === "none") return discrete().some((g) => maxAbsDiff9(g, matrix) <= tol);
      // matrix = R c with c a coset representative and R a proper rotation, which must fix the axis.
      return discrete().some((c) => {
        const r = matmul3(matrix, transpose3(c));
        const ra = applyMatrix3(r, frame.axis);
        return det3(r) > 0 && Math.max(...ra.map((v, i) => Math.abs(v - frame.axis[i]!))) <= tol;
      });
    },
    randomElement(rng = Math.random) {
      if (continuousRotations === "all") return family === "O(3)" ? randomOrthogonal(rng) : randomRotation(rng);
      const reps = discrete();
      const c = reps[Math.min(reps.length - 1, Math.floor(rng() * reps.length))]!;
      return continuousRotations === "none" ? Float64Array.from(c) : matmul3(rotateAbout(Array.from(frame.axis), 2 * Math.PI * rng()), c);
    },
    finiteProxy(lmax) {
      if (!Number.isInteger(lmax) || lmax < 0) throw new Error(`${name}.finiteProxy: lmax must be a non-negative integer, got ${lmax}`);
      if (continuousRotations === "none") return group;
      const proxy = AXIAL_PROXY[family];
      if (proxy === undefined) throw new Error(`${name} has no finite proxy: every finite subgroup of it has extra invariants at some degree`);
      return buildGroup(proxy, Math.max(2, lmax + 1), frame);
    },
  };
  return group;
}
