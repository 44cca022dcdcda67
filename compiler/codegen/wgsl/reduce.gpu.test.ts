// Column sums on a real WebGPU device against float64 sums in row order.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gpuContext, releaseGpu, runRows, scaledError } from "../../../test/gpu.js";
import { seededRng } from "../../o3/rotation.js";
import { gaussianArray } from "../../../test/hand-batch.js";
import { columnSumKernel } from "./reduce.js";

beforeAll(gpuContext);
afterAll(releaseGpu);

/** dst with its columns destOffset.. set to (or increased by) the column sums of src. */
function expected(dst: Float64Array, src: Float64Array, rows: number, cols: number, destOffset: number, accumulate: boolean): Float64Array {
  const out = dst.slice();
  for (let j = 0; j < cols; j++) {
    let s = 0;
    for (let r = 0; r < rows; r++) s += src[r * cols + j]!;
    out[destOffset + j] = (accumulate ? out[destOffset + j]! : 0) + s;
  }
  return out;
}

describe("column sum", () => {
  const rng = seededRng(21);
  const cases = [
    { name: "edges from the uniform, accumulate at an offset", domain: "edges", rows: 150, cols: 13, destOffset: 7, accumulate: true },
    { name: "nodes from the uniform, assign", domain: "nodes", rows: 70, cols: 70, destOffset: 0, accumulate: false },
    { name: "graphs from the uniform, one column", domain: "graphs", rows: 5, cols: 1, destOffset: 3, accumulate: true },
    { name: "baked count, assign at an offset", domain: { count: 33 }, rows: 33, cols: 4, destOffset: 2, accumulate: false },
    { name: "empty domain, assign writes 0", domain: "graphs", rows: 0, cols: 3, destOffset: 1, accumulate: false },
    { name: "empty domain, accumulate leaves dst", domain: "edges", rows: 0, cols: 3, destOffset: 1, accumulate: true },
  ] as const;
  for (const c of cases) {
    it(c.name, async () => {
      const kernel = columnSumKernel(c.cols, c.domain, c.destOffset, c.accumulate);
      expect(kernel.bindings).toEqual(["src", "dst"]);
      const src = gaussianArray(c.rows * c.cols, rng), dst = gaussianArray(c.destOffset + c.cols + 5, rng);
      // Sizes in the uniform that are not the domain's are decoys: the kernel must read the right one.
      const sizes = { nodes: 999, edges: 998, graphs: 997, ...(typeof c.domain === "string" ? { [c.domain]: c.rows } : {}) };
      const [out] = await runRows("column_sum", kernel.code, c.cols, [src], [dst.length], [], { ...sizes, initial: [dst] });
      expect(scaledError(out!, expected(dst, src, c.rows, c.cols, c.destOffset, c.accumulate))).toBeLessThan(1e-5);
    });
  }
});
