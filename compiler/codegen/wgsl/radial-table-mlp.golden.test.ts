// Golden WGSL: a codegen change shows up as a readable diff of its snapshot file.
import { describe, expect, it } from "vitest";
import { tableMlpKernels } from "./radial-table-mlp.js";

const joined = (codes: string[]) => codes.join("\n// ----\n");

describe("radial table MLP WGSL", () => {
  it("[2, 3, 2] relu on a grid of 4: the first forward and the first backward kernel", async () => {
    const k = tableMlpKernels({ sizes: [2, 3, 2], act: "relu", actScale: 1.4, params: ["w0", "w1"] }, [0, 6], 4);
    await expect(joined([k.forward[0]!.code, k.backward[0]!.code])).toMatchFileSnapshot("../../../test/golden/wgsl/radial_table_mlp.wgsl");
  });
  it("[4, 8, 8] silu, aligned weights: the vec4 forms (output layer ab, its delta abt, a weight gradient atb)", async () => {
    const k = tableMlpKernels({ sizes: [4, 8, 8], act: "silu", actScale: 1.68, params: ["w0", "w1"] }, [0, 32], 6);
    await expect(joined([k.forward[1]!.code, k.backward[0]!.code, k.backward[1]!.code])).toMatchFileSnapshot("../../../test/golden/wgsl/radial_table_mlp_vec4.wgsl");
  });
});
