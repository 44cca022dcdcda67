import { describe, expect, it } from "vitest";
import { planLiteral } from "./plan-literal.js";
import { templateLiteral } from "./text-safety.js";

const evaluate = (code: string): unknown => new Function(`return (${code});`)();

describe("templateLiteral", () => {
  it("reads back exactly, whatever the text", () => {
    for (const text of ["", "a\nb", "`", "${x}", "$", "${", "\\", "\\`", "a\r\nb\rc", "\u2028\u2029", "\x00\x01\x1f\x7f", "\ud800x\udc00", "😀", "end\\"]) {
      expect(evaluate(templateLiteral(text)), JSON.stringify(text)).toBe(text);
    }
  });

  it("keeps lines as lines and runs nothing", () => {
    expect(templateLiteral("fn main() {\n  return;\n}")).toBe("`fn main() {\n  return;\n}`");
    (globalThis as Record<string, unknown>).__pwned = false;
    expect(evaluate(templateLiteral("${globalThis.__pwned = true}`; globalThis.__pwned = true; `"))).toBe("${globalThis.__pwned = true}`; globalThis.__pwned = true; `");
    expect((globalThis as Record<string, unknown>).__pwned).toBe(false);
  });
});

describe("planLiteral", () => {
  it("evaluates to the JSON round trip of its input", () => {
    const data = {
      planVersion: 1,
      "__proto__": { polluted: true },
      nested: [{ a: [1, -0, 1e-300, 1.5e300, NaN, Infinity, null], b: "x\u2028y" }, [], {}],
      code: "line 1\nline `2` ${3}\r\n",
      "key with \"quotes\"": "\ud83d",
      values: Array.from({ length: 50 }, (_, i) => i / 7),
      cols: 4,
    };
    const expected = JSON.parse(JSON.stringify(data));
    const got = evaluate(planLiteral(data)) as Record<string, unknown>;
    expect(got).toEqual(expected);
    expect(Object.getPrototypeOf(got)).toBe(Object.prototype);
    expect(Object.keys(got)).toEqual(Object.keys(expected));
  });

  it("formats: short objects on one line, long lists wrapped, tables one row per line, WGSL as lines", () => {
    const text = planLiteral({
      kernels: [{ label: "k", code: "fn main() {\n}\n" }],
      buffers: [{ name: "t", cols: 24, values: Array.from({ length: 50 }, (_, i) => i + 100) }, { name: "u", values: Array.from({ length: 200 }, (_, i) => i) }],
      steps: [{ label: "s", kernel: 0, buffers: ["a", "b"], rows: { count: 3 } }],
    });
    expect(text).toContain('      "code": `fn main() {\n}\n`,');
    const row = (from: number, to: number) => `        ${Array.from({ length: to - from }, (_, i) => `${from + i},`).join(" ")}`;
    expect(text).toContain(`      "values": [\n${row(100, 124)}\n${row(124, 148)}\n${row(148, 150)}\n      ],`);
    expect(text).toContain('  "steps": [{ "label": "s", "kernel": 0, "buffers": ["a", "b"], "rows": { "count": 3 } }],');
    const lines = text.split("\n");
    expect(lines.length).toBeGreaterThan(10);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(140);
  });
});
