import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CellGrid } from "./cell-grid.js";

/** Every point is listed once, under the cell holding its coordinates, in index order within a cell. */
function checkGrid(pos: Float64Array, grid: CellGrid): void {
  const n = pos.length / 3;
  const seen = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const [cx, cy, cz] = grid.pointCell.subarray(3 * i, 3 * i + 3);
    const cell = grid.cellId(cx, cy, cz);
    expect(cell).toBeGreaterThanOrEqual(0);
    let found = false;
    for (let t = grid.cellStart[cell]; t < grid.cellStart[cell + 1]; t++) {
      if (t > grid.cellStart[cell]) expect(grid.order[t]).toBeGreaterThan(grid.order[t - 1]);
      if (grid.order[t] === i) {
        found = true;
        expect([...grid.sortedPos.subarray(3 * t, 3 * t + 3)]).toEqual([...pos.subarray(3 * i, 3 * i + 3)]);
      }
    }
    expect(found).toBe(true);
    seen[grid.order.indexOf(i)]++;
  }
  expect([...seen].every((c) => c === 1)).toBe(true);
}

const points = (scale: number) =>
  fc
    .array(fc.tuple(fc.double({ min: -scale, max: scale, noNaN: true }), fc.double({ min: -scale, max: scale, noNaN: true }), fc.double({ min: -scale, max: scale, noNaN: true })), {
      maxLength: 40,
    })
    .map((p) => Float64Array.from(p.flat()));

describe("CellGrid", () => {
  it("stores every cell of a compact point set (dense) and files each point under its cell (property)", () => {
    fc.assert(
      fc.property(points(3), fc.double({ min: 0.7, max: 4, noNaN: true }), (pos, h) => {
        const grid = new CellGrid(pos, h);
        expect(grid.dense).toBe(true);
        checkGrid(pos, grid);
      }),
      { numRuns: 100 },
    );
  });

  it("stores only occupied cells of a widely spread point set (sparse) and files each point under its cell (property)", () => {
    fc.assert(
      fc.property(points(1e6), fc.double({ min: 1e-3, max: 10, noNaN: true }), (pos, h) => {
        const grid = new CellGrid(pos, h);
        expect(grid.dense).toBe(grid.nx * grid.ny * grid.nz <= Math.max(1024, (4 * pos.length) / 3));
        checkGrid(pos, grid);
        // Cells outside the grid and empty cells are absent.
        expect(grid.cellId(-1, 0, 0)).toBe(-1);
        expect(grid.cellId(0, grid.ny, 0)).toBe(-1);
      }),
      { numRuns: 100 },
    );
  });

  it("goes sparse for two points far apart", () => {
    const grid = new CellGrid(Float64Array.from([0, 0, 0, 1e6, 1e6, 1e6]), 1);
    expect(grid.dense).toBe(false);
    expect([grid.nx, grid.ny, grid.nz]).toEqual([1e6 + 1, 1e6 + 1, 1e6 + 1]);
    expect(grid.cellId(0, 0, 0)).toBe(0);
    expect(grid.cellId(1e6, 1e6, 1e6)).toBe(1);
    expect(grid.cellId(1, 0, 0)).toBe(-1);
    expect([...grid.cellStart]).toEqual([0, 1, 2]);
  });

  it("refuses a grid with more than 2^31 - 1 cells along an axis", () => {
    expect(() => new CellGrid(Float64Array.from([0, 0, 0, 1e9, 0, 0]), 0.1)).toThrow(
      "the points span 10000000001 cells of size 0.1 along one axis, more than 2147483647",
    );
  });
});
