/**
 * Graphs of periodic systems (crystals, slabs): radius and knn graphs in which a node's neighbours include
 * the periodic images of every node, itself included. An edge src -> dst then carries a shift, the
 * Cartesian vector that makes its edge vector
 *
 *   pos[dst] - pos[src] + shift      (shift = -(n_a a + n_b b + n_c c), the source image's translation)
 *
 * Both graphs are the non-periodic ones (neighbors.ts) on the nodes plus enough of their images: an image
 * translated by m = (m_a, m_b, m_c) lattice vectors can lie within a distance R of a node only if
 * |m_a| <= span_a + R / h_a, with h_a the spacing of the lattice planes normal to axis a and span_a the
 * extent of the fractional coordinates along it, so those ranges are exact.
 */
import { knnGraph, radiusGraph, type EdgeList } from "./neighbors.js";

export interface Cell {
  /** The lattice vectors a, b, c as rows (ASE's `cell`), 9 numbers. */
  vectors: ArrayLike<number>;
  /** Which axes are periodic (default all three). */
  pbc?: ArrayLike<boolean>;
}

export interface PeriodicEdges extends EdgeList {
  /** (edges, 3): added to pos[dst] - pos[src] to get the edge vector. */
  shift: Float64Array;
}

/** More points than this in the node-plus-images set means a cell far smaller than the radius. */
const MAX_IMAGE_POINTS = 4_000_000;

function det3(m: ArrayLike<number>): number {
  return m[0]! * (m[4]! * m[8]! - m[5]! * m[7]!) - m[1]! * (m[3]! * m[8]! - m[5]! * m[6]!) + m[2]! * (m[3]! * m[7]! - m[4]! * m[6]!);
}

/** Checks a cell; returns its vectors, periodic axes, inverse (for fractional coordinates) and plane spacings. */
export function checkCell(cell: Cell, where = "cell"): { v: Float64Array; pbc: boolean[]; inv: Float64Array; spacing: number[] } {
  if (cell == null || typeof cell !== "object" || cell.vectors == null || typeof cell.vectors.length !== "number") throw new RangeError(`${where}: expected { vectors: 9 numbers, pbc?: 3 booleans }`);
  if (cell.vectors.length !== 9) throw new RangeError(`${where}.vectors: expected 9 numbers (the lattice vectors a, b, c as rows), got ${cell.vectors.length}`);
  const v = Float64Array.from(cell.vectors);
  if (!v.every(Number.isFinite)) throw new RangeError(`${where}.vectors: not all finite numbers`);
  const pbcIn = cell.pbc ?? [true, true, true];
  if (pbcIn.length !== 3 || ![0, 1, 2].every((i) => typeof pbcIn[i] === "boolean")) throw new RangeError(`${where}.pbc: expected 3 booleans`);
  const pbc = [0, 1, 2].map((i) => pbcIn[i]!);
  const d = det3(v);
  const scale = Math.max(...v.map(Math.abs));
  if (!(Math.abs(d) > 1e-12 * scale ** 3)) throw new RangeError(`${where}.vectors: the lattice vectors are not independent (zero volume)`);
  // inv = v^-1 (adjugate / det); fractional coordinates of x are x · inv.
  const inv = new Float64Array([
    v[4]! * v[8]! - v[5]! * v[7]!, v[2]! * v[7]! - v[1]! * v[8]!, v[1]! * v[5]! - v[2]! * v[4]!,
    v[5]! * v[6]! - v[3]! * v[8]!, v[0]! * v[8]! - v[2]! * v[6]!, v[2]! * v[3]! - v[0]! * v[5]!,
    v[3]! * v[7]! - v[4]! * v[6]!, v[1]! * v[6]! - v[0]! * v[7]!, v[0]! * v[4]! - v[1]! * v[3]!,
  ]).map((x) => x / d);
  // Plane spacing normal to axis a: volume / |b x c| = 1 / |column a of inv|.
  const spacing = [0, 1, 2].map((a) => 1 / Math.hypot(inv[a]!, inv[3 + a]!, inv[6 + a]!));
  return { v, pbc, inv, spacing };
}

interface Images {
  pos: Float64Array;
  /** The node each point is an image of. */
  node: Uint32Array;
  /** The translation of each point (3 per point); the nodes themselves come first, untranslated. */
  translation: Float64Array;
}

