/**
 * Spans from offsets, fast: a table of line starts, searched by bisection. Lines are separated by "\n" only,
 * exactly as `lineColumn` in diagnostic.ts counts them, so every span agrees with `spanFromOffsets`.
 */
import type { Span } from "./ast.js";

export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly source: string) {
    for (let i = source.indexOf("\n"); i !== -1; i = source.indexOf("\n", i + 1)) this.starts.push(i + 1);
  }

  /** 1-based line and column of a 0-based offset (clamped to the source). */
  position(offset: number): { line: number; column: number } {
    const o = Math.max(0, Math.min(offset, this.source.length));
    let lo = 0, hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: o - this.starts[lo] + 1 };
  }

  /** The span of [start, end) (end exclusive), clamped so that 0 <= start <= end <= source.length. */
  span(start: number, end: number): Span {
    const s = Math.max(0, Math.min(start, this.source.length));
    const e = Math.max(s, Math.min(end, this.source.length));
    const a = this.position(s), b = this.position(e);
    return { startOffset: s, endOffset: e, startLine: a.line, startColumn: a.column, endLine: b.line, endColumn: b.column };
  }

  /** A zero-width span at the end of the source (where "end of file" errors point). */
  end(): Span {
    return this.span(this.source.length, this.source.length);
  }
}
