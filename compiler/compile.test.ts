// Every construct of the language, from source to IR.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compileSource } from "./compile.js";
import { fullyConnectedTensorProduct, convolutionTensorProduct } from "./o3/fully-connected.js";
import { invariantDimension } from "./o3/invariant-basis.js";
import { pointGroup } from "./o3/point-groups.js";
import type { LayerIR, ModelIR } from "./ir/types.js";
import { schemaErrors } from "./ir/validate.js";

function ok(text: string, file = "t.regnn"): ModelIR {
  const { ir, diagnostics } = compileSource(text, file);
  const errors = diagnostics.filter((d) => d.severity === "error");
  expect(errors.map((d) => `${d.code} ${d.span.startLine}:${d.span.startColumn} ${d.message}`)).toEqual([]);
  expect(ir).toBeDefined();
  expect(schemaErrors(ir)).toEqual([]);
  return ir!;
}

const model = (body: string) => `model M {
  input x: 2x0e + 1x1o
  input pos: positions
  target t: 0e + 1o + 2e
  edge sh = spherical_harmonics(lmax: 2)
  edge emb = bessel(count: 8, cutoff: 2.0)
${body}
}`;

const layer = (ir: ModelIR, name: string): LayerIR => ir.layers.find((l) => l.name === name)!;