function images(pos: Float64Array, cell: ReturnType<typeof checkCell>, reach: number): Images {
  const n = pos.length / 3;
  const ranges = [0, 1, 2].map((a) => {
    if (!cell.pbc[a] || n === 0) return 0;
    let lo = Infinity, hi = -Infinity;
    for (let i = 0; i < n; i++) {
      const f = pos[3 * i]! * cell.inv[a]! + pos[3 * i + 1]! * cell.inv[3 + a]! + pos[3 * i + 2]! * cell.inv[6 + a]!;
      lo = Math.min(lo, f);
      hi = Math.max(hi, f);
    }
    return Math.floor(hi - lo + reach / cell.spacing[a]!) + 1;
  });
  const count = n * ranges.reduce((s, r) => s * (2 * r + 1), 1);
  if (!(count <= MAX_IMAGE_POINTS)) {
    throw new RangeError(`the cell is too small for a neighbour distance of ${reach}: ${count} periodic images would be needed`);
  }
  const shifts: number[][] = [[0, 0, 0]];
  for (let i = -ranges[0]!; i <= ranges[0]!; i++)
    for (let j = -ranges[1]!; j <= ranges[1]!; j++)
      for (let k = -ranges[2]!; k <= ranges[2]!; k++) if (i || j || k) shifts.push([i, j, k]);
  const out: Images = { pos: new Float64Array(3 * count), node: new Uint32Array(count), translation: new Float64Array(3 * count) };
  let p = 0;
  for (const [i, j, k] of shifts) {
    const t = [0, 1, 2].map((c) => i! * cell.v[c]! + j! * cell.v[3 + c]! + k! * cell.v[6 + c]!);
    for (let a = 0; a < n; a++, p++) {
      out.node[p] = a;
      for (let c = 0; c < 3; c++) {
        out.pos[3 * p + c] = pos[3 * a + c]! + t[c]!;
        out.translation[3 * p + c] = t[c]!;
      }
    }
  }
  return out;
}

/** Keeps the edges into the nodes themselves, as node indices with shifts, sorted by dst, src, then shift. */
function toNodes(g: EdgeList, img: Images, n: number): PeriodicEdges {
  const keep: number[] = [];
  for (let e = 0; e < g.src.length; e++) if (g.dst[e]! < n) keep.push(e);
  const shiftOf = (e: number, c: number) => -img.translation[3 * g.src[e]! + c]!;
  keep.sort((x, y) => g.dst[x]! - g.dst[y]! || img.node[g.src[x]!]! - img.node[g.src[y]!]! || shiftOf(x, 0) - shiftOf(y, 0) || shiftOf(x, 1) - shiftOf(y, 1) || shiftOf(x, 2) - shiftOf(y, 2));
  const out: PeriodicEdges = { src: new Uint32Array(keep.length), dst: new Uint32Array(keep.length), shift: new Float64Array(3 * keep.length) };
  keep.forEach((e, i) => {
    out.src[i] = img.node[g.src[e]!]!;
    out.dst[i] = g.dst[e]!;
    for (let c = 0; c < 3; c++) out.shift[3 * i + c] = shiftOf(e, c);
  });
  return out;
}

/**
 * The periodic radius graph: an edge from every image of every node (the node itself excepted) strictly
 * closer than `radius`, with at most `maxNeighbors` nearest sources per node when given.
 */
export function periodicRadiusGraph(pos: ArrayLike<number>, cell: Cell, radius: number, options: { maxNeighbors?: number } = {}): PeriodicEdges {
  const p = Float64Array.from(pos);
  const img = images(p, checkCell(cell), radius);
  return toNodes(radiusGraph(img.pos, radius, options), img, p.length / 3);
}

/** The periodic knn graph: each node's k nearest images of any node (itself excepted; ties by lower index). */
export function periodicKnnGraph(pos: ArrayLike<number>, cell: Cell, k: number): PeriodicEdges {
  const p = Float64Array.from(pos);
  const c = checkCell(cell);
  const n = p.length / 3;
  if (n === 0 || k === 0) return { src: new Uint32Array(0), dst: new Uint32Array(0), shift: new Float64Array(0) };
  // Grow the reach until every node's k-th neighbour lies strictly inside it: then no image outside the set
  // can be nearer.
  let reach = Math.min(...c.spacing);
  for (;;) {
    const img = images(p, c, reach);
    const g = knnGraph(img.pos, k);
    const edges = toNodes(g, img, n);
    let far = 0;
    for (let e = 0; e < edges.src.length; e++) {
      const s = 3 * edges.src[e]!, d = 3 * edges.dst[e]!;
      far = Math.max(far, Math.hypot(p[d]! - p[s]! + edges.shift[3 * e]!, p[d + 1]! - p[s + 1]! + edges.shift[3 * e + 1]!, p[d + 2]! - p[s + 2]! + edges.shift[3 * e + 2]!));
    }
    const complete = edges.src.length === n * k || !c.pbc.some(Boolean);
    if (complete && far < reach) return edges;
    reach *= 2;
  }
}
