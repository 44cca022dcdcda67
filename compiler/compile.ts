/**
 * The compiler pipeline for one spec: parse -> check -> lower -> validate the IR against its schema.
 * Never throws on user input: bad input comes back as diagnostics.
 */
import type { Span } from "../grammar/ast.js";
import { error, sortDiagnostics, type Diagnostic } from "../grammar/diagnostic.js";
import { parseSpec } from "../grammar/index.js";
import { notText } from "../grammar/source-text.js";
import { check } from "./check/checker.js";
import { lower } from "./ir/lower.js";
import type { ModelIR } from "./ir/types.js";
import { assertValidIR } from "./ir/validate.js";

/** Specs are small; anything this large is almost certainly not a spec, and would only slow everything. */
export const MAX_SPEC_BYTES = 1 << 20;

export interface CompileResult {
  /** Present when there were no errors. */
  ir?: ModelIR;
  diagnostics: Diagnostic[];
}

const wholeFile = (text: string): Span => ({ startOffset: 0, endOffset: Math.min(1, text.length), startLine: 1, startColumn: 1, endLine: 1, endColumn: 2 });

export function compileSource(text: string, file: string): CompileResult {
  if (text.length > MAX_SPEC_BYTES) {
    return { diagnostics: [error("E131", `the spec is ${text.length} characters long; specs may be at most ${MAX_SPEC_BYTES}`, wholeFile(text))] };
  }
  const binary = notText(text);
  if (binary) return { diagnostics: [binary] };
  const parsed = parseSpec(text);
  // Checking a tree the parser had to repair would mostly report the repair; syntax errors come first.
  if (parsed.diagnostics.some((d) => d.severity === "error")) return { diagnostics: sortDiagnostics(parsed.diagnostics) };
  const checked = check(parsed.ast);
  const diagnostics = sortDiagnostics([...parsed.diagnostics, ...checked.diagnostics]);
  if (!checked.model) return { diagnostics };
  const ir = lower(checked.model, { file, text });
  assertValidIR(ir);
  return { ir, diagnostics };
}
