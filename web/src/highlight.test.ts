import { describe, expect, it } from "vitest";
import { highlightRanges } from "./highlight.js";

const classes = (text: string) => highlightRanges(text).map((r) => [text.slice(r.from, r.to), r.kind]);

describe("regnn syntax highlighting (from the compiler's lexer)", () => {
  it("colours keywords, irreps, numbers, calls, strings and comments", () => {
    const text = 'model M { // note\n  input x: 2x0e + 1o\n  layer h = linear(x) -> 0e /* block */\n  train { epochs: 5e2 name: "s" }\n}';
    expect(classes(text)).toEqual([
      ["model", "keyword"], ["// note", "comment"],
      ["input", "keyword"], ["2x0e", "irreps"], ["1o", "irreps"],
      ["layer", "keyword"], ["linear", "call"], ["0e", "irreps"], ["/* block */", "comment"],
      ["train", "keyword"], ["5e2", "number"], ['"s"', "string"],
    ]);
  });
  it("marks a number run into letters as bad, and colours an unterminated comment to the end", () => {
    expect(classes("input x: 12abc")).toEqual([["input", "keyword"], ["12abc", "bad"]]);
    expect(classes("model /* open\nrest")).toEqual([["model", "keyword"], ["/* open\nrest", "comment"]]);
  });
  it("never overlaps, whatever the text", () => {
    for (const text of ["", "////", "/* /* */ */", '"unterminated', "model{{{((", "1e 2o 3y x"]) {
      let last = 0;
      for (const r of highlightRanges(text)) {
        expect(r.from).toBeGreaterThanOrEqual(last);
        expect(r.to).toBeGreaterThan(r.from);
        last = r.to;
      }
    }
  });
});
