// How diagnostics are shown: an excerpt bounded to a window around the caret whatever the line's length, and
// at most MAX_ERRORS_SHOWN errors per file, then a count of the rest.
import { describe, expect, test } from "vitest";
import { EXCERPT_WIDTH, error, formatDiagnostic, formatDiagnostics, MAX_ERRORS_SHOWN, spanFromOffsets, type Diagnostic } from "./diagnostic.js";
import { parseSpec } from "./index.js";

describe("source excerpts", () => {
  test("a long line is cut to a window around the caret, with the caret under the span", () => {
    const src = `model A { train { epochs: 1 ${"x: 1 ".repeat(2000)}$ ${"x: 1 ".repeat(2000)} } }`;
    const [d] = parseSpec(src).diagnostics;
    expect([d!.code, d!.message]).toEqual(["L001", "unexpected character '$'"]);
    const lines = formatDiagnostic(d!, "t.regnn", src).split("\n");
    expect(lines).toEqual([
      `t.regnn:1:${src.indexOf("$") + 1} error L001: unexpected character '$'`,
      `1 | …${src.slice(src.indexOf("$") - 40, src.indexOf("$") + 80)}…`,
      `${" ".repeat(4 + 1 + 40)}^`,
    ]);
    expect(lines[1]!.length).toBe(4 + 1 + EXCERPT_WIDTH + 1);
  });

  test("the window starts at the line's start near it, and ends at the line's end near it", () => {
    const long = "y".repeat(300);
    const src = `model A { ${long} }`;
    const start = error("P002", "m", spanFromOffsets(src, 10, 13));
    expect(formatDiagnostic(start, "t", src).split("\n").slice(1)).toEqual([`1 | ${src.slice(0, EXCERPT_WIDTH)}…`, `${" ".repeat(4 + 10)}^^^`]);
    const end = error("P001", "m", spanFromOffsets(src, src.length - 1, src.length));
    expect(formatDiagnostic(end, "t", src).split("\n").slice(1)).toEqual([`1 | …${src.slice(src.length - EXCERPT_WIDTH)}`, `${" ".repeat(4 + 1 + EXCERPT_WIDTH - 1)}^`]);
  });

  test("a span longer than the window is underlined to the window's end", () => {
    const src = `model ${"M".repeat(500)} {}`;
    const d = error("E130", "m", spanFromOffsets(src, 6, 506));
    expect(formatDiagnostic(d, "t", src).split("\n").slice(1)).toEqual([`1 | ${src.slice(0, EXCERPT_WIDTH)}…`, `${" ".repeat(4 + 6)}${"^".repeat(EXCERPT_WIDTH - 6)}`]);
  });

  test("control characters, line separators and bidirectional overrides are escaped, and the caret stays aligned", () => {
    const src = "model A {\u0001\u2028\u202e\u0085 $ }";
    const d = error("L001", "unexpected character '$'", spanFromOffsets(src, 14, 15));
    expect(formatDiagnostic(d, "t", src).split("\n").slice(1)).toEqual(["1 | model A {\\x01\\u2028\\u202e\\x85 $ }", `${" ".repeat(4 + 30)}^`]);
  });

  test("a window never cuts a surrogate pair in two", () => {
    const src = `${"\u{1f600}".repeat(200)}$`;
    const d = error("L001", "m", spanFromOffsets(src, 400, 401));
    const excerpt = formatDiagnostic(d, "t", src).split("\n")[1]!;
    expect(excerpt).toBe(`1 | …${"\u{1f600}".repeat(59)}$`);
  });

  test("long messages and hints are cut", () => {
    const d = error("E999", "m".repeat(1000), spanFromOffsets("x", 0, 1), "h".repeat(1000));
    const lines = formatDiagnostic(d, "t", "x").split("\n");
    expect(lines[0]).toBe(`t:1:1 error E999: ${"m".repeat(300)}…`);
    expect(lines[3]).toBe(`  = hint: ${"h".repeat(300)}…`);
  });
});

describe("how many are shown", () => {
  const many = (n: number, severity: "error" | "warning" = "error"): Diagnostic[] =>
    Array.from({ length: n }, (_, i) => ({ ...error("L001", `number ${i}`, spanFromOffsets("abc", 0, 1)), severity }));

  test(`at most ${MAX_ERRORS_SHOWN} errors and ${MAX_ERRORS_SHOWN} warnings, then one line counting the rest`, () => {
    const text = formatDiagnostics([...many(690), ...many(52, "warning")], "bin.regnn", "abc");
    const heads = text.split("\n").filter((l) => l.startsWith("bin.regnn:1:1"));
    expect(heads).toHaveLength(2 * MAX_ERRORS_SHOWN);
    expect(heads[MAX_ERRORS_SHOWN - 1]).toBe("bin.regnn:1:1 error L001: number 49");
    expect(heads[MAX_ERRORS_SHOWN]).toBe("bin.regnn:1:1 warning L001: number 0");
    expect(heads[2 * MAX_ERRORS_SHOWN - 1]).toBe("bin.regnn:1:1 warning L001: number 49");
    expect(text.endsWith("1 | abc\n    ^\n\nbin.regnn: 640 more errors and 2 more warnings not shown (at most 50 errors and 50 warnings are printed per file)\n\n")).toBe(true);
  });

  test("an error after many warnings is still shown", () => {
    const text = formatDiagnostics([...many(60, "warning"), ...many(1)], "t.regnn", "abc");
    expect(text.split("\n").filter((l) => l.startsWith("t.regnn:1:1 error"))).toEqual(["t.regnn:1:1 error L001: number 0"]);
    expect(text.endsWith("t.regnn: 10 more warnings not shown (at most 50 errors and 50 warnings are printed per file)\n\n")).toBe(true);
  });

  test("everything, with no count, up to the limit", () => {
    const text = formatDiagnostics(many(MAX_ERRORS_SHOWN), "t.regnn", "abc");
    expect(text.split("\n").filter((l) => l.startsWith("t.regnn:1:1"))).toHaveLength(MAX_ERRORS_SHOWN);
    expect(text).not.toContain("not shown");
    expect(formatDiagnostics(many(MAX_ERRORS_SHOWN + 1), "t.regnn", "abc")).toContain("t.regnn: 1 more error not shown (at most 50 errors and 50 warnings are printed per file)\n");
  });
});
