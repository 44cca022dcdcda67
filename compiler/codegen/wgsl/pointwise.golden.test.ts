// Golden WGSL: a codegen change shows up as a readable diff of its snapshot file.
import { describe, expect, it } from "vitest";
import { addKernels, concatPieceKernels } from "./pointwise.js";

const joined = (codes: string[]) => codes.join("\n// ----\n");

describe("pointwise WGSL", () => {
  it("add forward and backward, then one concat piece forward and backward", async () => {
    const add = addKernels(3), piece = concatPieceKernels([2, 3], 1);
    await expect(joined([add.forward.code, add.backward.code, piece.forward.code, piece.backward.code])).toMatchFileSnapshot("../../../test/golden/wgsl/add_concat.wgsl");
  });
});
