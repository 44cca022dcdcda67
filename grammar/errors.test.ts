import { describe, expect, test } from "vitest";
import { formatDiagnostic } from "./diagnostic.js";
import { parseSpec } from "./index.js";

/** [code, start line, start column, end line, end column] of every diagnostic, in order (the end is exclusive). */
function where(source: string): [string, number, number, number, number][] {
  return parseSpec(source).diagnostics.map((d) => [d.code, d.span.startLine, d.span.startColumn, d.span.endLine, d.span.endColumn]);
}

function first(source: string) {
  const { diagnostics } = parseSpec(source);
  expect(diagnostics.length).toBeGreaterThan(0);
  return diagnostics[0];
}

/** `model A {` + lines + `}`: line 2 is the first line of the body. */
function inModel(...lines: string[]): string {
  return `model A {\n${lines.join("\n")}\n}`;
}

describe("lexical errors", () => {
  test("L001 unexpected character, named", () => {
    expect(where("model A { $ }")).toEqual([["L001", 1, 11, 1, 12]]);
    expect(first("model A { $ }").message).toBe("unexpected character '$'");
    expect(first("model A { $ }").span).toEqual({ startOffset: 10, endOffset: 11, startLine: 1, startColumn: 11, endLine: 1, endColumn: 12 });
    expect(first(inModel("  graph full", "  @@ ")).message).toBe("unexpected characters '@@'");
    expect(first("\u0000model A {}").message).toBe("unexpected character U+0000");
    // A lone '-' (not a number, not '->').
    expect(where("model A { train { lr: - 1 } }")).toEqual([["L001", 1, 23, 1, 24]]);
  });

  test("L002 unterminated string", () => {
    expect(where(inModel("  train {", '    name: "abc', "  }"))).toEqual([["L002", 3, 11, 3, 15]]);
    expect(first(inModel("  train {", '    name: "abc', "  }")).message).toBe("unterminated string: no closing '\"' on this line");
  });

  test("L003 unterminated block comment (and nothing else about the swallowed rest)", () => {
    expect(where("model A {\n  /* never closed\n  layer h = f(x)\n}")).toEqual([["L003", 2, 3, 2, 5]]);
  });

  test("L004 number out of range", () => {
    expect(where(inModel("  graph radius 1e999"))).toEqual([["L004", 2, 16, 2, 21]]);
    expect(first(inModel("  graph radius 1e999")).message).toBe("number out of range: 1e999 is not a finite double");
    expect(where(inModel("  input x: 99999999999999999999x0e"))).toEqual([["L004", 2, 12, 2, 35]]);
  });

  test("L005 bad irreps terms", () => {
    expect(where(inModel("  input x: 1x"))).toEqual([["L005", 2, 12, 2, 14]]);
    expect(where(inModel("  input x: 2q per node"))).toEqual([["L005", 2, 12, 2, 14]]);
    expect(where(inModel("  layer h = f(x) -> 0e + 16x1"))).toEqual([["L005", 2, 26, 2, 30]]);
    expect(first(inModel("  input x: 2q per node")).message).toBe("malformed number or irrep term '2q'");
  });

  test("L006 invalid escape", () => {
    expect(where('model A { train { name: "a\\qb" } }')).toEqual([["L006", 1, 27, 1, 29]]);
  });
});

