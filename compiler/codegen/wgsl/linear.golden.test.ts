// Golden WGSL: a codegen change shows up as a readable diff of its snapshot file.
import { describe, expect, it } from "vitest";
import { tensorProductIR } from "../../ir/lower.js";
import { fullyConnectedTensorProduct } from "../../o3/fully-connected.js";
import { linearBackwardInputSteps, linearWeightGradSteps } from "./linear.js";

const joined = (codes: string[]) => codes.join("\n// ----\n");

describe("linear WGSL", () => {
  const lin = tensorProductIR(fullyConnectedTensorProduct("4x0e + 2x1o", "1x0e", "3x0e + 2x1o"));
  it("input gradient and weight gradient (the forward's golden is conv-fused's linear map)", async () => {
    const codes = [linearBackwardInputSteps(lin, 0)[0]!, linearWeightGradSteps(lin, 0, "nodes")[0]!].map((s) => s.kernel.code);
    await expect(joined(codes)).toMatchFileSnapshot("../../../test/golden/wgsl/linear_backward.wgsl");
  });
});
