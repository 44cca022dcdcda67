/**
 * Building the edges of one graph from its node positions: radius graphs, k-nearest-neighbour graphs and
 * complete graphs. Every builder returns its edges sorted by destination, then source (the order
 * {@link GraphBatch} requires), as an edge src -> dst per incoming neighbour src of node dst.
 *
 * Distances are compared as squared distances computed in float64 exactly as
 * `dx*dx + dy*dy + dz*dz` with `dx = pos[dst].x - pos[src].x` (and so on), never through a square root:
 * "closer than r" means that expression is `< r*r`. Ties in distance go to the lower source index. The
 * results are therefore a pure function of the input, whatever the search structure.
 */
import { CellGrid } from "./cell-grid.js";
import { KdTree } from "./kd-tree.js";

/** Directed edges src -> dst, sorted by dst, then src. */
export interface EdgeList {
  src: Uint32Array;
  dst: Uint32Array;
}

export interface RadiusGraphOptions {
  /**
   * Keep, for each destination, only this many sources: the nearest ones, ties by lower source index.
   * A self loop (with `selfLoops`) does not count towards it. Default: no limit.
   */
  maxNeighbors?: number | null;
  /** Add an edge i -> i for every node. Default false. */
  selfLoops?: boolean;
  /** Stop with {@link EdgeLimitError} once the graph has more edges than this (a size budget). Default: none. */
  maxEdges?: number;
}

/** A graph outgrew the edge count its caller could use; `edges` is how many it had when building stopped. */
export class EdgeLimitError extends RangeError {
  constructor(readonly edges: number, readonly limit: number) {
    super(`the graph has more than ${limit} edges (at least ${edges})`);
    this.name = "EdgeLimitError";
  }
}

/** Largest edge count a Uint32 edge index can address. */
const MAX_EDGES = 0xffffffff;

/** Collects edges, growing its arrays by doubling. */
class EdgeBuffer {
  private src: Uint32Array;
  private dst: Uint32Array;
  length = 0;

  constructor(capacity: number, private readonly limit = Infinity) {
    const initial = Math.max(16, Math.min(capacity, 1 << 24));
    this.src = new Uint32Array(initial);
    this.dst = new Uint32Array(initial);
  }

  /** Appends edges sources[0 .. count-1] -> dst. */
  pushAll(sources: Uint32Array, count: number, dst: number): void {
    const needed = this.length + count;
    if (needed > this.limit) throw new EdgeLimitError(needed, this.limit);
    if (needed > this.src.length) {
      if (needed > MAX_EDGES) throw new RangeError(`the graph has more than ${MAX_EDGES} edges`);
      const capacity = Math.min(MAX_EDGES, Math.max(needed, 2 * this.src.length));
      const src = new Uint32Array(capacity);
      const dstArray = new Uint32Array(capacity);
      src.set(this.src.subarray(0, this.length));
      dstArray.set(this.dst.subarray(0, this.length));
      this.src = src;
      this.dst = dstArray;
    }
    this.src.set(sources.subarray(0, count), this.length);
    this.dst.fill(dst, this.length, needed);
    this.length = needed;
  }

  finish(): EdgeList {
    return { src: this.src.slice(0, this.length), dst: this.dst.slice(0, this.length) };
  }
}

/** Checks positions (3 finite numbers per node) and returns them as a Float64Array (the input if it is one). */
function checkPositions(pos: ArrayLike<number>): Float64Array {
  if (pos.length % 3 !== 0) throw new RangeError(`pos: expected 3 numbers per node, got ${pos.length} numbers`);
  for (let i = 0; i < pos.length; i++) {
    const v = pos[i];
    if (typeof v !== "number" || !Number.isFinite(v)) throw new RangeError(`pos[${i}]: not a finite number`);
  }
  return pos instanceof Float64Array ? pos : Float64Array.from(pos);
}

