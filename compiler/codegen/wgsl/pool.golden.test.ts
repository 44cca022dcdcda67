// Golden WGSL: a codegen change shows up as a readable diff of its snapshot file.
import { describe, expect, it } from "vitest";
import { poolKernels } from "./pool.js";

const joined = (codes: string[]) => codes.join("\n// ----\n");

describe("pool WGSL", () => {
  it("mean over each graph's nodes: forward and backward", async () => {
    const { forward, backward } = poolKernels(3, "mean");
    await expect(joined([forward.code, backward.code])).toMatchFileSnapshot("../../../test/golden/wgsl/pool_mean.wgsl");
  });
});
