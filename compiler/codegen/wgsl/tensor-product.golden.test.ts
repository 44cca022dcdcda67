// Golden WGSL: a codegen change shows up as a readable diff of these files.
import { describe, expect, it } from "vitest";
import { tensorProductIR } from "../../ir/lower.js";
import { fullyConnectedTensorProduct } from "../../o3/fully-connected.js";
import { tensorProductBackwardWGSL, tensorProductForwardWGSL } from "./tensor-product.js";

describe("tensor-product WGSL", () => {
  const ir = tensorProductIR(fullyConnectedTensorProduct("2x0e+1x1o", "0e+1o", "1x0e+1x1e", { sharedWeights: false }));
  it("forward", async () => {
    await expect(tensorProductForwardWGSL(ir, { x1: "gather" })).toMatchFileSnapshot("../../../test/golden/wgsl/tp_small.forward.wgsl");
  });
  it("backward", async () => {
    await expect(tensorProductBackwardWGSL(ir, { x1: "gather" })).toMatchFileSnapshot("../../../test/golden/wgsl/tp_small.backward.wgsl");
  });
});
