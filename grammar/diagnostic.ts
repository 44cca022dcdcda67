/**
 * Diagnostics: what every stage (lexer, parser, checker) reports about bad input, and how it is shown:
 * `file:line:col error CODE: message`, the source line, a caret under the span, and a hint if there is one.
 */
import type { Span } from "./ast.js";

export type Severity = "error" | "warning";

export interface Diagnostic {
  severity: Severity;
  /** Stable code: L… lexer, P… parser, E… checker, W… warnings. */
  code: string;
  /** One line, no trailing period. */
  message: string;
  span: Span;
  /** A likely fix, e.g. "did you mean D4h?". */
  hint?: string;
}

export function error(code: string, message: string, span: Span, hint?: string): Diagnostic {
  return hint === undefined ? { severity: "error", code, message, span } : { severity: "error", code, message, span, hint };
}

/** A span from 0-based offsets, computing 1-based lines and columns from the source. */
export function spanFromOffsets(source: string, start: number, end: number): Span {
  const s = Math.max(0, Math.min(start, source.length));
  const e = Math.max(s, Math.min(end, source.length));
  const a = lineColumn(source, s), b = lineColumn(source, e);
  return { startOffset: s, endOffset: e, startLine: a.line, startColumn: a.column, endLine: b.line, endColumn: b.column };
}

export function lineColumn(source: string, offset: number): { line: number; column: number } {
  let line = 1, lineStart = 0;
  for (let i = 0; i < offset && i < source.length; i++) {
    if (source.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** Control characters would garble a terminal; show them escaped. */
function printable(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`).replace(/\t/g, " ");
}

/** Renders one diagnostic as the CLI prints it. */
export function formatDiagnostic(d: Diagnostic, file: string, source: string): string {
  const { startLine: line, startColumn: col } = d.span;
  const head = `${file}:${line}:${col} ${d.severity} ${d.code}: ${d.message}`;
  const lines = source.split("\n");
  const text = (lines[line - 1] ?? "").replace(/\r$/, "");
  const shown = printable(text);
  const width = d.span.endLine === line ? Math.max(1, d.span.endColumn - col) : Math.max(1, text.length - col + 1);
  const gutter = `${line} | `;
  const out = [head, `${gutter}${shown}`, `${" ".repeat(gutter.length + col - 1)}${"^".repeat(Math.min(width, Math.max(1, shown.length - col + 1)))}`];
  if (d.hint) out.push(`${" ".repeat(gutter.length - 2)}= hint: ${d.hint}`);
  return out.join("\n");
}

/** Sorts by position, then code, so output is stable. */
export function sortDiagnostics(ds: readonly Diagnostic[]): Diagnostic[] {
  return [...ds].sort((a, b) => a.span.startOffset - b.span.startOffset || a.code.localeCompare(b.code));
}
