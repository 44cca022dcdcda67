/**
 * The .regnn front end: `parseSpec(source)` lexes, parses (with error recovery) and builds the AST. It
 * never throws; with errors it still returns the declarations it could read, and every node and diagnostic
 * carries a span inside the source.
 */
import type { IRecognitionException } from "chevrotain";
import type { SpecFile } from "./ast.js";
import { error, sortDiagnostics, type Diagnostic } from "./diagnostic.js";
import { describeToken } from "./messages.js";
import { limitNesting } from "./nesting.js";
import { parser } from "./parser.js";
import { LineIndex } from "./span.js";
import { AstBuilder } from "./to-ast.js";
import { lex, tokenEnd } from "./tokens.js";

export type * from "./ast.js";
export * from "./diagnostic.js";

export interface ParseResult {
  ast: SpecFile;
  /** Sorted by position; at most one per source position (the first reported there). */
  diagnostics: Diagnostic[];
}

export function parseSpec(source: string): ParseResult {
  let text = "";
  try {
    text = typeof source === "string" ? source : String(source);
    const lines = new LineIndex(text);
    const p = parser(); // first: it registers the token types that the nesting guard makes up
    const lexed = lex(text, lines);
    const nested = limitNesting(lexed.tokens, lines);
    const { cst, errors } = p.parse(nested.tokens, lines);
    const builder = new AstBuilder(lines, nested.tokens);
    const ast = builder.file(cst);
    let later = [...errors.map((e) => syntaxError(e, lines)), ...builder.diagnostics];
    // An unterminated comment swallows the rest of the file: what is then missing at its end is not news.
    if (lexed.diagnostics.some((d) => d.code === "L003")) later = later.filter((d) => d.span.startOffset < text.length);
    return { ast, diagnostics: dedupe([...lexed.diagnostics, ...nested.diagnostics, ...later]) };
  } catch (e) {
    // A bug, not bad input: still no exception for the caller.
    const message = e instanceof Error ? e.message : "unknown error";
    const lines = new LineIndex(text);
    return {
      ast: { kind: "SpecFile", models: [], span: lines.span(0, text.length) },
      diagnostics: [error("P000", `internal parser error: ${message.split("\n")[0]}`, lines.span(0, 0), "please report this with the input that caused it")],
    };
  }
}

function syntaxError(e: IRecognitionException, lines: LineIndex): Diagnostic {
  const t = e.token;
  const atEnd = t === undefined || !Number.isFinite(t.startOffset);
  const span = atEnd ? lines.end() : lines.span(t.startOffset, tokenEnd(t));
  const message = e.message.includes(", found ") ? e.message : `${e.message}, found ${describeToken(atEnd ? undefined : t)}`;
  return error("P001", message, span);
}

/**
 * One diagnostic per start position, the first reported winning (lexer before parser before the AST
 * builder): a bad token is reported once, not again by every rule that trips over it.
 */
function dedupe(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Set<number>();
  const out: Diagnostic[] = [];
  for (const d of ds) {
    if (seen.has(d.span.startOffset)) continue;
    seen.add(d.span.startOffset);
    out.push(d);
  }
  return sortDiagnostics(out);
}
