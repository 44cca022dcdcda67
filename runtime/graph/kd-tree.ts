/**
 * A static k-d tree over 3D points, for exact k-nearest-neighbour queries.
 *
 * "Nearest" is by squared distance computed in float64 as `dx*dx + dy*dy + dz*dz` (dx = a.x - b.x, ...),
 * ties broken by the lower point index, so results are a pure function of the input. Pruning is exact, not
 * approximate: a subtree beyond a splitting plane is skipped only when the (rounded) squared distance to the
 * plane already exceeds the k-th best squared distance; since rounding is monotone, no point behind the
 * plane can then reach or tie the k-th best.
 *
 * The tree is implicit (no node objects): points are permuted so that each range [left, right] has its
 * median at m = (left + right) >> 1, smaller-or-equal coordinates (on the split axis) before it and
 * greater-or-equal after. The split axis, the one of widest spread, is kept per median position.
 */

const LEAF_SIZE = 8;

export class KdTree {
  /** Point indices in tree order. */
  private readonly ids: Uint32Array;
  /** Coordinates of `ids[t]` at `3t .. 3t+2`. */
  private readonly coords: Float64Array;
  /** Split axis (0, 1, 2) of the range whose median is at this position. */
  private readonly axes: Uint8Array;
  // Query state, kept on the instance so that the recursive search allocates nothing.
  private qx = 0;
  private qy = 0;
  private qz = 0;
  private exclude = -1;
  private k = 0;
  private count = 0;
  private bestIds: Uint32Array = new Uint32Array(0);
  private bestD2: Float64Array = new Float64Array(0);

  /** @param pos coordinates, 3 per point, all finite (not copied: the tree keeps its own permuted copy) */
  constructor(pos: Float64Array) {
    const n = Math.floor(pos.length / 3);
    this.ids = new Uint32Array(n);
    for (let i = 0; i < n; i++) this.ids[i] = i;
    this.coords = pos.slice(0, 3 * n);
    this.axes = new Uint8Array(n);
    if (n > 0) this.build(0, n - 1);
  }

  get size(): number {
    return this.ids.length;
  }

  /**
   * Point indices in tree order: nearby points are close together in it, so querying in this order is
   * cache friendly.
   */
  get treeOrder(): Uint32Array {
    return this.ids;
  }

  private build(left: number, right: number): void {
    if (right - left < LEAF_SIZE) return;
    const c = this.coords;
    let axis = 0;
    let widest = -1;
    for (let a = 0; a < 3; a++) {
      let lo = Infinity, hi = -Infinity;
      for (let t = left; t <= right; t++) {
        const v = c[3 * t + a];
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      if (hi - lo > widest) {
        widest = hi - lo;
        axis = a;
      }
    }
    const m = (left + right) >> 1;
    this.select(m, left, right, axis);
    this.axes[m] = axis;
    this.build(left, m - 1);
    this.build(m + 1, right);
  }

  /**
   * Rearranges [left, right] so that position k holds the value that would be there if the range were sorted
   * on `axis`, with smaller-or-equal values before it and greater-or-equal after (Floyd and Rivest's
   * selection, as in Hoare's FIND with sampling for large ranges).
   */
  private select(k: number, left: number, right: number, axis: number): void {
    const c = this.coords;
    while (right > left) {
      if (right - left > 600) {
        const n = right - left + 1;
        const i = k - left + 1;
        const z = Math.log(n);
        const s = 0.5 * Math.exp((2 * z) / 3);
        const sd = 0.5 * Math.sqrt((z * s * (n - s)) / n) * (i - n / 2 < 0 ? -1 : 1);
        const newLeft = Math.max(left, Math.floor(k - (i * s) / n + sd));
        const newRight = Math.min(right, Math.floor(k + ((n - i) * s) / n + sd));
        this.select(k, newLeft, newRight, axis);
      }
      const pivot = c[3 * k + axis];
      let i = left;
      let j = right;
      this.swap(left, k);
      if (c[3 * right + axis] > pivot) this.swap(left, right);
      while (i < j) {
        this.swap(i, j);
        i++;
        j--;
        while (c[3 * i + axis] < pivot) i++;
        while (c[3 * j + axis] > pivot) j--;
      }
      if (c[3 * left + axis] === pivot) {
        this.swap(left, j);
      } else {
        j++;
        this.swap(j, right);
      }
      if (j <= k) left = j + 1;
      if (k <= j) right = j - 1;
    }
  }

  private swap(a: number, b: number): void {
    const ids = this.ids, c = this.coords;
    const id = ids[a];
    ids[a] = ids[b];
    ids[b] = id;
    for (let d = 0; d < 3; d++) {
      const v = c[3 * a + d];
      c[3 * a + d] = c[3 * b + d];
      c[3 * b + d] = v;
    }
  }

  /**
   * The (up to) k points nearest to (x, y, z), skipping point `exclude` (pass -1 to skip none), ordered by
   * squared distance, then index. Writes indices to `outIds` and squared distances to `outD2` (both of length
   * at least k) and returns how many were found: min(k, number of candidate points).
   */
  nearest(x: number, y: number, z: number, k: number, exclude: number, outIds: Uint32Array, outD2: Float64Array): number {
    if (!Number.isInteger(k) || k < 0) throw new RangeError(`k must be a non-negative integer, got ${k}`);
    if (outIds.length < k || outD2.length < k) throw new RangeError(`output arrays hold fewer than k = ${k} entries`);
    this.qx = x;
    this.qy = y;
    this.qz = z;
    this.exclude = exclude;
    this.k = k;
    this.count = 0;
    this.bestIds = outIds;
    this.bestD2 = outD2;
    if (k > 0 && this.ids.length > 0) this.search(0, this.ids.length - 1);
    return this.count;
  }

  private search(left: number, right: number): void {
    const c = this.coords;
    if (right - left < LEAF_SIZE) {
      for (let t = left; t <= right; t++) this.consider(t);
      return;
    }
    const m = (left + right) >> 1;
    this.consider(m);
    const axis = this.axes[m];
    const diff = (axis === 0 ? this.qx : axis === 1 ? this.qy : this.qz) - c[3 * m + axis];
    // Points of the far side are at least |diff| away along the axis (and, rounded, at least diff*diff).
    if (diff < 0) {
      this.search(left, m - 1);
      if (this.count < this.k || diff * diff <= this.bestD2[this.count - 1]) this.search(m + 1, right);
    } else {
      this.search(m + 1, right);
      if (this.count < this.k || diff * diff <= this.bestD2[this.count - 1]) this.search(left, m - 1);
    }
  }

  /** Offers the point at tree position t to the sorted list of the k best. */
  private consider(t: number): void {
    const id = this.ids[t];
    if (id === this.exclude) return;
    const c = this.coords;
    const dx = c[3 * t] - this.qx;
    const dy = c[3 * t + 1] - this.qy;
    const dz = c[3 * t + 2] - this.qz;
    const d2 = dx * dx + dy * dy + dz * dz;
    const ids = this.bestIds, best = this.bestD2;
    let slot: number;
    if (this.count === this.k) {
      const worst = this.k - 1;
      if (d2 > best[worst] || (d2 === best[worst] && id > ids[worst])) return;
      slot = worst;
    } else {
      slot = this.count++;
    }
    while (slot > 0 && (best[slot - 1] > d2 || (best[slot - 1] === d2 && ids[slot - 1] > id))) {
      best[slot] = best[slot - 1];
      ids[slot] = ids[slot - 1];
      slot--;
    }
    best[slot] = d2;
    ids[slot] = id;
  }
}
