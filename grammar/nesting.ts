/**
 * The nesting guard: brackets nested deeper than MAX_NESTING would make the recursive-descent parser (and
 * everything after it) recurse without bound. Before parsing, the contents of every bracket opened at depth
 * MAX_NESTING + 1 are replaced by one placeholder name, and P003 points at that bracket.
 */
import { createTokenInstance, type IToken } from "chevrotain";
import { error, type Diagnostic } from "./diagnostic.js";
import type { LineIndex } from "./span.js";
import * as T from "./tokens.js";

export const MAX_NESTING = 64;

function isOpen(t: IToken): boolean {
  return t.tokenType === T.LParen || t.tokenType === T.LBracket;
}

function isClose(t: IToken): boolean {
  return t.tokenType === T.RParen || t.tokenType === T.RBracket;
}

export function limitNesting(tokens: IToken[], lines: LineIndex): { tokens: IToken[]; diagnostics: Diagnostic[] } {
  const out: IToken[] = [];
  const diagnostics: Diagnostic[] = [];
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (isClose(t)) {
      depth = Math.max(0, depth - 1);
      out.push(t);
      continue;
    }
    if (!isOpen(t)) {
      out.push(t);
      continue;
    }
    if (depth < MAX_NESTING) {
      depth++;
      out.push(t);
      continue;
    }
    // Too deep: keep this bracket, drop everything up to its partner (or the end), keep the partner.
    diagnostics.push(
      error("P003", `nesting too deep: more than ${MAX_NESTING} levels of brackets`, lines.span(t.startOffset, T.tokenEnd(t)), "flatten the expression"),
    );
    out.push(t);
    let j = i + 1;
    for (let level = 1; j < tokens.length; j++) {
      if (isOpen(tokens[j])) level++;
      else if (isClose(tokens[j]) && --level === 0) break;
    }
    if (j > i + 1) {
      const first = tokens[i + 1], last = tokens[j - 1];
      out.push(createTokenInstance(T.Placeholder, "…", first.startOffset, T.tokenEnd(last) - 1, NaN, NaN, NaN, NaN));
    }
    if (j < tokens.length) out.push(tokens[j]);
    i = j;
  }
  return { tokens: out, diagnostics };
}
