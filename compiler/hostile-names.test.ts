// Names and strings in a spec are untrusted: they must never reach generated code as code, never hit
// inherited object properties, and never crash the compiler.
import { describe, expect, it } from "vitest";
import { compileSource } from "./compile.js";

describe("hostile names and strings", () => {
  it("accepts JavaScript's special property names as plain data", () => {
    const names = ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "valueOf", "eval", "process", "require", "import", "await", "window"];
    for (const n of names) {
      const { ir, diagnostics } = compileSource(`model M { input ${n}: 0e + 1o  layer l_${n} = linear(${n}) -> 0e  output ${n}_out = l_${n} }`, "t.regnn");
      expect(diagnostics.filter((d) => d.severity === "error"), n).toEqual([]);
      expect(ir!.inputs[0]!.name).toBe(n);
      // The IR is JSON: a name is only ever a string value in it.
      expect(JSON.parse(JSON.stringify(ir)).inputs[0].name).toBe(n);
    }
  });

  it("does not resolve inherited properties as functions, options or settings", () => {
    for (const [body, code] of [
      ["edge e = constructor(count: 1, cutoff: 1)", "E105"],
      ["edge e = __proto__(count: 1, cutoff: 1)", "E105"],
      ["layer h = toString(x) -> 0e", "E104"],
      ["layer h = linear(x, __proto__: 1) -> 0e", "E114"],
      ["layer h = linear(x, constructor: 1) -> 0e", "E114"],
      ["train { optimizer: constructor(lr: 1) }", "E113"],
      ["train { schedule: __proto__ }", "E113"],
      ["train { __proto__: 1 }", "E120"],
    ] as const) {
      const { diagnostics } = compileSource(`model M { input x: 0e  input pos: positions  ${body}  output y = x }`, "t.regnn");
      expect(diagnostics.map((d) => d.code), body).toContain(code);
      expect(diagnostics.map((d) => d.code), body).not.toContain("E999");
    }
  });

  it("rejects names that are not plain ASCII identifiers before they can become code", () => {
    const { diagnostics } = compileSource("model M∞ { input x: 0e output y = x }", "t.regnn");
    expect(diagnostics.map((d) => d.code)).toContain("E130");
  });

  it("never lets a string reach the IR: no construct takes one, and each says so", () => {
    const evil = '"; process.exit(1); //</script>\\u0000"';
    for (const body of [`train { epochs: ${evil} }`, `layer h = conv(x, sh, emb, act: ${evil}) -> 0e`, `train { loss: sse(${evil}, y) }`]) {
      const { ir, diagnostics } = compileSource(
        `model M { input x: 0e  input pos: positions  edge sh = spherical_harmonics(lmax: 1)  edge emb = bessel(count: 2, cutoff: 1)  ${body}  output y = x }`,
        "t.regnn",
      );
      expect(ir, body).toBeUndefined();
      expect(diagnostics.some((d) => d.code === "E113"), body).toBe(true);
    }
  });
});
