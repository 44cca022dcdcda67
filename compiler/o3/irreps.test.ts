import { describe, expect, it } from "vitest";
import { Irrep, Irreps } from "./irreps.js";

describe("Irreps", () => {
  it("parses e3nn's formats, with and without multiplicities and spaces", () => {
    expect(Irreps.parse("2x0e+1x1o").toString()).toBe("2x0e+1x1o");
    expect(Irreps.parse("0e+1o").toString()).toBe("1x0e+1x1o");
    expect(Irreps.parse(" 32x0e + 16x1o + 8x2e ").toString()).toBe("32x0e+16x1o+8x2e");
    expect(Irreps.parse("1y+2y").toString()).toBe("1x1o+1x2e");
    expect(Irreps.parse("").toString()).toBe("");
    expect(Irreps.parse([[2, 1, -1], [1, 0, 1]]).toString()).toBe("2x1o+1x0e");
  });

  it("reports dim, offsets, lmax and iterates over { mul, l, p }", () => {
    const ir = Irreps.parse("2x0e+1x1o+3x2e");
    expect(ir.dim).toBe(2 + 3 + 15);
    expect(ir.offsets).toEqual([0, 2, 5, 20]);
    expect(ir.lmax).toBe(2);
    expect([...ir].map(({ mul, l, p }) => [mul, l, p])).toEqual([[2, 0, 1], [1, 1, -1], [3, 2, 1]]);
  });

  it("sorts like e3nn: by (l, p) with odd first, stable, returning p and inv", () => {
    const { irreps, p, inv } = Irreps.parse("1x1e+2x0e+1x1o+3x0e+1x0o").sort();
    expect(irreps.toString()).toBe("1x0o+2x0e+3x0e+1x1o+1x1e");
    expect(inv).toEqual([4, 1, 3, 2, 0]);
    expect(p).toEqual([4, 1, 3, 2, 0].map((_, i) => inv.indexOf(i)));
  });

  it("simplifies neighbouring equal irreps and drops zero multiplicities", () => {
    expect(Irreps.parse("1x0e+2x0e+0x1o+1x1o+1x0e").simplify().toString()).toBe("3x0e+1x1o+1x0e");
    expect(Irreps.parse("1x0e+1x1o+2x0e").sort().irreps.simplify().toString()).toBe("3x0e+1x1o");
  });

  it("knows which irreps a product contains", () => {
    expect(Irrep.parse("1o").times(Irrep.parse("2e")).map(String)).toEqual(["1o", "2o", "3o"]);
    expect(Irrep.parse("1o").couplesTo(Irrep.parse("1o"), Irrep.parse("1e"))).toBe(true);
    expect(Irrep.parse("1o").couplesTo(Irrep.parse("1o"), Irrep.parse("1o"))).toBe(false);
  });

  it("rejects bad strings, saying what and where", () => {
    expect(() => Irreps.parse("2x0e+1x1q")).toThrow("'1x1q' at column 6 of '2x0e+1x1q' is not an irrep");
    expect(() => Irreps.parse("2x0e++1o")).toThrow("an empty term at column 6");
    expect(() => Irreps.parse("x1o")).toThrow("'x1o' at column 1");
    expect(() => Irreps.parse("-1x1o")).toThrow("is not an irrep");
  });
});
