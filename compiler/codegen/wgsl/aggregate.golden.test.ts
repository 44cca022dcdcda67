// Golden WGSL: a codegen change shows up as a readable diff of this file.
import { describe, expect, it } from "vitest";
import { segmentSumKernels } from "./aggregate.js";

describe("aggregation WGSL", () => {
  it("segment sum forward", async () => {
    await expect(segmentSumKernels(3, 0.5).forward.code).toMatchFileSnapshot("../../../test/golden/wgsl/segment_sum.forward.wgsl");
  });
});
