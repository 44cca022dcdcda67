// Golden WGSL: a codegen change shows up as a readable diff of its snapshot file.
import { describe, expect, it } from "vitest";
import { lossKernels } from "./loss.js";

const joined = (codes: string[]) => codes.join("\n// ----\n");

describe("loss WGSL", () => {
  it("mse over nodes: partial, total, backward", async () => {
    const k = lossKernels("mse", 3, "nodes");
    await expect(joined([k.partial.code, k.total.code, k.backward.code])).toMatchFileSnapshot("../../../test/golden/wgsl/loss_mse.wgsl");
  });
});