function checkCountOption(value: number, name: string): void {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer, got ${String(value)}`);
}

/** Sorts ids[0 .. count-1] ascending. */
function sortIds(ids: Uint32Array, count: number): void {
  if (count > 32) {
    ids.subarray(0, count).sort();
    return;
  }
  for (let i = 1; i < count; i++) {
    const v = ids[i];
    let j = i - 1;
    while (j >= 0 && ids[j] > v) {
      ids[j + 1] = ids[j];
      j--;
    }
    ids[j + 1] = v;
  }
}

/**
 * Reorders the pairs (d2[i], ids[i]), i < count, by squared distance, then id (so that the first m are the m
 * nearest, ties to the lower index).
 */
function sortByDistance(d2: Float64Array, ids: Uint32Array, count: number): void {
  if (count > 32) {
    const order = Array.from({ length: count }, (_, i) => i).sort((a, b) => d2[a] - d2[b] || ids[a] - ids[b]);
    const d = order.map((i) => d2[i]);
    const s = order.map((i) => ids[i]);
    for (let i = 0; i < count; i++) {
      d2[i] = d[i];
      ids[i] = s[i];
    }
    return;
  }
  for (let i = 1; i < count; i++) {
    const dv = d2[i], iv = ids[i];
    let j = i - 1;
    while (j >= 0 && (d2[j] > dv || (d2[j] === dv && ids[j] > iv))) {
      d2[j + 1] = d2[j];
      ids[j + 1] = ids[j];
      j--;
    }
    d2[j + 1] = dv;
    ids[j + 1] = iv;
  }
}

/**
 * The radius graph of one point set: an edge src -> dst for every ordered pair of distinct nodes with
 * |pos[dst] - pos[src]| < radius, strictly (a pair exactly `radius` apart is not connected), as a squared
 * float64 comparison (see the module comment). With `maxNeighbors`, each node keeps only its nearest sources.
 *
 * Uses a uniform cell grid with cells one radius wide (widened by 2^-40 relative, plus a bound on rounding
 * in the cell assignment, so that rounding can never hide a neighbour two cells away): O(N + E) for evenly
 * spread points. Only occupied cells are stored when the points are clustered or far apart.
 *
 * @param pos coordinates, 3 per node
 * @param radius finite and positive
 */
export function radiusGraph(pos: ArrayLike<number>, radius: number, options: RadiusGraphOptions = {}): EdgeList {
  const p = checkPositions(pos);
  if (typeof radius !== "number" || !Number.isFinite(radius) || !(radius > 0)) {
    throw new RangeError(`radius must be a finite positive number, got ${String(radius)}`);
  }
  const maxNeighbors = options.maxNeighbors ?? Infinity;
  if (maxNeighbors !== Infinity) checkCountOption(maxNeighbors, "maxNeighbors");
  const selfLoops = options.selfLoops ?? false;
  const n = p.length / 3;
  const r2 = radius * radius;

  // Rounding in the cell assignment is bounded by a few ulps of the coordinates' span; pad the cells by that.
  let span = 0;
  for (let i = 0; i < p.length; i++) span = Math.max(span, Math.abs(p[i]));
  const cellSize = radius * (1 + 2 ** -40) + 64 * Number.EPSILON * radius + 128 * Number.EPSILON * span;
  const grid = new CellGrid(p, cellSize);
  const { order, sortedPos, cellStart, pointCell } = grid;

  const edges = new EdgeBuffer(n * 16, options.maxEdges ?? Infinity);
  let candIds = new Uint32Array(64);
  let candD2 = new Float64Array(64);
  for (let dst = 0; dst < n; dst++) {
    const x = p[3 * dst], y = p[3 * dst + 1], z = p[3 * dst + 2];
    const cx = pointCell[3 * dst], cy = pointCell[3 * dst + 1], cz = pointCell[3 * dst + 2];
    let count = 0;
    for (let a = -1; a <= 1; a++) {
      for (let b = -1; b <= 1; b++) {
        for (let c = -1; c <= 1; c++) {
          const cell = grid.cellId(cx + a, cy + b, cz + c);
          if (cell < 0) continue;
          const end = cellStart[cell + 1];
          for (let t = cellStart[cell]; t < end; t++) {
            const dx = x - sortedPos[3 * t];
            const dy = y - sortedPos[3 * t + 1];
            const dz = z - sortedPos[3 * t + 2];
            const d2 = dx * dx + dy * dy + dz * dz;
            if (!(d2 < r2)) continue;
            const src = order[t];
            if (src === dst) continue;
            if (count === candIds.length) {
              const ids = new Uint32Array(2 * count);
              const ds = new Float64Array(2 * count);
              ids.set(candIds);
              ds.set(candD2);
              candIds = ids;
              candD2 = ds;
            }
            candIds[count] = src;
            candD2[count] = d2;
            count++;
          }
        }
      }
    }
    if (count > maxNeighbors) {
      sortByDistance(candD2, candIds, count);
      count = maxNeighbors;
    }
    if (selfLoops) {
      if (count === candIds.length) {
        const ids = new Uint32Array(2 * count + 1);
        ids.set(candIds);
        candIds = ids;
      }
      candIds[count++] = dst;
    }
    sortIds(candIds, count);
    edges.pushAll(candIds, count, dst);
  }
  return edges.finish();
}

/**
 * The k-nearest-neighbour graph of one point set: each node receives an edge from each of its k nearest
 * other nodes (ties by lower index; all other nodes when there are fewer than k). No self loops.
 * Uses a k-d tree with exact pruning: about O(N log N + N k) for reasonable point sets.
 *
 * @param pos coordinates, 3 per node
 * @param k a non-negative integer
 */
export function knnGraph(pos: ArrayLike<number>, k: number): EdgeList {
  const p = checkPositions(pos);
  checkCountOption(k, "k");
  const n = p.length / 3;
  const kk = Math.min(k, Math.max(0, n - 1));
  if (n * kk > MAX_EDGES) throw new RangeError(`a ${k}-nearest-neighbour graph on ${n} nodes has ${n * kk} edges, more than ${MAX_EDGES}`);
  const src = new Uint32Array(n * kk);
  const dst = new Uint32Array(n * kk);
  if (kk === 0) return { src, dst };
  const tree = new KdTree(p);
  const d2 = new Float64Array(kk);
  // Each node has exactly kk sources (kk <= n - 1), so node i's edges are rows i*kk .. i*kk+kk-1. Queries go
  // in tree order, where consecutive points are neighbours, for memory locality.
  for (const i of tree.treeOrder) {
    const ids = src.subarray(i * kk, (i + 1) * kk);
    tree.nearest(p[3 * i], p[3 * i + 1], p[3 * i + 2], kk, i, ids, d2);
    sortIds(ids, kk);
    dst.fill(i, i * kk, (i + 1) * kk);
  }
  return { src, dst };
}

/** The complete graph on `numNodes` nodes: an edge for every ordered pair of distinct nodes. */
export function fullGraph(numNodes: number): EdgeList {
  checkCountOption(numNodes, "numNodes");
  const numEdges = numNodes * Math.max(0, numNodes - 1);
  if (numEdges > MAX_EDGES) throw new RangeError(`a full graph on ${numNodes} nodes has ${numEdges} edges, more than ${MAX_EDGES}`);
  const src = new Uint32Array(numEdges);
  const dst = new Uint32Array(numEdges);
  let e = 0;
  for (let d = 0; d < numNodes; d++) {
    for (let s = 0; s < numNodes; s++) {
      if (s === d) continue;
      src[e] = s;
      dst[e] = d;
      e++;
    }
  }
  return { src, dst };
}
