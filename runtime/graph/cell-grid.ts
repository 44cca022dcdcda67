/**
 * A uniform grid of cubic cells over a 3D point set, for fixed-radius neighbour searches: with cells at least
 * as wide as the radius, every point closer than the radius lies in the same or an adjacent cell.
 *
 * Points are sorted into cells by a stable counting sort (points of a cell stay in index order), and their
 * coordinates copied in that order so that scanning a cell reads memory contiguously. Where the bounding box
 * holds many more cells than points (clustered or widely spread data), only the occupied cells are stored,
 * in a hash table.
 */

/** Cell coordinates are Int32. */
const MAX_CELLS_PER_AXIS = 0x7fffffff;

/** Above this many cells per point, the grid stores only its occupied cells. */
const DENSE_CELLS_PER_POINT = 4;

export class CellGrid {
  /** Edge length of a cell. */
  readonly cellSize: number;
  /** Number of cells along x, y, z. */
  readonly nx: number;
  readonly ny: number;
  readonly nz: number;
  /** Whether every cell of the bounding box is stored (else only occupied cells, found through a map). */
  readonly dense: boolean;
  /** Point indices, grouped by cell; index order within a cell. */
  readonly order: Uint32Array;
  /** Coordinates of `order[t]` at `3t .. 3t+2`. */
  readonly sortedPos: Float64Array;
  /** Points of cell id c are `order[cellStart[c] .. cellStart[c+1]-1]`. */
  readonly cellStart: Uint32Array;
  /** Cell coordinates (x, y, z) of each point, 3 per point in input order. */
  readonly pointCell: Int32Array;
  private readonly occupied: CellTable | undefined;

  /**
   * @param pos coordinates, 3 per point, all finite
   * @param cellSize edge length of the cells, finite and positive
   */
  constructor(pos: Float64Array, cellSize: number) {
    if (!(cellSize > 0) || !Number.isFinite(cellSize)) throw new RangeError(`cell size must be finite and positive, got ${cellSize}`);
    const n = Math.floor(pos.length / 3);
    let minX = Infinity, minY = Infinity, minZ = Infinity, maxX = -Infinity, maxY = -Infinity, maxZ = -Infinity;
    for (let i = 0; i < n; i++) {
      const x = pos[3 * i], y = pos[3 * i + 1], z = pos[3 * i + 2];
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
      if (z < minZ) minZ = z;
      if (z > maxZ) maxZ = z;
    }
    if (n === 0) minX = minY = minZ = maxX = maxY = maxZ = 0;
    this.cellSize = cellSize;
    this.nx = Math.floor((maxX - minX) / cellSize) + 1;
    this.ny = Math.floor((maxY - minY) / cellSize) + 1;
    this.nz = Math.floor((maxZ - minZ) / cellSize) + 1;
    const { nx, ny, nz } = this;
    if (Math.max(nx, ny, nz) > MAX_CELLS_PER_AXIS) {
      throw new RangeError(
        `the points span ${Math.max(nx, ny, nz)} cells of size ${cellSize} along one axis, more than ${MAX_CELLS_PER_AXIS}: ` +
          `is the radius far too small for the coordinates?`,
      );
    }
    const numCells = nx * ny * nz;
    const pointCell = new Int32Array(3 * n);
    for (let i = 0; i < n; i++) {
      // Clamped: the same expressions gave nx, ny, nz, so this only guards against surprises.
      pointCell[3 * i] = Math.min(nx - 1, Math.floor((pos[3 * i] - minX) / cellSize));
      pointCell[3 * i + 1] = Math.min(ny - 1, Math.floor((pos[3 * i + 1] - minY) / cellSize));
      pointCell[3 * i + 2] = Math.min(nz - 1, Math.floor((pos[3 * i + 2] - minZ) / cellSize));
    }
    this.pointCell = pointCell;
    this.dense = numCells <= Math.max(1024, DENSE_CELLS_PER_POINT * n);
    const order = new Uint32Array(n);
    if (this.dense) {
      // Counting sort by cell key; stable, so a cell's points stay in index order.
      const keys = new Uint32Array(n);
      for (let i = 0; i < n; i++) keys[i] = (pointCell[3 * i] * ny + pointCell[3 * i + 1]) * nz + pointCell[3 * i + 2];
      const cellStart = new Uint32Array(numCells + 1);
      for (let i = 0; i < n; i++) cellStart[keys[i] + 1]++;
      for (let c = 0; c < numCells; c++) cellStart[c + 1] += cellStart[c];
      const next = cellStart.slice(0, numCells);
      for (let i = 0; i < n; i++) order[next[keys[i]]++] = i;
      this.cellStart = cellStart;
      this.occupied = undefined;
    } else {
      const pc = pointCell;
      const byCell = Array.from({ length: n }, (_, i) => i).sort(
        (a, b) => pc[3 * a] - pc[3 * b] || pc[3 * a + 1] - pc[3 * b + 1] || pc[3 * a + 2] - pc[3 * b + 2] || a - b,
      );
      const starts: number[] = [];
      for (let t = 0; t < n; t++) {
        const i = byCell[t];
        order[t] = i;
        const j = t > 0 ? byCell[t - 1] : -1;
        if (j < 0 || pc[3 * i] !== pc[3 * j] || pc[3 * i + 1] !== pc[3 * j + 1] || pc[3 * i + 2] !== pc[3 * j + 2]) starts.push(t);
      }
      const occupied = new CellTable(starts.length);
      for (let c = 0; c < starts.length; c++) {
        const i = order[starts[c]];
        occupied.insert(pc[3 * i], pc[3 * i + 1], pc[3 * i + 2], c);
      }
      starts.push(n);
      this.cellStart = Uint32Array.from(starts);
      this.occupied = occupied;
    }
    this.order = order;
    const sortedPos = new Float64Array(3 * n);
    for (let t = 0; t < n; t++) {
      const i = order[t];
      sortedPos[3 * t] = pos[3 * i];
      sortedPos[3 * t + 1] = pos[3 * i + 1];
      sortedPos[3 * t + 2] = pos[3 * i + 2];
    }
    this.sortedPos = sortedPos;
  }

