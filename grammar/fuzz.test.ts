/**
 * Fuzzing parseSpec: mutations of valid specs, random text and pathological inputs. Whatever the input,
 * parseSpec returns (no exception) within a second, and every span it hands out (diagnostics and AST
 * nodes) lies inside the source with lines and columns that agree with its offsets.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { Span } from "./ast.js";
import { spanFromOffsets } from "./diagnostic.js";
import { parseSpec } from "./index.js";

const CUBE = `// cube -> square prism (paper.md)
model CubeToPrism {
  symmetry relax to C1 lmax 4 mul 1
  graph radius 1.8
  input x: 1x0e per node
  input pos: positions
  target t: 0e + 1o + 2e per node
  edge sh = spherical_harmonics(lmax: 2, normalization: component)
  edge emb = bessel(count: 8, cutoff: 1.8)
  layer h1 = relaxed_conv(x, sh, emb, radial: [16], act: silu) -> 0e + 1o + 2e
  layer h2 = relaxed_conv(h1, sh, emb) -> 0e+1o+2e
  output y = h2 per node
  train {
    loss: sse(y, t)
    optimizer: sgd(lr: 1e-2, momentum: 0.9)
    epochs: 800
    regularize: l2(1e-6)
    name: "cube \\"prism\\""
  }
}
`;

const EVERYTHING = `model Everything {
  symmetry relax to D4h axis (0, 0, 1) secondary (1, -1, 0) lmax 4 mul 2;
  graph radius 2.5 max_neighbors 12
  input x: 16x0e + 4x1o per node
  input e: 8x0e per edge
  target u: 0e per graph
  edge sh = spherical_harmonics(lmax: 2, normalization: component,)
  layer g = gate(h, scalars: silu, gates: sigmoid) -> 16x0e + 8x1o + 3y
  layer p = pool(g, reduce: mean)
  output z = p per graph
  train { loss: sse(z, u); regularize: [l2(1e-6), group_lasso(.5e-4)]; tag: "r\\u00e9sum\\u00e9\\n" axis: (0, 0, -1) }
}
/* trailing
   comment */
