// Files that are not UTF-8 text are refused with one diagnostic, not lexed into hundreds.
import { describe, expect, test } from "vitest";
import { compileSource } from "../compiler/compile.js";
import { decodeSpec } from "./source-text.js";

const utf8 = (s: string) => new TextEncoder().encode(s);
const shape = (r: ReturnType<typeof decodeSpec>) => r.diagnostic && { code: r.diagnostic.code, message: r.diagnostic.message, hint: r.diagnostic.hint, span: r.diagnostic.span };

describe("decodeSpec", () => {
  test("UTF-8 text comes back as it is, without a byte order mark", () => {
    expect(decodeSpec(utf8("model A { } // ∞ é \u{1f600}"))).toEqual({ text: "model A { } // ∞ é \u{1f600}" });
    expect(decodeSpec(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8("model A {}")]))).toEqual({ text: "model A {}" });
  });

  test("invalid UTF-8 is refused at the first bad byte", () => {
    const bytes = new Uint8Array([...utf8("model A {\n  é"), 0xc3, 0x28, ...utf8(" }")]);
    expect(shape(decodeSpec(bytes))).toEqual({
      code: "E132",
      message: "not a text file: invalid UTF-8 at byte offset 14",
      hint: "a spec is UTF-8 text; is this the right file?",
      span: { startOffset: 13, endOffset: 14, startLine: 2, startColumn: 4, endLine: 2, endColumn: 5 },
    });
    // Overlong forms and UTF-16 surrogates encoded as UTF-8 are not UTF-8 either.
    expect(shape(decodeSpec(new Uint8Array([0x61, 0xc0, 0xaf])))?.message).toBe("not a text file: invalid UTF-8 at byte offset 1");
    expect(shape(decodeSpec(new Uint8Array([0xed, 0xa0, 0x80])))?.message).toBe("not a text file: invalid UTF-8 at byte offset 0");
    expect(shape(decodeSpec(new Uint8Array([0x61, 0xe2, 0x82])))?.message).toBe("not a text file: invalid UTF-8 at byte offset 1");
  });

  test("UTF-16 is named as such", () => {
    const r = decodeSpec(new Uint8Array([0xff, 0xfe, 0x6d, 0x00, 0x6f, 0x00]));
    expect(shape(r)).toEqual({
      code: "E132",
      message: "not a text file: it is UTF-16 (it starts with a UTF-16 byte order mark)",
      hint: "save the spec as UTF-8",
      span: { startOffset: 0, endOffset: 1, startLine: 1, startColumn: 1, endLine: 1, endColumn: 2 },
    });
  });

  test("a NUL byte is refused, pointing at it", () => {
    expect(shape(decodeSpec(utf8("model A {\n\u0000\u0001\u0002")))).toEqual({
      code: "E132",
      message: "not a text file: it contains a NUL character (U+0000)",
      hint: "a spec is UTF-8 text; is this the right file?",
      span: { startOffset: 10, endOffset: 11, startLine: 2, startColumn: 1, endLine: 2, endColumn: 2 },
    });
  });

  test("4 KB of binary gives one diagnostic", () => {
    let x = 12345;
    const bytes = Uint8Array.from({ length: 4096 }, () => ((x = (x * 1103515245 + 12345) >>> 0) >>> 16) & 0xff);
    expect(decodeSpec(bytes).diagnostic?.code).toBe("E132");
  });
});

test("compileSource refuses text with a NUL character with one diagnostic", () => {
  const { ir, diagnostics } = compileSource(`model A { input x: 0e output y = x }\u0000${"\u0001@#".repeat(1000)}`, "t.regnn");
  expect(ir).toBeUndefined();
  expect(diagnostics.map((d) => [d.code, d.message, d.span.startOffset, d.span.endOffset])).toEqual([["E132", "not a text file: it contains a NUL character (U+0000)", 36, 37]]);
});
