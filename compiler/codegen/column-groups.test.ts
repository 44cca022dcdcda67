import { describe, expect, it } from "vitest";
import { columnGroups, groupOf } from "./column-groups.js";

describe("column groups", () => {
  it("packs whole blocks in order up to maxCols; a wider block is a group alone", () => {
    // The benchmark conv's sorted 'uvu' mid irreps (592 columns).
    const mid = "32x0e + 16x0e + 8x0e + 32x1o + 16x1o + 16x1o + 8x1o + 32x2e + 16x2e + 8x2e + 8x2e";
    expect(columnGroups(mid, 256)).toEqual([{ start: 0, cols: 248 }, { start: 248, cols: 184 }, { start: 432, cols: 160 }]);
    expect(columnGroups("2x0e + 1x2e", 1)).toEqual([{ start: 0, cols: 2 }, { start: 2, cols: 5 }]);
    expect(columnGroups("2x0e + 1x2e", 100)).toEqual([{ start: 0, cols: 7 }]);
  });

  it("finds a block's group and refuses blocks that straddle groups", () => {
    const gs = columnGroups("2x0e + 1x2e", 1);
    expect(groupOf(gs, 2, 5)).toBe(1);
    expect(() => groupOf(gs, 0, 3)).toThrow(/straddle/);
  });
});
