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

/**
 * Control characters would garble a terminal, line separators would break the excerpt's line, and bidirectional
 * overrides would make the excerpt read differently from the source: show them all escaped.
 */
function printable(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g, (c) => {
      const code = c.charCodeAt(0);
      return code > 0xff ? `\\u${code.toString(16)}` : `\\x${code.toString(16).padStart(2, "0")}`;
    })
    .replace(/\t/g, " ");
}

/**
 * The most characters of a source line an excerpt shows. A longer line (a minified or generated spec can be
 * one line of megabytes) is cut to a window around the caret, marked with … where it was cut.
 */
export const EXCERPT_WIDTH = 120;
/** How many characters before the caret the window keeps, when the line is cut. */
const EXCERPT_BEFORE = 40;
/** Messages and hints longer than this are cut too (they quote source text). */
const MAX_MESSAGE = 300;

const cut = (text: string) => (text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}…` : text);

/** Renders one diagnostic as the CLI prints it. */
export function formatDiagnostic(d: Diagnostic, file: string, source: string): string {
  const { startLine: line, startColumn: col } = d.span;
  const head = `${file}:${line}:${col} ${d.severity} ${d.code}: ${cut(d.message)}`;
  const text = lineText(source, line);
  const at = Math.min(col - 1, text.length);
  const spanEnd = d.span.endLine === line ? Math.max(at + 1, d.span.endColumn - 1) : text.length;
  // The window: the whole line when it fits, else EXCERPT_WIDTH characters starting a little before the caret.
  let from = text.length <= EXCERPT_WIDTH ? 0 : Math.max(0, Math.min(at - EXCERPT_BEFORE, text.length - EXCERPT_WIDTH));
  let to = Math.min(text.length, from + EXCERPT_WIDTH);
  // Never cut a surrogate pair in two.
  if (from > 0 && isLowSurrogate(text.charCodeAt(from))) from++;
  if (to < text.length && isLowSurrogate(text.charCodeAt(to))) to--;
  const before = from > 0 ? "…" : "";
  const shown = `${before}${printable(text.slice(from, to))}${to < text.length ? "…" : ""}`;
  const gutter = `${line} | `;
  const pad = before.length + printable(text.slice(from, at)).length;
  const width = Math.max(1, printable(text.slice(at, Math.min(spanEnd, to))).length);
  const out = [head, `${gutter}${shown}`, `${" ".repeat(gutter.length + pad)}${"^".repeat(width)}`];
  if (d.hint) out.push(`${" ".repeat(gutter.length - 2)}= hint: ${cut(d.hint)}`);
  return out.join("\n");
}

const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/** Line `line` (1-based) of the source without its line break, found without splitting the whole source. */
function lineText(source: string, line: number): string {
  let start = 0;
  for (let i = 1; i < line; i++) {
    const nl = source.indexOf("\n", start);
    if (nl === -1) return "";
    start = nl + 1;
  }
  const end = source.indexOf("\n", start);
  return source.slice(start, end === -1 ? source.length : end).replace(/\r$/, "");
}

/** The most errors, and the most warnings, printed for one file; the rest are counted. */
export const MAX_ERRORS_SHOWN = 50;

/**
 * Renders a file's diagnostics as the CLI prints them, each followed by a blank line: in order, the first
 * MAX_ERRORS_SHOWN errors and the first MAX_ERRORS_SHOWN warnings, then one line counting what was left out.
 */
export function formatDiagnostics(ds: readonly Diagnostic[], file: string, source: string): string {
  const out: string[] = [];
  const shown = { error: 0, warning: 0 }, hidden = { error: 0, warning: 0 };
  for (const d of ds) {
    if (shown[d.severity] >= MAX_ERRORS_SHOWN) {
      hidden[d.severity]++;
      continue;
    }
    shown[d.severity]++;
    out.push(`${formatDiagnostic(d, file, source)}\n\n`);
  }
  const count = (n: number, what: string) => (n ? [`${n} more ${what}${n === 1 ? "" : "s"}`] : []);
  const parts = [...count(hidden.error, "error"), ...count(hidden.warning, "warning")];
  if (parts.length) out.push(`${file}: ${parts.join(" and ")} not shown (at most ${MAX_ERRORS_SHOWN} errors and ${MAX_ERRORS_SHOWN} warnings are printed per file)\n\n`);
  return out.join("");
}

/** Sorts by position, then code, so output is stable. */
export function sortDiagnostics(ds: readonly Diagnostic[]): Diagnostic[] {
  return [...ds].sort((a, b) => a.span.startOffset - b.span.startOffset || a.code.localeCompare(b.code));
}
