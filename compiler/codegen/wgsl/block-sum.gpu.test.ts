// Block-sum trees on a real WebGPU device: against float64 sums, and bit for bit against the same tree
// of f32 additions done in JS (the order is fixed, so the result is too).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gpuContext, releaseGpu, runRows, scaledError } from "../../../test/gpu.js";
import { seededRng } from "../../o3/rotation.js";
import { gaussianArray } from "../../../test/hand-batch.js";
import { blockSumPlan, SUM_BLOCK, type BlockSource } from "./block-sum.js";

beforeAll(gpuContext);
afterAll(releaseGpu);

const rowsOf = (d: unknown, size: number) => {
  const r = d as { count?: number; block?: number; times?: number };
  return r.count ?? Math.ceil(size / r.block!) * r.times!;
};

/** The tree in JS with f32 rounding after every addition: blocks of SUM_BLOCK rows, in row order. */
function treeF32(src: Float32Array, rows: number, cols: number): Float32Array {
  let cur = src, n = rows;
  do {
    const m = Math.ceil(n / SUM_BLOCK);
    const next = new Float32Array(Math.max(1, m) * cols);
    for (let b = 0; b < m; b++)
      for (let j = 0; j < cols; j++) {
        let s = 0;
        for (let r = b * SUM_BLOCK; r < Math.min(n, (b + 1) * SUM_BLOCK); r++) s = Math.fround(s + cur[r * cols + j]!);
        next[b * cols + j] = s;
      }
    cur = next;
    n = m;
  } while (n > 1);
  return cur.subarray(0, cols);
}

async function runTree(cols: number, source: BlockSource, size: number, src: Float32Array, dst: Float32Array, destOffset: number, accumulate: boolean): Promise<Float32Array> {
  const plan = blockSumPlan(cols, source, destOffset, accumulate, "s");
  const bufs = new Map<string, Float32Array>([["src", src], ["dst", dst]]);
  for (const s of plan.scratch) bufs.set(s.name, new Float32Array(Math.max(1, rowsOf(s.rows, size)) * cols));
  const sizes = { nodes: 999, edges: 998, graphs: 997, [source.per]: size };
  for (const level of plan.levels) {
    const rows = rowsOf(level.rows, size);
    if (rows === 0) continue;
    const out = bufs.get(level.to)!;
    const [res] = await runRows("block_sum", level.kernel.code, rows, [bufs.get(level.from)!], [out.length], [], { ...sizes, initial: [out] });
    bufs.set(level.to, Float32Array.from(res!));
  }
  return bufs.get("dst")!;
}

describe("block sum", () => {
  const rng = seededRng(33);
  const cases = [
    { name: "edges, 3 columns, two block levels, assign at an offset", per: "edges", block: 1, rows: 70_000, cols: 3, destOffset: 4, accumulate: false },
    { name: "nodes, 1 column, accumulate", per: "nodes", block: 1, rows: 1000, cols: 1, destOffset: 0, accumulate: true },
    { name: "chunks of 64 edges as the source, 5 columns", per: "edges", block: 64, rows: 300, cols: 5, destOffset: 0, accumulate: false },
    { name: "empty source assigns 0", per: "graphs", block: 1, rows: 0, cols: 2, destOffset: 1, accumulate: false },
  ] as const;
  for (const c of cases) {
    it(c.name, async () => {
      const srcRows = Math.ceil(c.rows / c.block);
      const src = Float32Array.from(gaussianArray(srcRows * c.cols, rng));
      const dst = Float32Array.from(gaussianArray(c.destOffset + c.cols + 3, rng));
      const out = await runTree(c.cols, { per: c.per, block: c.block }, c.rows, src, dst, c.destOffset, c.accumulate);
      const sums = srcRows ? treeF32(src, srcRows, c.cols) : new Float32Array(c.cols);
      const want = Float32Array.from(dst);
      const exact = Float64Array.from(dst);
      for (let j = 0; j < c.cols; j++) {
        want[c.destOffset + j] = c.accumulate ? Math.fround(dst[c.destOffset + j]! + sums[j]!) : sums[j]!;
        let s = 0;
        for (let r = 0; r < srcRows; r++) s += src[r * c.cols + j]!;
        exact[c.destOffset + j] = (c.accumulate ? dst[c.destOffset + j]! : 0) + s;
      }
      expect(Array.from(out)).toEqual(Array.from(want));
      expect(scaledError(out, exact)).toBeLessThan(1e-5);
    });
  }

  it("plans at most 4 dispatches and bounds every level's loop by the block", () => {
    for (const cols of [1, 7, 4096]) {
      const p = blockSumPlan(cols, { per: "edges", block: 1 }, 0, false, "s");
      expect(p.levels.length).toBeLessThanOrEqual(4);
      for (const l of p.levels) expect(l.kernel.code).toMatch(/min\([^;]*256u/);
    }
  });
});
