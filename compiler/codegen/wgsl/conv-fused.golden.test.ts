// Golden WGSL: a codegen change shows up as a readable diff of these files.
import { describe, expect, it } from "vitest";
import { tensorProductIR } from "../../ir/lower.js";
import { convolutionTensorProduct, fullyConnectedTensorProduct } from "../../o3/fully-connected.js";
import { fusedConvBackwardInputKernel, fusedConvForwardKernel, fusedConvWeightPartialKernel, fusedConvWeightPartialWorkgroupKernel } from "./conv-fused.js";
import { linearForwardSteps } from "./linear.js";

describe("fused convolution and linear WGSL", () => {
  // Path 1 of this product: 4x0e x 1o -> 4x1o (uvu), aligned: the vec4 table reads.
  const ir = tensorProductIR(convolutionTensorProduct("4x0e + 2x1o", "0e + 1o", "4x0e + 2x1o", { sharedWeights: false }).tp);
  it("conv forward, input gradient and weight gradient of one path", async () => {
    const code = [fusedConvForwardKernel(ir, 0.25, 1), fusedConvBackwardInputKernel(ir, 0.25, 1), fusedConvWeightPartialKernel(ir, 0.25, 8, 4, 1)!].map((k) => k.code).join("\n// ----\n");
    await expect(code).toMatchFileSnapshot("../../../test/golden/wgsl/conv_fused_path.wgsl");
  });
  it("the GPU shape's workgroup weight partial of the same path (chunks of 512 edges)", async () => {
    const wg = fusedConvWeightPartialWorkgroupKernel(ir, 0.25, 8, 1, 512)!;
    await expect(wg.code).toMatchFileSnapshot("../../../test/golden/wgsl/conv_fused_weight_partial_wg.wgsl");
  });
  it("linear map (d = 3)", async () => {
    const lin = tensorProductIR(fullyConnectedTensorProduct("4x0e + 2x1o", "1x0e", "3x0e + 2x1o"));
    await expect(linearForwardSteps(lin, 0)[1]!.kernel.code).toMatchFileSnapshot("../../../test/golden/wgsl/linear_map_d3.wgsl");
  });
});
