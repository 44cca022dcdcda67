import { describe, expect, it } from "vitest";
import { compileSource } from "../compile.js";
import { relaxedTo, symmetryClause } from "./relaxed-spec.js";

const spec = `model M {
  symmetry relax to C1 lmax 3 mul 2   // the clause discover rewrites
  input x: 0e
  target t: 1o
  layer y = relaxed_node(x) -> 1o
  output o = y
}`;

describe("relaxedTo", () => {
  it("rewrites only the symmetry clause, keeping lmax and mul as written", () => {
    const decl = symmetryClause(spec);
    if (typeof decl === "string") throw new Error(decl);
    const text = relaxedTo(spec, decl, { name: "C3v", axis: [1, 1, 1], secondary: [1, -1, 0] });
    expect(text.split("\n")[1]).toBe("  symmetry relax to C3v axis (1, 1, 1) secondary (1, -1, 0) lmax 3 mul 2   // the clause discover rewrites");
    expect(text.split("\n").slice(2)).toEqual(spec.split("\n").slice(2));
    const { ir } = compileSource(text, "m.regnn");
    expect([ir!.symmetry.keep, ir!.symmetry.theta!.lmax, ir!.symmetry.theta!.mul]).toEqual(["C3v", 3, 2]);
  });

  it("refuses a spec without relaxed weights, saying what to write", () => {
    expect(symmetryClause("model M {\n input x: 0e\n layer y = linear(x) -> 0e\n output o = y\n}")).toMatch(/discover needs a relaxed spec: write e\.g\. `symmetry relax to C1 lmax 2`/);
  });
});
