// Golden WGSL: a codegen change shows up as a readable diff of its snapshot file.
import { describe, expect, it } from "vitest";
import { columnSumKernel } from "./reduce.js";

const joined = (codes: string[]) => codes.join("\n// ----\n");

describe("reduce WGSL", () => {
  it("column sum over edges, accumulated", async () => {
    await expect(columnSumKernel(3, "edges", 5, true).code).toMatchFileSnapshot("../../../test/golden/wgsl/column_sum.wgsl");
  });
});
