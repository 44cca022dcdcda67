// Golden WGSL: a codegen change shows up as a readable diff of its snapshot file.
import { describe, expect, it } from "vitest";
import { normKernels } from "./pointwise-norm.js";

const joined = (codes: string[]) => codes.join("\n// ----\n");

describe("norm WGSL", () => {
  it("2x0e + 1x1o: forward and backward", async () => {
    const { forward, backward } = normKernels("2x0e+1x1o", 1e-5, 4);
    await expect(joined([forward.code, backward.code])).toMatchFileSnapshot("../../../test/golden/wgsl/norm.wgsl");
  });
});