describe("syntax errors", () => {
  test("missing '=' in a layer", () => {
    const d = first(inModel("  layer h1 -> relaxed_conv(x) -> 0e"));
    expect([d.code, d.span.startLine, d.span.startColumn, d.span.endLine, d.span.endColumn]).toEqual(["P001", 2, 12, 2, 14]);
    expect(d.message).toBe("expected '=' after the layer name, found '->'");
  });

  test("missing '=' is recovered: the layer is kept", () => {
    const { ast, diagnostics } = parseSpec(inModel("  layer h1 relaxed_conv(x) -> 0e"));
    expect(diagnostics.map((d) => d.message)).toEqual(["expected '=' after the layer name, found 'relaxed_conv'"]);
    expect(ast.models[0].body).toMatchObject([{ kind: "Layer", name: { name: "h1" }, value: { callee: { name: "relaxed_conv" } } }]);
  });

  test("missing '}' at end of file keeps the model", () => {
    const src = "model A {\n  graph full\n";
    const { ast, diagnostics } = parseSpec(src);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ code: "P001", message: "expected '}' to close model 'A', found end of file" });
    expect(diagnostics[0].span).toEqual({ startOffset: src.length, endOffset: src.length, startLine: 3, startColumn: 1, endLine: 3, endColumn: 1 });
    expect(ast.models[0].body.map((d) => d.kind)).toEqual(["Graph"]);
  });

  test("missing value after ':'", () => {
    expect(where(inModel("  train {", "    epochs:", "    batch: 1", "  }"))).toEqual([["P001", 4, 5, 4, 10]]);
    expect(first(inModel("  train {", "    epochs:", "  }")).message).toBe(
      "expected a value (a number, string, name, call, irreps, tuple or list) after ':', found '}'",
    );
  });

  test("stray token at the start of a declaration", () => {
    expect(where(inModel("  = 5"))).toEqual([["P002", 2, 3, 2, 4]]);
    const d = first(inModel("  layr h = f(x)"));
    expect(d.message).toBe("unexpected 'layr' at the start of a declaration; expected symmetry, graph, input, target, edge, layer, output, train or '}'");
    expect(d.hint).toBe("did you mean layer?");
  });

  test("stray tokens outside a model", () => {
    expect(where("graph full")).toEqual([["P005", 1, 1, 1, 6]]);
    expect(where("model A { graph full } }")).toEqual([["P005", 1, 24, 1, 25]]);
  });

  test("two errors in one file are both reported", () => {
    const src = inModel("  layer h = f(x -> 0e", "  edge e = = bessel()", "  graph full");
    expect(where(src)).toEqual([
      ["P001", 2, 17, 2, 19],
      ["P001", 3, 12, 3, 13],
    ]);
    // and the declarations after them are still read
    expect(parseSpec(src).ast.models[0].body.map((d) => d.kind)).toEqual(["Layer", "Edge", "Graph"]);
  });

  test("a declaration that fails does not take the next one with it", () => {
    const call = parseSpec(inModel("  layer h = f(g(x y z))", "  graph full"));
    expect(call.diagnostics.map((d) => [d.code, d.span.startLine, d.span.startColumn, d.span.endLine, d.span.endColumn])).toEqual([["P001", 2, 19, 2, 20]]);
    expect(call.ast.models[0].body.map((d) => d.kind)).toEqual(["Layer", "Graph"]);
    const graph = parseSpec(inModel("  graph radius", "  graph full"));
    expect(graph.diagnostics.map((d) => d.message)).toEqual(["expected a number after 'radius', found 'graph'"]);
    expect(graph.ast.models[0].body).toMatchObject([{ kind: "Graph", mode: "radius" }, { kind: "Graph", mode: "full" }]);
  });

  test("end of file inside a call keeps the model and what was read", () => {
    const src = inModel("  graph full", "  layer h = f(x, [1, 2").slice(0, -2);
    const { ast, diagnostics } = parseSpec(src);
    expect(diagnostics.map((d) => [d.code, d.message, d.span.startOffset, d.span.endOffset])).toEqual([["P001", "expected ',' or ']' after '2', found end of file", src.length, src.length]]);
    expect(ast.models).toHaveLength(1);
    expect(ast.models[0].body).toMatchObject([{ kind: "Graph" }, { kind: "Layer", value: { args: [{ value: { kind: "Identifier" } }, { value: { kind: "List" } }] } }]);
  });

  test("errors of every kind in one file", () => {
    const src = inModel("  graph radius $1.8", "  input x 0e", "  layr h = f(x)", '  train { name: "a }');
    expect(where(src)).toEqual([
      ["L001", 2, 16, 2, 17],
      ["P001", 3, 11, 3, 13],
      ["P002", 4, 3, 4, 7],
      ["L002", 5, 17, 5, 21],
      // the string swallowed train's '}', so the model's '}' closes train and the model is left open
      ["P001", 6, 2, 6, 2],
    ]);
  });

  test("deep nesting", () => {
    const deep = inModel("  layer h = f(" + "(".repeat(70) + "1" + ")".repeat(70) + ")");
    // `f(` is level 1, so the 64th of the 70 parentheses (column 14 + 64) is level 65.
    expect(where(deep)).toEqual([["P003", 2, 78, 2, 79]]);
    expect(first(deep).message).toBe("nesting too deep: more than 64 levels of brackets");
    expect(where(inModel("  train { x: " + "[".repeat(10000) + "]".repeat(10000) + " }"))).toEqual([["P003", 2, 78, 2, 79]]);
  });

  test("symmetry", () => {
    expect(first(inModel("  symmetry relax D4h")).message).toBe("expected 'to' after 'relax', found 'D4h'");
    expect(where(inModel("  symmetry relax D4h"))).toEqual([["P001", 2, 18, 2, 21]]);
    expect(where(inModel("  symmetry"))).toEqual([["P001", 3, 1, 3, 2]]);
    expect(where(inModel("  symmetry O(", "  graph full"))).toEqual([["P001", 3, 3, 3, 8]]);
    expect(where(inModel("  symmetry O(3) lmax 2 lmax 3"))).toEqual([["P006", 2, 24, 2, 28]]);
  });

  test("graph, fields and outputs", () => {
    expect(first(inModel("  graph circle 3")).message).toBe("expected one of radius, knn, full, edges after 'graph', found 'circle'");
    expect(where(inModel("  graph knn"))).toEqual([["P001", 3, 1, 3, 2]]);
    expect(first(inModel("  input x 0e")).message).toBe("expected ':' after the input name, found '0e'");
    expect(where(inModel("  input x: 0e per vertex"))).toEqual([["P001", 2, 19, 2, 25]]);
    expect(where(inModel("  output y h"))).toEqual([["P001", 2, 12, 2, 13]]);
    expect(where("model A { input x: 0e per node; input y: ; }")).toEqual([["P001", 1, 42, 1, 43]]);
  });

  test("calls, tuples, lists, irreps", () => {
    expect(first(inModel("  edge sh = 5")).message).toBe("expected a call such as bessel(count: 8) after '=', found '5'");
    expect(where(inModel("  layer h = f(x, , y)"))).toEqual([["P001", 2, 18, 2, 19]]);
    expect(first(inModel("  layer h = f(x, , y)")).message).toBe("expected an argument or ')' after ',', found ','");
    expect(first("model A { train { x: [1, ; } }").message).toBe("expected a value or ']' after ',', found ';'");
    expect(first(inModel("  layer h = f(x y)")).message).toBe("expected ',' or ')' after 'x', found 'y'");
    expect(where("model A { train { x: (1, 2 } }")).toEqual([["P001", 1, 28, 1, 29]]);
    expect(first("model A { train { x: [1, 2 } }").message).toBe("expected ',' or ']' after '2', found '}'");
    expect(first(inModel("  layer h = f(x) -> 0e +")).message).toBe("expected an irrep term such as 16x1o after '+', found '}'");
  });

  test("model header", () => {
    expect(first("model {\n  graph full\n}").message).toBe("expected a model name after 'model', found '{'");
    expect(where("model A\n  graph full\n}")).toEqual([["P001", 2, 3, 2, 8]]);
    expect(where("model")).toEqual([["P001", 1, 6, 1, 6]]);
  });

  test("train block", () => {
    expect(first(inModel("  train {", "    epochs 5", "  }")).message).toBe("expected ':' after 'epochs', found '5'");
    expect(where(inModel("  train {", "    5", "  }"))).toEqual([["P001", 3, 5, 3, 6]]);
    // A missing '}' of train is noticed at the next declaration, which is still read.
    const src = inModel("  train {", "    epochs: 5", "  layer h = f(x)");
    expect(first(src).message).toBe("expected '}' to close the train block, found 'layer'");
    expect(where(src)).toEqual([["P001", 4, 3, 4, 8]]);
    expect(parseSpec(src).ast.models[0].body.map((d) => d.kind)).toEqual(["Train", "Layer"]);
  });
});

test("formatDiagnostic renders file:line:col, the line and a caret", () => {
  const src = "model A {\n  layer h1 -> relaxed_conv(x) -> 0e\n}\n";
  const [d] = parseSpec(src).diagnostics;
  expect(formatDiagnostic(d, "cube.regnn", src)).toBe(
    ["cube.regnn:2:12 error P001: expected '=' after the layer name, found '->'", "2 |   layer h1 -> relaxed_conv(x) -> 0e", "               ^^"].join("\n"),
  );
  const typo = "model A {\n  layr h = f(x)\n}";
  expect(formatDiagnostic(parseSpec(typo).diagnostics[0], "t.regnn", typo).split("\n")).toEqual([
    "t.regnn:2:3 error P002: unexpected 'layr' at the start of a declaration; expected symmetry, graph, input, target, edge, layer, output, train or '}'",
    "2 |   layr h = f(x)",
    "      ^^^^",
    "  = hint: did you mean layer?",
  ]);
});
