// Golden WGSL: a codegen change shows up as a readable diff of its snapshot file.
import { describe, expect, it } from "vitest";
import { thetaKernels, thetaProximalKernel, thetaRegularizationKernel } from "./theta.js";

const joined = (codes: string[]) => codes.join("\n// ----\n");

describe("θ WGSL", () => {
  // A 0e block and a rank-1 1o block whose basis row carries rounding noise (-6.9e-18): baked as exactly 0.
  const blocks = [
    { irrep: "0e", mul: 2, basis: [[1]] },
    { irrep: "1o", mul: 2, basis: [[0.6, -6.9388939e-18, 0.8]] },
  ];
  it("θ = B c forward and backward, regulariser, proximal group lasso", async () => {
    const k = thetaKernels(blocks, 2, 10);
    const reg = thetaRegularizationKernel(blocks, 2, [{ kind: "l2", weight: 0.1 }, { kind: "group_lasso", weight: 0.01 }])!;
    const prox = thetaProximalKernel(blocks, 2, 10, 0.01)!;
    await expect(joined([k.forward.code, k.backward.code, reg.grad.code, reg.value.code, prox.code])).toMatchFileSnapshot("../../../test/golden/wgsl/theta.wgsl");
  });
});