model Second { symmetry O(3) graph knn 8 } model Third { graph full; graph edges; symmetry C∞v }
`;

const SPECS = [CUBE, EVERYTHING];

/** Pieces the token-level mutations splice in. */
const VOCABULARY = [
  "model", "symmetry", "relax", "to", "axis", "secondary", "lmax", "mul", "graph", "radius", "max_neighbors", "knn", "full",
  "edges", "input", "target", "per", "node", "edge", "layer", "output", "train", "positions", "x", "C∞v", "O", "{", "}", "(",
  ")", "[", "]", ",", ":", ";", "=", "->", "+", "-", "0e", "1o", "2y", "16x1o", "1x", "2q", "1e-2", "1e999", "-0.5", ".5", "3",
  '"s"', '"unterminated', "/*", "*/", "//", "\n", " ", "$", "∞", "\u0000", "\ud800", "é",
];

/** Splits a spec into tokens and the whitespace between them, so that joining the pieces gives it back. */
function pieces(source: string): string[] {
  return source.match(/\s+|\/\/[^\n]*|\/\*[\s\S]*?\*\/|"(?:[^"\\\n]|\\.)*"|->|[A-Za-z_][\w∞]*|\d+x\d+[eoy]|-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[a-z]?|[^]/gu) ?? [];
}

/** Line starts, independently of the code under test, for checking large inputs quickly. */
function lineStarts(source: string): number[] {
  const starts = [0];
  for (let i = 0; i < source.length; i++) if (source.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function position(starts: number[], offset: number): [number, number] {
  let lo = 0, hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return [lo + 1, offset - starts[lo] + 1];
}

function checkSpan(source: string, starts: number[], span: Span, what: string): void {
  const { startOffset: s, endOffset: e } = span;
  if (!(Number.isInteger(s) && Number.isInteger(e) && 0 <= s && s <= e && e <= source.length)) {
    throw new Error(`${what}: span [${s}, ${e}) outside a source of length ${source.length}`);
  }
  const [sl, sc] = position(starts, s), [el, ec] = position(starts, e);
  if (span.startLine !== sl || span.startColumn !== sc || span.endLine !== el || span.endColumn !== ec) {
    throw new Error(`${what}: span ${JSON.stringify(span)} disagrees with its offsets (${sl}:${sc}-${el}:${ec})`);
  }
}

/** Parses and checks everything parseSpec promises; returns the time taken. */
function check(source: string): number {
  const t0 = performance.now();
  const { ast, diagnostics } = parseSpec(source);
  const ms = performance.now() - t0;
  if (ms > 1000) throw new Error(`parseSpec took ${ms.toFixed(0)} ms on an input of length ${source.length}`);
  const starts = lineStarts(source);
  for (const d of diagnostics) {
    if (!/^[LP]\d{3}$/.test(d.code) || d.code === "P000") throw new Error(`unexpected diagnostic ${d.code}: ${d.message}`);
    if (d.message.includes("\n") || d.message.length === 0) throw new Error(`message is not one line: ${JSON.stringify(d.message)}`);
    checkSpan(source, starts, d.span, `${d.code} ${d.message}`);
  }
  const visit = (node: unknown, path: string): void => {
    if (Array.isArray(node)) node.forEach((n, i) => visit(n, `${path}[${i}]`));
    else if (node !== null && typeof node === "object") {
      for (const [k, v] of Object.entries(node)) {
        if (k === "span" || k === "modeSpan" || k === "domainSpan") checkSpan(source, starts, v as Span, `${path}.${k}`);
        else visit(v, `${path}.${k}`);
      }
    }
  };
  if (ast.kind !== "SpecFile") throw new Error("no SpecFile");
  visit(ast, "ast");
  return ms;
}

/** The same spans, checked against the contract's own helper (slow: small inputs only). */
function checkAgainstContract(source: string): void {
  const { ast, diagnostics } = parseSpec(source);
  const spans: Span[] = diagnostics.map((d) => d.span);
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node !== null && typeof node === "object") {
      for (const [k, v] of Object.entries(node)) {
        if (k === "span" || k === "modeSpan" || k === "domainSpan") spans.push(v as Span);
        else visit(v);
      }
    }
  };
  visit(ast);
  for (const s of spans) expect(s).toEqual(spanFromOffsets(source, s.startOffset, s.endOffset));
}

const spec = fc.constantFrom(...SPECS);

type Edit = { op: "delete" | "duplicate" | "replace" | "swap"; at: number; other: number; piece: string };
const edit: fc.Arbitrary<Edit> = fc.record({
  op: fc.constantFrom("delete", "duplicate", "replace", "swap"),
  at: fc.nat(),
  other: fc.nat(),
  piece: fc.constantFrom(...VOCABULARY),
});

function applyEdits(source: string, edits: Edit[]): string {
  const p = pieces(source);
  for (const e of edits) {
    if (p.length === 0) break;
    const i = e.at % p.length, j = e.other % p.length;
    if (e.op === "delete") p.splice(i, 1);
    else if (e.op === "duplicate") p.splice(i, 0, p[i]);
    else if (e.op === "replace") p[i] = e.piece;
    else [p[i], p[j]] = [p[j], p[i]];
  }
  return p.join("");
}

const anyText = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.constantFrom("\ud800", "\udc00x", "\u2028", "\ufeff", "\r", "\r\n", "\\", '"', "/*", "*/", "∞∞", "1e+", "0e+1o"),
);

describe("parseSpec never throws, stays fast, and hands out valid spans", () => {
  test("the specs themselves are clean", () => {
    for (const s of SPECS) {
      expect(parseSpec(s).diagnostics).toEqual([]);
      checkAgainstContract(s);
    }
    expect(pieces(CUBE).join("")).toBe(CUBE);
  });

  test("token deletions, duplications, swaps and replacements (800 runs)", () => {
    fc.assert(
      fc.property(spec, fc.array(edit, { minLength: 1, maxLength: 6 }), (s, edits) => {
        check(applyEdits(s, edits));
      }),
      { numRuns: 800 },
    );
  });

  test("random text inserted anywhere (500 runs)", () => {
    fc.assert(
      fc.property(spec, fc.array(fc.tuple(fc.nat(), anyText), { minLength: 1, maxLength: 4 }), (s, inserts) => {
        let text = s;
        for (const [at, t] of inserts) {
          const i = at % (text.length + 1);
          text = text.slice(0, i) + t + text.slice(i);
        }
        check(text);
      }),
      { numRuns: 500 },
    );
  });

  test("truncation at any offset (400 runs), spans equal to spanFromOffsets", () => {
    fc.assert(
      fc.property(spec, fc.nat(), (s, at) => {
        const text = s.slice(0, at % (s.length + 1));
        check(text);
        checkAgainstContract(text);
      }),
      { numRuns: 400 },
    );
  });

  test("random bytes and random token soup (400 runs)", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 400 }).map((b) => String.fromCharCode(...b)),
          fc.string({ unit: "binary", maxLength: 200 }),
          fc.array(fc.constantFrom(...VOCABULARY), { maxLength: 120 }).map((xs) => xs.join(" ")),
          fc.array(fc.constantFrom(...VOCABULARY), { maxLength: 120 }).map((xs) => xs.join("")),
        ),
        (text) => {
          check(text);
        },
      ),
      { numRuns: 400 },
    );
  });

  test("huge numbers, 10k-deep brackets, 100k-character names spliced into specs (40 runs)", () => {
    const monster = fc.oneof(
      fc.constantFrom("9".repeat(400), "1e99999", "-1e400", "99999999999999999999999x0e", "0x" + "1".repeat(500) + "e"),
      fc.tuple(fc.constantFrom("(", "[", "f(", "(1, ", "[g("), fc.integer({ min: 65, max: 10_000 }), fc.boolean()).map(([open, n, close]) => {
        const closing = open.replace(/[^([]/g, "").split("").reverse().map((c) => (c === "(" ? ")" : "]")).join("");
        return open.repeat(n) + "x" + (close ? closing.repeat(n) : "");
      }),
      fc.integer({ min: 1000, max: 100_000 }).map((n) => "a".repeat(n)),
      fc.integer({ min: 1000, max: 10_000 }).map((n) => "{".repeat(n)),
      fc.integer({ min: 1000, max: 5_000 }).map((n) => '"' + "x".repeat(n)),
    );
    fc.assert(
      fc.property(spec, fc.nat(), monster, (s, at, m) => {
        const i = at % (s.length + 1);
        check(s.slice(0, i) + m + s.slice(i));
      }),
      { numRuns: 40 },
    );
  });

  test("whole-input extremes", () => {
    const cases = [
      "(".repeat(10_000),
      "model A { layer h = f(" + "(".repeat(10_000) + ")".repeat(10_000) + ") }",
      "model A { train { x: " + "[".repeat(10_000) + "]".repeat(10_000) + " } }",
      "model " + "a".repeat(100_000) + " { layer " + "b".repeat(100_000) + " = f(x) }",
      "model A {\n" + "  layer h = = f(x) -> \n".repeat(2_000) + "}",
      CUBE.repeat(200),
    ];
    for (const c of cases) expect(check(c)).toBeLessThan(1000);
  });
});
