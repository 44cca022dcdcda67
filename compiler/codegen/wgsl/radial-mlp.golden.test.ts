// Golden WGSL: a codegen change shows up as a readable diff of its snapshot file.
import { describe, expect, it } from "vitest";
import { radialMlpKernels } from "./radial-mlp.js";

const joined = (codes: string[]) => codes.join("\n// ----\n");

describe("radial MLP WGSL", () => {
  it("[2, 3, 2] silu: forward, backward, weight gradient", async () => {
    const k = radialMlpKernels({ sizes: [2, 3, 2], act: "silu", actScale: 1.5, params: ["w0", "w1"] }, [0, 6]);
    await expect(joined([k.forward.code, k.backward.code, k.weightGrad.code])).toMatchFileSnapshot("../../../test/golden/wgsl/radial_mlp.wgsl");
  });
});
