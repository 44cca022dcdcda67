// Golden WGSL: a codegen change shows up as a readable diff of its snapshot file.
import { describe, expect, it } from "vitest";
import { radialInterpolateKernel, radialStencilKernel, radialTablePartialKernel, radialTablePartialWorkgroupKernel, radialTableReduceKernel } from "./radial-table.js";

const joined = (codes: string[]) => codes.join("\n// ----\n");

describe("radial table WGSL", () => {
  it("stencil (bessel, 8 cells), interpolation, weight-gradient partials and their reduction", async () => {
    const attr = { name: "emb", op: "radial_basis", irreps: "2x0e", basis: "bessel", count: 2, start: 0, cutoff: 1, scale: 1 } as const;
    const codes = [radialStencilKernel(attr, 8), radialInterpolateKernel(3), radialTablePartialKernel(8, 3, 2), radialTableReduceKernel(8, 3, 2)].map((k) => k.code);
    await expect(joined(codes)).toMatchFileSnapshot("../../../test/golden/wgsl/radial_table.wgsl");
  });
  it("the GPU shape's partials by workgroup: 3 columns (one short block, guarded stores), chunks of 512 edges", async () => {
    await expect(radialTablePartialWorkgroupKernel(8, 3, 512).code).toMatchFileSnapshot("../../../test/golden/wgsl/radial_table_partial_wg.wgsl");
  });
});
