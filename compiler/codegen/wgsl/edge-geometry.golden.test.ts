// Golden WGSL: a codegen change shows up as a readable diff of this file.
import { describe, expect, it } from "vitest";
import { sphericalHarmonicsKernels } from "./edge-geometry.js";

describe("edge-geometry WGSL", () => {
  it("spherical harmonics lmax 2 forward (component, normalize)", async () => {
    const { forward } = sphericalHarmonicsKernels({ name: "sh", op: "spherical_harmonics", irreps: "1x0e+1x1o+1x2e", lmax: 2, normalization: "component", normalize: true });
    await expect(forward.code).toMatchFileSnapshot("../../../test/golden/wgsl/sh_l2.forward.wgsl");
  });
});
