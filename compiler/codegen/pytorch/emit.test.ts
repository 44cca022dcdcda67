// The generated Python's text: the class name never shadows what the module or Python defines, spec text is
// only ever inside one ASCII string literal, and that literal decodes to the model's data.
import { describe, expect, it } from "vitest";
import type { ModelIR } from "../../ir/types.js";
import { compileOrThrow } from "../../../test/test-models.js";
import { emitPyTorchModule, pytorchClassName } from "./emit.js";
import { asciiJson, pythonIdentifier } from "./literal.js";

const ir = compileOrThrow("model Good { input x: 0e + 1o  layer l = linear(x) -> 0e  output y = l }");
const named = (model: string) => ({ ...ir, model }) as ModelIR;

describe("the PyTorch emitter's text", () => {
  it("keeps a safe model name and renames one that would shadow a builtin, an import or a module-level name", () => {
    expect(pytorchClassName(ir)).toBe("Good");
    for (const [name, cls] of [["list", "listModel"], ["torch", "torchModel"], ["RegnnModel", "RegnnModelModel"], ["batch_graphs", "batch_graphsModel"], ["main", "mainModel"], ["class", "Model_class"], ["9lives", "Model_9lives"], ["a-b c", "a_b_c"]] as const)
      expect(pytorchClassName(named(name)), name).toBe(cls);
    expect(pythonIdentifier("__init__")).toBe("Model___init__");
  });

  it("writes spec text only inside one ASCII JSON literal that decodes to the data", () => {
    const text = "x\"\\\n\u2028\u{1F600}'''\"\"\"";
    const lit = asciiJson(text);
    expect(/^[\x20-\x7e]*$/.test(lit)).toBe(true);
    expect(JSON.parse(lit)).toBe(text);
    const py = emitPyTorchModule(named(text));
    expect(/^[\x09\x0a\x20-\x7e]*$/.test(py)).toBe(true);
    const line = py.split("\n").find((l) => l.startsWith("_DATA = json.loads("))!;
    const data = JSON.parse(JSON.parse(line.slice("_DATA = json.loads(".length, -1))) as { model: string; layers: { name: string }[] };
    expect(data.model).toBe(text);
    expect(py.split("\n").filter((l) => l.includes("\\u2028")).length).toBe(1);
  });
});
