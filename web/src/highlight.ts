/**
 * Syntax highlighting for .regnn from the compiler's own lexer (grammar/tokens.ts), so the editor colours
 * exactly what the compiler reads: keywords, irreps, numbers, strings, calls. Comments are skipped by the
 * lexer, so they are found in the gaps between tokens.
 */
import { RangeSetBuilder } from "@codemirror/state";
import { Decoration, EditorView, ViewPlugin, type DecorationSet, type ViewUpdate } from "@codemirror/view";
import { lex } from "../../grammar/tokens.js";
import { LineIndex } from "../../grammar/span.js";

const mark = (cls: string) => Decoration.mark({ class: cls });
const MARKS = {
  keyword: mark("tok-keyword"),
  irreps: mark("tok-irreps"),
  number: mark("tok-number"),
  string: mark("tok-string"),
  call: mark("tok-call"),
  comment: mark("tok-comment"),
  bad: mark("tok-bad"),
};

function classify(name: string, next: string | undefined): TokenClass | undefined {
  if (name.startsWith("KW_")) return "keyword";
  if (name === "IrrepTerm") return "irreps";
  if (name === "BadWord") return "bad";
  if (name === "Number" || name === "NumberExp") return "number";
  if (name === "String") return "string";
  if (name === "Name" && next === "LParen") return "call";
  return undefined;
}

export type TokenClass = keyof typeof MARKS;

/** The coloured ranges of a spec, sorted and non-overlapping. */
export function highlightRanges(text: string): { from: number; to: number; kind: TokenClass }[] {
  const ranges: { from: number; to: number; kind: TokenClass }[] = [];
  const { tokens } = lex(text, new LineIndex(text));
  const comments = (from: number, to: number) => {
    const gap = text.slice(from, to);
    for (const m of gap.matchAll(/\/\/[^\n]*|\/\*[\s\S]*?(?:\*\/|$)/g)) ranges.push({ from: from + m.index, to: from + m.index + m[0].length, kind: "comment" });
  };
  let at = 0;
  tokens.forEach((t, i) => {
    const end = t.startOffset + t.image.length;
    comments(at, t.startOffset);
    const kind = classify(t.tokenType.name, tokens[i + 1]?.tokenType.name);
    if (kind) ranges.push({ from: t.startOffset, to: end, kind });
    at = Math.max(at, end);
  });
  comments(at, text.length);
  ranges.sort((a, b) => a.from - b.from);
  let last = 0;
  return ranges.filter((r) => {
    if (r.from < last || r.to <= r.from) return false;
    last = r.to;
    return true;
  });
}

function decorate(text: string): DecorationSet {
  const builder = new RangeSetBuilder<Decoration>();
  for (const r of highlightRanges(text)) builder.add(r.from, r.to, MARKS[r.kind]);
  return builder.finish();
}

export const regnnHighlighting = ViewPlugin.fromClass(
  class {
    decorations: DecorationSet;
    constructor(view: EditorView) {
      this.decorations = decorate(view.state.doc.toString());
    }
    update(u: ViewUpdate) {
      if (u.docChanged) this.decorations = decorate(u.state.doc.toString());
    }
  },
  { decorations: (v) => v.decorations },
);
