import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { assertValidIR, InternalCompilerError, schemaErrors } from "./validate.js";

const golden = () => JSON.parse(readFileSync(new URL("../../test/golden/cube_to_prism.ir.json", import.meta.url), "utf8"));

describe("IR schema", () => {
  it("accepts the compiler's IR", () => {
    expect(schemaErrors(golden())).toEqual([]);
  });

  it("reports a schema failure as an internal compiler error naming the field", () => {
    const ir = golden();
    ir.layers[1].irrepsOut = "1x0e+oops";
    expect(() => assertValidIR(ir)).toThrow(InternalCompilerError);
    expect(() => assertValidIR(ir)).toThrow(/internal compiler error: the IR does not match its schema at \/layers\/1\/irrepsOut: must match pattern/);
  });

  it("rejects unknown fields, wrong types and missing fields", () => {
    const extra = golden();
    extra.graph.cutoff = 3;
    expect(schemaErrors(extra)).toContain("/graph: must NOT have additional properties 'cutoff'");
    const wrong = golden();
    wrong.params[0].offset = -1;
    expect(schemaErrors(wrong).join("\n")).toContain("/params/0/offset: must be >= 0");
    const missing = golden();
    delete missing.train.seed;
    expect(schemaErrors(missing).join("\n")).toContain("/train: must have required property 'seed'");
  });
});
