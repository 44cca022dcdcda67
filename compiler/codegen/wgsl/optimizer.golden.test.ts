// Golden WGSL: a codegen change shows up as a readable diff of its snapshot file.
import { describe, expect, it } from "vitest";
import { adamKernel, sgdKernel } from "./optimizer.js";

const joined = (codes: string[]) => codes.join("\n// ----\n");

describe("optimizer WGSL", () => {
  it("sgd with momentum, then adam", async () => {
    await expect(joined([sgdKernel().code, adamKernel().code])).toMatchFileSnapshot("../../../test/golden/wgsl/optimizer.wgsl");
  });
});