  /** The id of cell (cx, cy, cz) for `cellStart`, or -1 when it is outside the grid or (sparse grids) empty. */
  cellId(cx: number, cy: number, cz: number): number {
    if (cx < 0 || cy < 0 || cz < 0 || cx >= this.nx || cy >= this.ny || cz >= this.nz) return -1;
    if (this.occupied === undefined) return (cx * this.ny + cy) * this.nz + cz;
    return this.occupied.find(cx, cy, cz);
  }
}

/** Open-addressing hash table from integer cell coordinates (cx, cy, cz) to a cell id. */
class CellTable {
  private readonly mask: number;
  private readonly keys: Int32Array;
  private readonly ids: Int32Array;

  constructor(capacity: number) {
    let size = 16;
    while (size < 2 * capacity) size *= 2;
    this.mask = size - 1;
    this.keys = new Int32Array(3 * size);
    this.ids = new Int32Array(size).fill(-1);
  }

  private static hash(cx: number, cy: number, cz: number): number {
    let h = Math.imul(cx, 0x9e3779b1) ^ Math.imul(cy, 0x85ebca6b) ^ Math.imul(cz, 0xc2b2ae35);
    h ^= h >>> 15;
    return Math.imul(h, 0x2c1b3c6d) ^ (h >>> 13);
  }

  insert(cx: number, cy: number, cz: number, id: number): void {
    let slot = CellTable.hash(cx, cy, cz) & this.mask;
    while (this.ids[slot] >= 0) slot = (slot + 1) & this.mask;
    this.keys[3 * slot] = cx;
    this.keys[3 * slot + 1] = cy;
    this.keys[3 * slot + 2] = cz;
    this.ids[slot] = id;
  }

  /** The id stored for (cx, cy, cz), or -1. */
  find(cx: number, cy: number, cz: number): number {
    let slot = CellTable.hash(cx, cy, cz) & this.mask;
    for (;;) {
      const id = this.ids[slot];
      if (id < 0) return -1;
      if (this.keys[3 * slot] === cx && this.keys[3 * slot + 1] === cy && this.keys[3 * slot + 2] === cz) return id;
      slot = (slot + 1) & this.mask;
    }
  }
}
