// The whole front end (parse, check, lower, schema) on thousands of broken specs: it must never throw, never
// hang, and always end either in diagnostics with valid spans or in an IR that passes the schema.
import fc from "fast-check";
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ts } from "ts-morph";
import type { Span } from "../grammar/ast.js";
import { formatDiagnostic, formatDiagnostics, MAX_ERRORS_SHOWN } from "../grammar/diagnostic.js";
import { planModel } from "./codegen/plan.js";
import { emitModelModule, moduleToJavaScript } from "./codegen/typescript.js";
import { compileSource } from "./compile.js";
import { schemaErrors } from "./ir/validate.js";

const dir = new URL("../specs/", import.meta.url);
const specs = readdirSync(dir).filter((f) => f.endsWith(".regnn")).map((f) => readFileSync(new URL(f, dir), "utf8"));

function validSpan(s: Span, text: string): boolean {
  return (
    Number.isInteger(s.startOffset) && Number.isInteger(s.endOffset) &&
    s.startOffset >= 0 && s.startOffset <= s.endOffset && s.endOffset <= text.length &&
    s.startLine >= 1 && s.startColumn >= 1 && s.endLine >= s.startLine
  );
}

function assertWellBehaved(text: string): void {
  const t0 = performance.now();
  const { ir, diagnostics } = compileSource(text, "fuzz.regnn");
  const ms = performance.now() - t0;
  expect(ms, "compile time (ms)").toBeLessThan(1000);
  for (const d of diagnostics) {
    expect(validSpan(d.span, text), `${d.code} span ${JSON.stringify(d.span)}`).toBe(true);
    expect(d.code).not.toBe("E999");
  }
  if (ir) expect(schemaErrors(ir)).toEqual([]);
  else expect(diagnostics.some((d) => d.severity === "error")).toBe(true);
  // What the CLI prints is bounded whatever the input: a window of the line, cut messages, 50 errors.
  for (const d of diagnostics.slice(0, 60)) expect(formatDiagnostic(d, "fuzz.regnn", text).length).toBeLessThan(MAX_FORMATTED);
  const shown = formatDiagnostics(diagnostics, "fuzz.regnn", text).split("\n").filter((l) => /^fuzz\.regnn:\d+:\d+ error /.test(l));
  expect(shown.length).toBeLessThanOrEqual(MAX_ERRORS_SHOWN);
}

/** A bound on one printed diagnostic: a 300-character message and hint, a 120-character window escaped. */
const MAX_FORMATTED = 2200;

/** Splits a spec into rough tokens (words, numbers, punctuation, white space) for token-level mutations. */
const tokens = (text: string): string[] => [...(text.match(/\s+|[A-Za-z_][A-Za-z0-9_]*|[0-9.]+(?:x[0-9]+[eoy])?[eoy]?|->|./gsu) ?? [])];

const mutation = fc.oneof(
  fc.record({ kind: fc.constant("delete"), at: fc.nat(), n: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant("swap"), at: fc.nat(), with: fc.nat() }),
  fc.record({ kind: fc.constant("duplicate"), at: fc.nat() }),
  fc.record({ kind: fc.constant("insert"), at: fc.nat(), text: fc.oneof(fc.string({ maxLength: 4 }), fc.string({ unit: "binary", maxLength: 3 }), fc.constantFrom("1e999", "-0", "99999999999999999999", "0x0e", "(", ")", "[", "]", "{", "}", ",", ":", "->", "relax", "layer", "\u0000", "\"")) }),
  fc.record({ kind: fc.constant("truncate"), at: fc.nat() }),
);

function mutate(text: string, ms: { kind: string; at: number; n?: number; with?: number; text?: string }[]): string {
  let toks = tokens(text);
  for (const m of ms) {
    if (toks.length === 0) break;
    const i = m.at % toks.length;
    if (m.kind === "delete") toks.splice(i, m.n!);
    else if (m.kind === "swap") {
      const j = m.with! % toks.length;
      [toks[i], toks[j]] = [toks[j]!, toks[i]!];
    } else if (m.kind === "duplicate") toks.splice(i, 0, toks[i]!);
    else if (m.kind === "insert") toks.splice(i, 0, m.text!);
    else toks = toks.slice(0, i);
  }
  return toks.join("");
}

// CI runs a fixed sample so that a red run always reproduces; `REGNN_FUZZ_SEED=random REGNN_FUZZ_RUNS=100000`
// explores further (fast-check prints the seed of any failure it finds).
const seedSetting = process.env.REGNN_FUZZ_SEED ?? "20261125";
const seed = seedSetting === "random" ? undefined : Number(seedSetting);
const runs = Number(process.env.REGNN_FUZZ_RUNS ?? 2500);

describe("front end fuzz", () => {
  it("survives token-level mutations of every spec", () => {
    fc.assert(
      fc.property(fc.constantFrom(...specs), fc.array(mutation, { minLength: 1, maxLength: 4 }), (spec, ms) => assertWellBehaved(mutate(spec, ms))),
      { numRuns: runs, seed },
    );
  });

  it("survives random bytes and random text", () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), assertWellBehaved), { numRuns: Math.ceil(runs / 5), seed });
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => assertWellBehaved(new TextDecoder().decode(b))), { numRuns: Math.ceil(runs / 8), seed });
  });

  it("survives pathological sizes: deep nesting, long names, huge numbers, many declarations", () => {
    assertWellBehaved(`model M { input x: 0e layer h = linear(x, ${"[".repeat(20_000)}) -> 0e output y = h }`);
    assertWellBehaved(`model M { input x: 0e train { regularize: ${"[".repeat(5000)}l2(1)${"]".repeat(5000)} } output y = x }`);
    assertWellBehaved(`model ${"M".repeat(100_000)} { input x: 0e output y = x }`);
    assertWellBehaved(`model M { input x: 99999999999999999999x0e + 1e308x1o output y = x }`);
    assertWellBehaved(`model M { input x: 0e ${Array.from({ length: 3000 }, (_, i) => `layer l${i} = linear(${i ? `l${i - 1}` : "x"}) -> 0e`).join("\n")} output y = l2999 }`);
    assertWellBehaved(`model M { input x: 0e ${Array.from({ length: 900 }, (_, i) => `layer l${i} = linear(${i ? `l${i - 1}` : "x"}) -> 0e`).join("\n")} output y = l899 }`);
  });

  it("emits a module without syntax errors for any model name and any spec file name", () => {
    const words = ["JSON", "eval", "arguments", "plan", "Promise", "GPUDevice", "undefined", "let", "yield", "await", "p", "e", "device", "constructor", "__proto__", "Float32Array"];
    const modelName = fc.oneof(fc.constantFrom(...words), fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,12}$/));
    const fileName = fc.oneof(fc.string({ unit: "grapheme", maxLength: 20 }), fc.constantFrom("a\u2028b.regnn", "*/.regnn", "\u2029\r\n*/ //", "\\u2028"));
    fc.assert(
      fc.property(modelName, fileName, (model, file) => {
        const r = compileSource(`model ${model} { input x: 0e output y = x }`, file);
        if (!r.ir) return; // a name the checker refuses (E130) never reaches code
        const module = emitModelModule(planModel(r.ir), { specFile: file });
        for (const [code, name] of [[module, "m.ts"], [moduleToJavaScript(module), "m.mjs"]] as const) {
          const out = ts.transpileModule(code, { fileName: name, reportDiagnostics: true, compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ES2022, allowJs: true } });
          expect((out.diagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")), `${model} ${JSON.stringify(file)}`).toEqual([]);
        }
      }),
      { numRuns: Math.min(runs, 60), seed },
    );
  });
});
