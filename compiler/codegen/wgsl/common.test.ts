import { describe, expect, it } from "vitest";
import { dropUnusedLets, rangeBranches, rowKernelCode, readF32, writeF32 } from "./common.js";

describe("dropUnusedLets", () => {
  it("drops lets nothing reads, transitively, and keeps the rest in order", () => {
    const body = ["  let a = 1.0;", "  let b = a * 2.0;", "  let c = 3u;", "  let d = b + 1.0;", "  out[row] = a;"];
    expect(dropUnusedLets(body)).toEqual(["  let a = 1.0;", "  out[row] = a;"]);
  });

  it("does not count a name inside a number literal or a comment as a read", () => {
    expect(dropUnusedLets(["  let u = 2.0;", "  out[row * 3u] = 1.0; // u"])).toEqual(["  out[row * 3u] = 1.0; // u"]);
  });

  it("keeps the last line that reads a binding, so the pipeline's auto layout still has it", () => {
    const body = ["  let v = pos[row];", "  let m = abs(v);", "  out[row] = 1.0;"];
    expect(dropUnusedLets(body, [], ["pos", "out"])).toEqual(["  let v = pos[row];", "  out[row] = 1.0;"]);
  });

  it("leaves names a helper function reads, and lines that are not one let", () => {
    const body = ["  let k = 2u;", "  let x = 1.0; let y = 2.0;", "  var z = 0.0;"];
    expect(dropUnusedLets(body, ["fn f() -> u32 { return k; }"])).toEqual(body);
  });

  it("is what rowKernelCode emits", () => {
    const code = rowKernelCode([readF32("x"), writeF32("y")], ["  let unused = x[0];", "  y[row] = x[row];"]);
    expect(code).not.toContain("unused");
  });
});

describe("rangeBranches", () => {
  it("drops the bounds the chain already implies", () => {
    expect(rangeBranches([{ lo: 0, hi: 2 }, { lo: 2, hi: 5 }, { lo: 5, hi: 8 }], 8)).toEqual(["  if (row < 2u) {", "  else if (row < 5u) {", "  else {"]);
    expect(rangeBranches([{ lo: 0, hi: 1 }], 1)).toEqual(["  {"]);
  });

  it("keeps a lower bound after a gap, and every bound after a branch that started past one", () => {
    expect(rangeBranches([{ lo: 2, hi: 4 }, { lo: 4, hi: 6 }, { lo: 7, hi: 9 }], 10)).toEqual([
      "  if (row >= 2u && row < 4u) {",
      "  else if (row >= 4u && row < 6u) {",
      "  else if (row >= 7u && row < 9u) {",
    ]);
    expect(rangeBranches([{ lo: 0, hi: 3 }, { lo: 5, hi: 10 }], 10)).toEqual(["  if (row < 3u) {", "  else if (row >= 5u) {"]);
  });

  it("refuses ranges out of order or past the rows", () => {
    expect(() => rangeBranches([{ lo: 2, hi: 4 }, { lo: 3, hi: 5 }], 10)).toThrow(/ascend/);
    expect(() => rangeBranches([{ lo: 0, hi: 11 }], 10)).toThrow(/ascend/);
  });
});
