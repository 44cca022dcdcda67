// Golden WGSL: a codegen change shows up as a readable diff of its snapshot file.
import { describe, expect, it } from "vitest";
import { secondMomentScale } from "../../nn/activation.js";
import { gateKernels } from "./pointwise-gate.js";

const joined = (codes: string[]) => codes.join("\n// ----\n");

describe("gate WGSL", () => {
  it("2x0e silu scalars, 1x0e sigmoid gate on 1x1o: forward and backward", async () => {
    const { forward, backward } = gateKernels({
      name: "g", op: "gate", inputs: ["h"], domain: "node", params: [], irrepsOut: "2x0e+1x1o",
      scalars: "2x0e", gates: "1x0e", gated: "1x1o", actScalars: "silu", actGates: "sigmoid",
      actScalarsScale: secondMomentScale("silu"), actGatesScale: secondMomentScale("sigmoid"),
    });
    await expect(joined([forward.code, backward.code])).toMatchFileSnapshot("../../../test/golden/wgsl/gate.wgsl");
  });
});
