// Each case marks with two ‸ the exact span its diagnostic must cover (start and end); the markers are removed
// before checking.
import { describe, expect, it } from "vitest";
import { compileSource } from "../compile.js";

interface Place {
  line: number;
  column: number;
}

function placeOf(text: string, offset: number): Place {
  const before = text.slice(0, offset).split("\n");
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

function at(marked: string): { text: string; start: Place; end: Place } {
  const i = marked.indexOf("‸");
  const j = marked.indexOf("‸", i + 1);
  if (i < 0 || j < 0) throw new Error("case needs two ‸ markers, around the span");
  const text = marked.slice(0, i) + marked.slice(i + 1, j) + marked.slice(j + 1);
  return { text, start: placeOf(text, i), end: placeOf(text, j - 1) };
}

const base = (body: string) => `model M {
  input x: 0e + 1o
  input pos: positions
  target t: 0e + 1o
  edge sh = spherical_harmonics(lmax: 2)
  edge emb = bessel(count: 8, cutoff: 2.0)
${body}
}
`;

interface Case {
  name: string;
  code: string;
  spec: string;
  message?: string;
  hint?: string;
}

const cases: Case[] = [
  { name: "no model", code: "E100", spec: "‸// only a comment\n‸" },
  { name: "two models", code: "E101", spec: "model A { input x: 0e output y = x }\nmodel ‸B‸ { input x: 0e output y = x }\n" },
  { name: "duplicate name", code: "E102", spec: base("  layer h = linear(x) -> 0e\n  layer ‸h‸ = linear(x) -> 1o\n  output y = h"), message: "'h' is already declared (line 7)" },
  { name: "undefined name with suggestion", code: "E103", spec: base("  layer h = linear(‸xx‸) -> 0e\n  output y = h"), hint: "did you mean x?" },
  { name: "unknown layer kind", code: "E104", spec: base("  layer h = ‸lineer‸(x) -> 0e\n  output y = h"), hint: "did you mean linear?" },
  { name: "unknown edge attribute", code: "E105", spec: base("  edge r = ‸besel‸(count: 4, cutoff: 1)\n  output y = x"), hint: "did you mean bessel?" },
  { name: "unknown group", code: "E106", spec: base("  symmetry relax to ‸D4j‸\n  output y = x"), message: "unknown point group 'D4j'; did you mean D4h?" },
  { name: "odd S group", code: "E106", spec: base("  symmetry relax to ‸S3‸\n  output y = x") },
  { name: "zero axis", code: "E107", spec: base("  symmetry relax to C4v axis ‸(0, 0, 0)‸\n  layer h = relaxed_node(x) -> 0e\n  output y = h") },
  { name: "secondary not perpendicular", code: "E108", spec: base("  symmetry relax to D4h axis (0, 0, 1) secondary ‸(1, 0, 1)‸\n  layer h = relaxed_node(x) -> 0e\n  output y = h"), message: "the secondary axis must be perpendicular to the principal axis (they are 45.0° apart)" },
  { name: "radius not positive", code: "E110", spec: base("  graph radius ‸-1‸\n  output y = x") },
  { name: "lmax too large", code: "E110", spec: base("  symmetry relax to C1 lmax ‸12‸\n  layer h = relaxed_node(x) -> 0e\n  output y = h") },
  { name: "knn not whole", code: "E110", spec: base("  graph knn ‸2.5‸\n  output y = x") },
  { name: "learning rate not positive", code: "E110", spec: base("  output y = x\n  train { optimizer: sgd(lr: ‸0‸) }") },
  { name: "two graph declarations", code: "E111", spec: base("  graph full\n  ‸graph knn 3‸\n  output y = x") },
  { name: "unreachable output irrep", code: "E112", spec: base("  layer h = linear(x) -> ‸0e + 2e‸\n  output y = h"), message: "output 2e of layer 'h' cannot be reached from 'x' (1x0e+1x1o) by a linear map, which only mixes equal irreps (parity and triangle rules)" },
  { name: "conv parity", code: "E112", spec: base("  layer h = conv(x, sh, emb) -> ‸0o‸\n  output y = h") },
  { name: "wrong option type", code: "E113", spec: base("  layer h = conv(x, sh, emb, radial: ‸16‸) -> 0e\n  output y = h"), message: "radial must be a list of whole numbers such as [16], found a number" },
  { name: "target used as features", code: "E113", spec: base("  layer h = linear(‸t‸) -> 0e\n  output y = h") },
  { name: "too few layer inputs", code: "E113", spec: base("  layer h = ‸conv(x, sh)‸ -> 0e\n  output y = h") },
  { name: "output used as a layer input", code: "E113", spec: base("  layer h = linear(x) -> 0e\n  layer g = linear(‸y‸) -> 0e\n  output y = h\n  output z = g"), message: "'y' is an output; name the layer or input it stands for instead" },
  { name: "output naming an output", code: "E113", spec: base("  layer h = linear(x) -> 0e\n  output y = h\n  output z = ‸y‸"), message: "'y' is an output; name the layer or input it stands for instead" },
  { name: "unknown option", code: "E114", spec: base("  layer h = conv(x, sh, emb, ‸radiall‸: [8]) -> 0e\n  output y = h"), hint: "did you mean radial?" },
  { name: "node features where edge needed", code: "E115", spec: base("  layer h = conv(x, ‸x‸, emb) -> 0e\n  output y = h") },
  { name: "radial input not scalar", code: "E115", spec: base("  layer h = conv(x, sh, ‸sh‸) -> 0e\n  output y = h") },
  { name: "cycle", code: "E116", spec: base("  layer ‸a‸ = linear(b) -> 0e\n  layer b = linear(a) -> 0e\n  output y = a"), message: "layers form a cycle: a -> b -> a" },
  { name: "no output", code: "E117", spec: "model ‸M‸ { input x: 0e }\n" },
  { name: "graph without positions", code: "E118", spec: "model M {\n  input x: 0e\n  ‸graph radius 2‸\n  output y = x\n}\n" },
  { name: "loss irreps mismatch", code: "E119", spec: base("  layer h = linear(x) -> 0e\n  output y = h\n  train { loss: ‸sse(y, t)‸ }") },
  { name: "unknown train setting", code: "E120", spec: base("  output y = x\n  train { ‸epoch‸: 3 }"), hint: "did you mean epochs?" },
  { name: "gate input mismatch", code: "E121", spec: base("  layer g = gate(‸x‸) -> 0e + 1o\n  output y = g") },
  { name: "relaxed layer without relax clause", code: "E122", spec: base("  layer h = ‸relaxed_node‸(x) -> 0e\n  output y = h"), hint: "add `symmetry relax to C1 lmax 2` for a fully relaxed model" },
  { name: "zero multiplicity", code: "E124", spec: base("  layer h = linear(x) -> ‸0x0e‸\n  output y = h") },
  { name: "declared output differs", code: "E126", spec: base("  layer n = norm(x) -> ‸0e‸\n  output y = n") },
  { name: "missing output irreps", code: "E127", spec: base("  layer h = ‸linear(x)‸\n  output y = h") },
  { name: "lmax without relax", code: "E128", spec: base("  symmetry O(3) lmax ‸3‸\n  output y = x") },
  { name: "group without relax", code: "E129", spec: base("  symmetry ‸D4h‸\n  output y = x"), hint: "write 'symmetry relax to D4h' to let it break the rest" },
  { name: "non-ASCII name", code: "E130", spec: base("  layer ‸h∞‸ = linear(x) -> 0e\n  output y = h∞") },
  { name: "not a text file", code: "E132", spec: "model M { input x: 0e ‸\u0000‸ output y = x }\n", message: "not a text file: it contains a NUL character (U+0000)", hint: "a spec is UTF-8 text; is this the right file?" },
  { name: "target named like an inherited member", code: "E133", spec: base("  target ‸valueOf‸: 0e\n  output y = x"), hint: "rename it, e.g. valueOf_target" },
];

describe("checker diagnostics", () => {
  it("has at least 25 cases", () => expect(cases.length).toBeGreaterThanOrEqual(25));

  for (const c of cases) {
    it(`${c.code} ${c.name}`, () => {
      const { text, start, end } = at(c.spec);
      const { ir, diagnostics } = compileSource(text, "t.regnn");
      const errors = diagnostics.filter((d) => d.severity === "error");
      expect(ir).toBeUndefined();
      const hit = errors.find((d) => d.code === c.code);
      expect(hit, `expected ${c.code}, got ${errors.map((d) => `${d.code}@${d.span.startLine}:${d.span.startColumn} ${d.message}`).join("; ")}`).toBeDefined();
      const { startLine, startColumn, endLine, endColumn } = hit!.span;
      expect({ start: { line: startLine, column: startColumn }, end: { line: endLine, column: endColumn } }).toEqual({ start, end });
      if (c.message) expect(hit!.message).toBe(c.message);
      if (c.hint) expect(hit!.hint).toBe(c.hint);
    });
  }

  it("reports all errors of a file in one run", () => {
    const { diagnostics } = compileSource(base("  layer a = lineer(x) -> 0e\n  layer b = linear(zz) -> 0e\n  graph knn 0\n  output y = b"), "t.regnn");
    expect(diagnostics.filter((d) => d.severity === "error").map((d) => d.code).sort()).toEqual(["E103", "E104", "E110"]);
  });

  it("warns about unused layers and a relax clause without relaxed layers, without failing", () => {
    const { ir, diagnostics } = compileSource(base("  symmetry relax to C1\n  layer unused = linear(x) -> 0e\n  output y = x"), "t.regnn");
    expect(ir).toBeDefined();
    expect(diagnostics.map((d) => [d.severity, d.code])).toEqual([["warning", "W001"], ["warning", "W002"]]);
  });

  /** Every diagnostic as [severity, code, message, "line:col-line:col"]. */
  const all = (spec: string) =>
    compileSource(spec, "t.regnn").diagnostics.map((d) => [d.severity, d.code, d.message, `${d.span.startLine}:${d.span.startColumn}-${d.span.endLine}:${d.span.endColumn}`]);

  it("brings no false 'never used' warnings after an error: layers that wait on a broken one still use their inputs", () => {
    const spec = base("  layer a = lineer(x) -> 0e\n  layer b = linear(a) -> 0e\n  layer c = linear(b) -> 0e\n  layer d = linear(c) -> 0e\n  output y = d");
    expect(all(spec)).toEqual([["error", "E104", "unknown layer kind 'lineer' (kinds: relaxed_conv, relaxed_node, conv, linear, self_connection, gate, norm, pool, add, concat)", "7:13-7:19"]]);
  });

  it("brings no false 'never used' warnings after an unknown group name", () => {
    const spec = base("  symmetry relax to D4j\n  layer a = relaxed_node(x) -> 0e + 1o\n  layer b = relaxed_node(a) -> 0e\n  output y = b");
    expect(all(spec)).toEqual([["error", "E106", "unknown point group 'D4j'; did you mean D4h?", "7:21-7:24"]]);
  });

  it("still warns about a layer that is really unused, next to an error", () => {
    const spec = base("  layer a = lineer(x) -> 0e\n  layer b = linear(a) -> 0e\n  layer spare = linear(x) -> 0e\n  output y = b");
    expect(all(spec)).toEqual([
      ["error", "E104", "unknown layer kind 'lineer' (kinds: relaxed_conv, relaxed_node, conv, linear, self_connection, gate, norm, pool, add, concat)", "7:13-7:19"],
      ["warning", "W002", "layer 'spare' is computed but never used", "9:9-9:14"],
    ]);
  });
});