describe("model, comments, inputs, targets, outputs", () => {
  it("reads a minimal model with comments and defaults", () => {
    const ir = ok("// a comment\nmodel Tiny { /* block */ input x: 0e  output y = x }");
    expect(ir.model).toBe("Tiny");
    expect(ir.symmetry).toMatchObject({ keep: "O(3)", relaxed: false, theta: null });
    expect(ir.graph).toEqual({ mode: "edges", radius: null, maxNeighbors: null, k: null, positions: null });
    expect(ir.inputs).toEqual([{ name: "x", irreps: "1x0e", domain: "node" }]);
    expect(ir.outputs).toEqual([{ name: "y", irreps: "1x0e", domain: "node", source: "x" }]);
    expect(ir.train).toMatchObject({ loss: null, epochs: 100, batch: 1, seed: 0, checkpointEvery: 10, optimizer: { kind: "adam", lr: 1e-3 } });
    expect(ir.source.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("keeps domains of inputs, targets and outputs", () => {
    const ir = ok("model D { input a: 3x0e per graph\n input e: 1o per edge\n target g: 3x0e per graph\n output o = a per graph }");
    expect(ir.inputs.map((i) => i.domain)).toEqual(["graph", "edge"]);
    expect(ir.targets).toEqual([{ name: "g", irreps: "3x0e", domain: "graph" }]);
    expect(ir.train.loss).toEqual({ kind: "sse", output: "o", target: "g" });
  });

  it("writes irreps in e3nn's format, resolving y parity", () => {
    const ir = ok("model I { input x: 16x0e+2y + 3y output y = x }");
    expect(ir.inputs[0]!.irreps).toBe("16x0e+1x2e+1x3o");
  });
});

describe("graph", () => {
  for (const [src, want] of [
    ["graph radius 1.8", { mode: "radius", radius: 1.8, maxNeighbors: null, k: null }],
    ["graph radius 5 max_neighbors 12", { mode: "radius", radius: 5, maxNeighbors: 12, k: null }],
    ["graph knn 8", { mode: "knn", radius: null, maxNeighbors: null, k: 8 }],
    ["graph full", { mode: "full", radius: null, maxNeighbors: null, k: null }],
    ["graph edges", { mode: "edges", radius: null, maxNeighbors: null, k: null }],
  ] as const) {
    it(src, () => expect(ok(model(`  ${src}\n  output y = x`)).graph).toEqual({ ...want, positions: "pos" }));
  }
});

describe("edge attributes", () => {
  it("spherical harmonics and every radial basis", () => {
    const ir = ok(model(`  edge sh3 = spherical_harmonics(3, normalization: integral, normalize: false)
  edge g = gaussian(count: 10, cutoff: 3.5, start: 0.5)
  edge s = soft_one_hot(10, cutoff: 4, basis: cosine, scale: 2)
  output y = x`));
    expect(ir.edgeAttrs).toEqual([
      { name: "sh", op: "spherical_harmonics", irreps: "1x0e+1x1o+1x2e", lmax: 2, normalization: "component", normalize: true },
      { name: "emb", op: "radial_basis", irreps: "8x0e", basis: "bessel", count: 8, start: 0, cutoff: 2, scale: 1 },
      { name: "sh3", op: "spherical_harmonics", irreps: "1x0e+1x1o+1x2e+1x3o", lmax: 3, normalization: "integral", normalize: false },
      { name: "g", op: "radial_basis", irreps: "10x0e", basis: "gaussian", count: 10, start: 0.5, cutoff: 3.5, scale: 1 },
      { name: "s", op: "radial_basis", irreps: "10x0e", basis: "cosine", count: 10, start: 0, cutoff: 4, scale: 2 },
    ]);
  });
});

describe("symmetry", () => {
  it("relax to C1: θ spans every irrep up to lmax, both parities, with identity bases", () => {
    const ir = ok(model("  symmetry relax to C1 lmax 2 mul 2\n  layer h = relaxed_node(x) -> 0e\n  output y = h"));
    const theta = ir.symmetry.theta!;
    expect(theta.irreps).toBe("2x0e+2x0o+2x1o+2x1e+2x2e+2x2o");
    expect(theta.coefficients).toBe(2 * 2 * 9);
    expect(theta.blocks.map((b) => b.basis.length)).toEqual([1, 1, 3, 3, 5, 5]);
  });

  it("relax to D4h with an orientation: bases of the invariant subspaces, axes normalised", () => {
    const ir = ok(model("  symmetry relax to D4h axis (0, 0, 2) secondary (1, 1, 0) lmax 4\n  layer h = relaxed_node(x) -> 0e\n  output y = h"));
    expect(ir.symmetry.keep).toBe("D4h");
    expect(ir.symmetry.axis.map((v) => Math.round(v * 1e12) / 1e12)).toEqual([0, 0, 1]);
    expect(ir.symmetry.secondary[0]).toBeCloseTo(Math.SQRT1_2, 12);
    const g = pointGroup("D4h", { axis: [0, 0, 1], secondary: [1, 1, 0] });
    for (const b of ir.symmetry.theta!.blocks) {
      const l = Number(b.irrep[0]), p = b.irrep[1] === "e" ? 1 : -1;
      expect(b.basis.length, b.irrep).toBe(invariantDimension(g, l, p));
    }
    expect(ir.symmetry.theta!.blocks.find((b) => b.irrep === "4e")!.basis.length).toBe(2);
  });

  it("accepts ASCII spellings of continuous groups and O(3)", () => {
    expect(ok(model("  symmetry relax to Cinfv\n  layer h = relaxed_node(x) -> 0e\n  output y = h")).symmetry.keep).toBe("C∞v");
    expect(ok(model("  symmetry O(3)\n  output y = x")).symmetry.keep).toBe("O(3)");
  });
});

describe("layers", () => {
  it("relaxed_conv: θ, FCTP(θ, Y) with shared weights, FCTP(x, F) with radial weights", () => {
    const ir = ok(model("  symmetry relax to C1 lmax 1\n  graph radius 1.8\n  layer h = relaxed_conv(x, sh, emb, radial: [16, 16], act: relu, num_neighbors: 7) -> 0e + 1o + 2e\n  output y = h"));
    const h = layer(ir, "h");
    if (h.op !== "relaxed_conv") throw new Error(h.op);
    expect(h.thetaIrreps).toBe("1x0e+1x0o+1x1o+1x1e");
    expect(h.tpTheta).toMatchObject({ irrepsIn1: h.thetaIrreps, irrepsIn2: "1x0e+1x1o+1x2e", irrepsOut: h.thetaIrreps, sharedWeights: true });
    const ref = fullyConnectedTensorProduct("2x0e+1x1o", h.thetaIrreps, "0e+1o+2e", { sharedWeights: false });
    expect(h.tpMessage.weightNumel).toBe(ref.weightNumel);
    expect(h.tpMessage.instructions.map((i) => i.pathWeight)).toEqual(ref.instructions.map((i) => i.pathWeight));
    expect(h.radial).toEqual({ sizes: [8, 16, 16, ref.weightNumel], act: "relu", actScale: 1.4163393446331365 /* e3nn's normalize2mom(relu), its sampled value, not the exact sqrt(2) */, params: ["h.fc.layer0.weight", "h.fc.layer1.weight", "h.fc.layer2.weight"] });
    expect(h.numNeighbors).toBe(7);
    expect(h.params).toEqual(["h.theta", "h.tp_theta.weight", ...h.radial.params]);
    expect(ir.params.find((p) => p.name === "h.theta")).toMatchObject({ shape: [8], init: "theta_scalar", relaxed: true, offset: 0 });
  });

  it("relaxed_node, with per-layer lmax and mul", () => {
    const ir = ok(model("  symmetry relax to C1 lmax 2\n  layer h = relaxed_node(x, lmax: 1, mul: 3) -> 1o + 1e\n  output y = h"));
    const h = layer(ir, "h");
    if (h.op !== "relaxed_node") throw new Error(h.op);
    expect(h.thetaIrreps).toBe("3x0e+3x0o+3x1o+3x1e");
    expect(h.tp.irrepsIn2).toBe(h.thetaIrreps);
    expect(h.tp.sharedWeights).toBe(true);
  });

  it("conv with uvw paths and with e3nn's uvu layout", () => {
    const ir = ok(model("  layer a = conv(x, sh, emb) -> 0e + 2e\n  layer b = conv(x, sh, emb, paths: uvu) -> 0e + 1o\n  output y = a\n  output z = b"));
    const a = layer(ir, "a"), b = layer(ir, "b");
    if (a.op !== "conv" || b.op !== "conv") throw new Error("conv");
    expect(a.paths).toBe("uvw");
    expect(a.tp.sharedWeights).toBe(false);
    const { irrepsMid } = convolutionTensorProduct("2x0e+1x1o", "0e+1o+2e", "0e+1o");
    expect(b.irrepsOut).toBe(irrepsMid.toString());
    expect(b.tp.instructions.every((i) => i.mode === "uvu")).toBe(true);
    expect(b.radial.sizes).toEqual([8, 16, b.tp.weightNumel]);
  });

  it("linear, self_connection (with and without attribute), gate, norm, pool, add, concat", () => {
    const ir = ok(model(`  input a: 3x0e
  layer l = linear(x) -> 4x0e + 2x1o
  layer s = self_connection(x, a) -> 4x0e + 2x1o
  layer s0 = self_connection(x) -> 4x0e + 2x1o
  layer sum = add(l, s)
  layer both = concat(sum, s0)
  layer pre = linear(x) -> 3x0e + 2x0e + 2x1o
  layer g = gate(pre, scalars: tanh) -> 3x0e + 2x1o
  layer n = norm(g)
  layer p = pool(n, reduce: mean)
  output y = p per graph
  output w = both`));
    expect(layer(ir, "l")).toMatchObject({ op: "linear", tp: { irrepsIn2: "1x0e" }, params: ["l.weight"] });
    expect(layer(ir, "s")).toMatchObject({ op: "self_connection", attr: "a", tp: { irrepsIn2: "3x0e" } });
    expect(layer(ir, "s0")).toMatchObject({ op: "self_connection", attr: null });
    expect(layer(ir, "both").irrepsOut).toBe("4x0e+2x1o+4x0e+2x1o");
    expect(layer(ir, "g")).toMatchObject({ scalars: "3x0e", gates: "2x0e", gated: "2x1o", actScalars: "tanh", actGates: "sigmoid" });
    expect(layer(ir, "n")).toMatchObject({ op: "norm", irrepsOut: "3x0e+2x1o", eps: 1e-5 });
    expect(ir.params.find((p) => p.name === "n.weight")).toMatchObject({ shape: [5], init: "ones" });
    expect(layer(ir, "p")).toMatchObject({ op: "pool", reduce: "mean", domain: "graph" });
    expect(ir.outputs[0]).toEqual({ name: "y", irreps: "3x0e+2x1o", domain: "graph", source: "p" });
  });

  it("orders layers by dependency, whatever the order written", () => {
    const ir = ok(model("  layer c = linear(b) -> 0e\n  layer b = linear(a) -> 0e\n  layer a = linear(x) -> 0e\n  output y = c"));
    expect(ir.layers.map((l) => l.name)).toEqual(["a", "b", "c"]);
  });

  it("lays parameters out flat, contiguously, in layer order", () => {
    const ir = ok(model("  layer a = linear(x) -> 3x0e\n  layer b = conv(a, sh, emb) -> 0e\n  output y = b"));
    let offset = 0;
    for (const p of ir.params) {
      expect(p.offset).toBe(offset);
      expect(p.size).toBe(p.shape.reduce((s, n) => s * n, 1));
      offset += p.size;
    }
    expect(ir.paramCount).toBe(offset);
    expect(ir.params.map((p) => p.name)).toEqual(["a.weight", "b.fc.layer0.weight", "b.fc.layer1.weight"]);
  });
});

describe("train", () => {
  it("reads every setting", () => {
    const ir = ok(model(`  layer h = conv(x, sh, emb) -> 0e + 1o + 2e
  output y = h
  train {
    loss: mse(y, t)
    optimizer: sgd(1e-2, momentum: 0.9)
    schedule: step(every: 100, gamma: 0.5)
    epochs: 50; batch: 4; seed: 7; checkpoint_every: 5
    regularize: [l2(1e-6), group_lasso(1e-4)]
  }`));
    expect(ir.train).toEqual({
      loss: { kind: "mse", output: "y", target: "t" },
      optimizer: { kind: "sgd", lr: 1e-2, momentum: 0.9 },
      schedule: { kind: "step", every: 100, gamma: 0.5 },
      epochs: 50, batch: 4, seed: 7, checkpointEvery: 5,
      regularize: [{ kind: "l2", weight: 1e-6 }, { kind: "group_lasso", weight: 1e-4 }],
    });
  });

  it("accepts adam defaults and a bare schedule word", () => {
    const ir = ok(model("  output y = x\n  train { optimizer: adam  schedule: cosine }"));
    expect(ir.train.optimizer).toEqual({ kind: "adam", lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8 });
    expect(ir.train.schedule).toEqual({ kind: "cosine", minLr: 0 });
  });
});

describe("the specs in specs/", () => {
  const dir = new URL("../specs/", import.meta.url);
  const files = readdirSync(dir).filter((f) => f.endsWith(".regnn")).sort();

  it("include the paper's experiments and the benchmark model", () => {
    expect(files).toEqual(expect.arrayContaining(["bench_conv.regnn", "charged_particle.regnn", "cube_to_box.regnn", "cube_to_cube.regnn", "cube_to_prism.regnn"]));
  });

  for (const f of files) {
    it(`${f} compiles to the IR in its golden snapshot`, async () => {
      const ir = ok(readFileSync(new URL(f, dir), "utf8"), f);
      await expect(`${JSON.stringify(ir, null, 2)}\n`).toMatchFileSnapshot(`../test/golden/${f.replace(/\.regnn$/, ".ir.json")}`);
    });
  }

  it("bench_conv is gate_points_2101.Convolution: uvu mid irreps, radial MLP [10, 100, weights], / sqrt(16)", () => {
    const ir = ok(readFileSync(new URL("bench_conv.regnn", dir), "utf8"));
    const tp = layer(ir, "tp");
    if (tp.op !== "conv") throw new Error(tp.op);
    const ref = convolutionTensorProduct("32x0e+16x1o+8x2e", "0e+1o+2e", "32x0e+16x1o+8x2e");
    expect(tp.irrepsOut).toBe(ref.irrepsMid.toString());
    expect(tp.radial.sizes).toEqual([10, 100, ref.tp.weightNumel]);
    expect(tp.numNeighbors).toBe(16);
    expect(ir.layers.map((l) => l.op)).toEqual(["self_connection", "linear", "conv", "linear", "add"]);
  });
});
