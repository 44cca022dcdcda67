// Golden WGSL: a codegen change shows up as a readable diff of its snapshot file.
import { describe, expect, it } from "vitest";
import { blockSumPlan } from "./block-sum.js";

const joined = (codes: string[]) => codes.join("\n// ----\n");

describe("block-sum WGSL", () => {
  it("a column sum over nodes in two levels, accumulated into dst", async () => {
    const plan = blockSumPlan(3, { per: "nodes", block: 1 }, 2, true, "s.sum");
    await expect(joined(plan.levels.map((l) => l.kernel.code))).toMatchFileSnapshot("../../../test/golden/wgsl/block_sum.wgsl");
  });
});
