import { describe, expect, test } from "vitest";
import type * as A from "./ast.js";
import { parseSpec } from "./index.js";

/** Parses a file that must be clean and returns its only model. */
function model(source: string): A.ModelDecl {
  const { ast, diagnostics } = parseSpec(source);
  expect(diagnostics).toEqual([]);
  expect(ast.models).toHaveLength(1);
  return ast.models[0];
}

/** The declarations of `model M { <body> }`. */
function body(text: string): A.Declaration[] {
  return model(`model M {\n${text}\n}`).body;
}

type DeclOf<K extends A.Declaration["kind"]> = K extends "Input" | "Target" ? A.FieldDecl : Extract<A.Declaration, { kind: K }>;

function only<K extends A.Declaration["kind"]>(text: string, kind: K): DeclOf<K> {
  const decls = body(text);
  expect(decls).toHaveLength(1);
  expect(decls[0].kind).toBe(kind);
  return decls[0] as DeclOf<K>;
}

/** The value of `x: <expr>` in a train block. */
function value(text: string): A.Expression {
  const train = only(`train { x: ${text} }`, "Train");
  expect(train.settings).toHaveLength(1);
  return train.settings[0].value;
}

/** Drops spans, for comparing structure. */
function shape(node: unknown): unknown {
  return JSON.parse(JSON.stringify(node, (k, v) => (k === "span" || k === "modeSpan" || k === "domainSpan" ? undefined : v)));
}

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
    schedule: cosine(warmup: 10)
    epochs: 800
    batch: 1
    regularize: l2(1e-6)
    seed: 0
    name: "cube \\"prism\\""
  }
}
`;

describe("the example spec", () => {
  const m = model(CUBE);

  test("model and declaration kinds", () => {
    expect(m.name.name).toBe("CubeToPrism");
    expect(m.body.map((d) => d.kind)).toEqual(["Symmetry", "Graph", "Input", "Input", "Target", "Edge", "Edge", "Layer", "Layer", "Output", "Train"]);
  });

  test("exact spans", () => {
    // `model` is at line 2, column 1, offset 35 (after the 34-character comment and its newline).
    expect(m.span).toEqual({ startOffset: 35, endOffset: CUBE.length - 1, startLine: 2, startColumn: 1, endLine: 23, endColumn: 2 });
    expect(m.name.span).toEqual({ startOffset: 41, endOffset: 52, startLine: 2, startColumn: 7, endLine: 2, endColumn: 18 });
    const h1 = m.body[7] as A.LayerDecl;
    const line = "  layer h1 = relaxed_conv(x, sh, emb, radial: [16], act: silu) -> 0e + 1o + 2e";
    const lineStart = CUBE.indexOf(line);
    expect(h1.span).toEqual({ startOffset: lineStart + 2, endOffset: lineStart + line.length, startLine: 10, startColumn: 3, endLine: 10, endColumn: line.length + 1 });
    expect(h1.name.span).toEqual({ startOffset: lineStart + 8, endOffset: lineStart + 10, startLine: 10, startColumn: 9, endLine: 10, endColumn: 11 });
    const callStart = line.indexOf("relaxed_conv");
    const callEnd = line.indexOf(")") + 1;
    expect(h1.value.span).toMatchObject({ startOffset: lineStart + callStart, endOffset: lineStart + callEnd, startColumn: callStart + 1, endColumn: callEnd + 1 });
    expect(h1.output?.span).toMatchObject({ startLine: 10, startColumn: line.indexOf("0e") + 1, endColumn: line.length + 1 });
    expect(source(h1.output!.span)).toBe("0e + 1o + 2e");
    const t = m.body[4] as A.FieldDecl;
    expect(t.domainSpan).toEqual({ startOffset: CUBE.indexOf("node", CUBE.indexOf("target")), endOffset: CUBE.indexOf("node", CUBE.indexOf("target")) + 4, startLine: 7, startColumn: 30, endLine: 7, endColumn: 34 });
    const train = m.body[10] as A.TrainBlock;
    expect(train.span).toMatchObject({ startLine: 13, startColumn: 3, endLine: 22, endColumn: 4 });
  });

  test("every span text is what it names", () => {
    const h2 = m.body[8] as A.LayerDecl;
    expect(source(h2.span)).toBe("layer h2 = relaxed_conv(h1, sh, emb) -> 0e+1o+2e");
    expect(source(h2.value.args[2].span)).toBe("emb");
    const opt = (m.body[10] as A.TrainBlock).settings[1];
    expect(source(opt.span)).toBe("optimizer: sgd(lr: 1e-2, momentum: 0.9)");
    expect(source(opt.value.span)).toBe("sgd(lr: 1e-2, momentum: 0.9)");
  });

  test("train settings", () => {
    const train = m.body[10] as A.TrainBlock;
    expect(train.settings.map((s) => s.key.name)).toEqual(["loss", "optimizer", "schedule", "epochs", "batch", "regularize", "seed", "name"]);
    expect(shape(train.settings[1].value)).toEqual({
      kind: "Call",
      callee: { kind: "Identifier", name: "sgd" },
      args: [
        { kind: "Argument", name: { kind: "Identifier", name: "lr" }, value: { kind: "Number", value: 0.01, text: "1e-2" } },
        { kind: "Argument", name: { kind: "Identifier", name: "momentum" }, value: { kind: "Number", value: 0.9, text: "0.9" } },
      ],
    });
    expect(train.settings[7].value).toMatchObject({ kind: "String", value: 'cube "prism"' });
  });

  function source(span: A.Span): string {
    return CUBE.slice(span.startOffset, span.endOffset);
  }
});

describe("files and models", () => {
  test("an empty file, comments and whitespace only", () => {
    for (const s of ["", "   \n\t ", "// nothing\n/* at\n all */"]) {
      const { ast, diagnostics } = parseSpec(s);
      expect(diagnostics).toEqual([]);
      expect(ast).toEqual({ kind: "SpecFile", models: [], span: expect.objectContaining({ startOffset: 0, endOffset: s.length }) });
    }
  });

  test("an empty model", () => {
    const m = model("model Empty {}");
    expect(m).toEqual({
      kind: "Model",
      name: { kind: "Identifier", name: "Empty", span: { startOffset: 6, endOffset: 11, startLine: 1, startColumn: 7, endLine: 1, endColumn: 12 } },
      body: [],
      span: { startOffset: 0, endOffset: 14, startLine: 1, startColumn: 1, endLine: 1, endColumn: 15 },
    });
  });

  test("two models parse (the checker decides whether that is allowed)", () => {
    const { ast, diagnostics } = parseSpec("model A { graph full }\nmodel B { graph knn 3 }");
    expect(diagnostics).toEqual([]);
    expect(ast.models.map((m) => m.name.name)).toEqual(["A", "B"]);
    expect(ast.models[1].span).toMatchObject({ startLine: 2, startColumn: 1 });
  });

  test("comments anywhere, CRLF line ends, tabs", () => {
    const src = "model /* c */ M { // x\r\n\tgraph /* radius */ full\r\n}";
    const g = model(src).body[0] as A.GraphDecl;
    expect(g.mode).toBe("full");
    expect(g.span).toMatchObject({ startLine: 2, startColumn: 2, endLine: 2, endColumn: 25 });
  });

  test("optional semicolons after declarations and settings", () => {
    const decls = body("graph full; input x: 0e; train { epochs: 3; batch: 2 }; output y = x;");
    expect(decls.map((d) => d.kind)).toEqual(["Graph", "Input", "Train", "Output"]);
    expect((decls[2] as A.TrainBlock).settings.map((s) => s.key.name)).toEqual(["epochs", "batch"]);
    // The `;` is not part of the declaration's span.
    expect(decls[0].span.endOffset - decls[0].span.startOffset).toBe("graph full".length);
  });
});

describe("symmetry", () => {
  test("relax to a group with lmax and mul", () => {
    const s = only("symmetry relax to C1 lmax 4 mul 1", "Symmetry");
    expect(shape(s)).toEqual({
      kind: "Symmetry",
      group: { kind: "GroupName", name: "C1" },
      relax: true,
      lmax: { kind: "Number", value: 4, text: "4" },
      mul: { kind: "Number", value: 1, text: "1" },
    });
    expect(s.axis).toBeUndefined();
  });

  test("axis and secondary orientation tuples", () => {
    const s = only("symmetry relax to D4h axis (0, 0, 1) secondary (1, -1, 0) lmax 4 mul 2", "Symmetry");
    expect(s.group.name).toBe("D4h");
    expect(s.axis?.items.map((i) => (i as A.NumberLiteral).value)).toEqual([0, 0, 1]);
    expect(s.secondary?.items.map((i) => (i as A.NumberLiteral).value)).toEqual([1, -1, 0]);
    expect(s.secondary?.span).toMatchObject({ startLine: 2, startColumn: 48, endColumn: 58 });
    expect(s.mul?.value).toBe(2);
  });

  test("options in any order", () => {
    const s = only("symmetry relax to D4h lmax 3 secondary (1, 0, 0) axis (0, 0, 1)", "Symmetry");
    expect(s.lmax?.value).toBe(3);
    expect(s.axis?.items).toHaveLength(3);
    expect(s.secondary?.items).toHaveLength(3);
  });

  test("a kept group without relaxation", () => {
    for (const [text, name] of [
      ["O(3)", "O(3)"],
      ["SO(3)", "SO(3)"],
      ["O ( 3 )", "O(3)"],
      ["C∞v", "C∞v"],
      ["Cinfv", "Cinfv"],
      ["D4h", "D4h"],
    ]) {
      const s = only(`symmetry ${text}`, "Symmetry");
      expect(s.relax).toBe(false);
      expect(s.group.name).toBe(name);
      expect(s.group.span.endOffset - s.group.span.startOffset).toBe(text.length);
    }
  });
});

describe("graph", () => {
  test("radius, with and without max_neighbors", () => {
    const g = only("graph radius 2.5 max_neighbors 12", "Graph");
    expect(shape(g)).toEqual({ kind: "Graph", mode: "radius", radius: { kind: "Number", value: 2.5, text: "2.5" }, maxNeighbors: { kind: "Number", value: 12, text: "12" } });
    expect(g.modeSpan).toEqual({ startOffset: 16, endOffset: 22, startLine: 2, startColumn: 7, endLine: 2, endColumn: 13 });
    expect(only("graph radius 1.8", "Graph")).toMatchObject({ mode: "radius", radius: { value: 1.8 } });
    expect(only("graph radius 1.8", "Graph").maxNeighbors).toBeUndefined();
  });

  test("knn, full, edges", () => {
    expect(shape(only("graph knn 8", "Graph"))).toEqual({ kind: "Graph", mode: "knn", k: { kind: "Number", value: 8, text: "8" } });
    expect(shape(only("graph full", "Graph"))).toEqual({ kind: "Graph", mode: "full" });
    const e = only("graph edges", "Graph");
    expect(e.mode).toBe("edges");
    expect(e.modeSpan).toMatchObject({ startColumn: 7, endColumn: 12 });
  });
});

describe("inputs, targets, outputs", () => {
  test("input with irreps per node", () => {
    const f = only("input x: 1x0e per node", "Input");
    expect(shape(f)).toEqual({
      kind: "Input",
      name: { kind: "Identifier", name: "x" },
      type: { kind: "Irreps", terms: [{ kind: "IrrepTerm", mul: 1, l: 0, p: 1, text: "1x0e" }] },
      domain: "node",
    });
    expect(f.domainSpan).toMatchObject({ startLine: 2, startColumn: 19, endColumn: 23 });
  });

  test("positions, and no domain written", () => {
    const f = only("input pos: positions", "Input");
    expect(f.type).toMatchObject({ kind: "Identifier", name: "positions" });
    expect(f.domain).toBeUndefined();
    expect(f.domainSpan).toBeUndefined();
  });

  test("targets per graph and per edge", () => {
    expect(only("target e: 0e per graph", "Target")).toMatchObject({ kind: "Target", domain: "graph" });
    expect(only("target f: 8x0e + 1x1o per edge", "Target")).toMatchObject({ domain: "edge", type: { terms: [{ mul: 8 }, { mul: 1, l: 1, p: -1 }] } });
  });

  test("outputs", () => {
    expect(shape(only("output y = h2", "Output"))).toEqual({ kind: "Output", name: { kind: "Identifier", name: "y" }, source: { kind: "Identifier", name: "h2" } });
    const o = only("output y = h2 per graph", "Output");
    expect(o.domain).toBe("graph");
    expect(o.domainSpan).toMatchObject({ startColumn: 19, endColumn: 24 });
  });
});

describe("edges and layers", () => {
  test("edge attributes are calls with named arguments", () => {
    const e = only("edge sh = spherical_harmonics(lmax: 2, normalization: component)", "Edge");
    expect(e.name.name).toBe("sh");
    expect(e.value.callee.name).toBe("spherical_harmonics");
    expect(e.value.args.map((a) => [a.name?.name, shape(a.value)])).toEqual([
      ["lmax", { kind: "Number", value: 2, text: "2" }],
      ["normalization", { kind: "Identifier", name: "component" }],
    ]);
  });

  test("layer with output irreps", () => {
    const l = only("layer g = gate(h, scalars: silu, gates: sigmoid) -> 16x0e + 8x1o", "Layer");
    expect(l.value.args.map((a) => a.name?.name)).toEqual([undefined, "scalars", "gates"]);
    expect(l.value.args[0]).not.toHaveProperty("name");
    expect(shape(l.output)).toEqual({
      kind: "Irreps",
      terms: [
        { kind: "IrrepTerm", mul: 16, l: 0, p: 1, text: "16x0e" },
        { kind: "IrrepTerm", mul: 8, l: 1, p: -1, text: "8x1o" },
      ],
    });
  });

  test("layer without output irreps, trailing comma", () => {
    const l = only("layer p = pool(g, reduce: mean,)", "Layer");
    expect(l.output).toBeUndefined();
    expect(l.value.args).toHaveLength(2);
    expect(only("layer q = f()", "Layer").value.args).toEqual([]);
  });

  test("nested values in arguments", () => {
    const l = only(`layer h = conv(x, radial: [16, 16], axis: (0, 0, 1), basis: soft(8), label: "a", ir: 0e + 1o)`, "Layer");
    expect(l.value.args.map((a) => a.value.kind)).toEqual(["Identifier", "List", "Tuple", "Call", "String", "Irreps"]);
  });

  test("keywords are names where a name is expected", () => {
    const l = only("layer mul = relaxed_node(x, lmax: 2, mul: 1, graph: full, per: node, edge: edges)", "Layer");
    expect(l.name.name).toBe("mul");
    expect(l.value.args.map((a) => [a.name?.name, (a.value as A.Identifier | A.NumberLiteral).kind])).toEqual([
      [undefined, "Identifier"],
      ["lmax", "Number"],
      ["mul", "Number"],
      ["graph", "Identifier"],
      ["per", "Identifier"],
      ["edge", "Identifier"],
    ]);
    const t = only("train { radius: 3, model: 1, layer: 2 }".replace(/,/g, ""), "Train");
    expect(t.settings.map((s) => s.key.name)).toEqual(["radius", "model", "layer"]);
    expect(only("input node: 0e per node", "Input").name.name).toBe("node");
  });
});

describe("values", () => {
  test("numbers", () => {
    for (const [text, v] of [
      ["1e-2", 0.01],
      ["2.5E3", 2500],
      ["-0.5", -0.5],
      [".5", 0.5],
      ["1e5", 100000],
      ["800", 800],
      ["-3", -3],
      ["1.e2", 100],
    ] as const) {
      expect(value(text)).toMatchObject({ kind: "Number", value: v, text });
    }
  });

  test("irreps terms: multiplicity, parity e/o/y, no spaces", () => {
    const ir = value("0e+1o+2y + 3y + 32x0e + 1e") as A.IrrepsLiteral;
    expect(ir.kind).toBe("Irreps");
    expect(ir.terms.map((t) => [t.mul, t.l, t.p, t.text])).toEqual([
      [1, 0, 1, "0e"],
      [1, 1, -1, "1o"],
      [1, 2, 1, "2y"],
      [1, 3, -1, "3y"],
      [32, 0, 1, "32x0e"],
      [1, 1, 1, "1e"],
    ]);
    // `train { x: ` is 11 characters: `0e` is at column 12, `1o` at 15.
    expect(ir.terms[1].span).toMatchObject({ startLine: 2, startColumn: 15, endColumn: 17 });
  });

  test("strings with escapes", () => {
    expect(value(String.raw`"a\"b\\c\nd\te\u00e9"`)).toMatchObject({ kind: "String", value: 'a"b\\c\nd\te\u00e9' });
    expect(value('""')).toMatchObject({ kind: "String", value: "" });
  });

  test("tuples, lists, calls, names", () => {
    expect(shape(value("(1, x)"))).toEqual({ kind: "Tuple", items: [{ kind: "Number", value: 1, text: "1" }, { kind: "Identifier", name: "x" }] });
    expect(shape(value("[]"))).toEqual({ kind: "List", items: [] });
    expect(shape(value("[16, 16,]"))).toEqual({ kind: "List", items: [{ kind: "Number", value: 16, text: "16" }, { kind: "Number", value: 16, text: "16" }] });
    expect(shape(value("[l2(1e-6), group_lasso(1e-4)]"))).toMatchObject({ kind: "List", items: [{ kind: "Call" }, { kind: "Call" }] });
    expect(shape(value("silu"))).toEqual({ kind: "Identifier", name: "silu" });
    expect(shape(value("f(g(h(1)))"))).toMatchObject({ kind: "Call", args: [{ value: { kind: "Call", args: [{ value: { kind: "Call" } }] } }] });
  });

  test("64 levels of brackets are fine", () => {
    const v = value("(".repeat(64) + "1" + ")".repeat(64));
    let depth = 0;
    for (let e: A.Expression = v; e.kind === "Tuple"; e = e.items[0]) depth++;
    expect(depth).toBe(64);
  });
});
