import { describe, expect, it } from "vitest";
import type { ModelIR, TensorProductIR } from "../ir/types.js";
import { checkBatch } from "./batch-check.js";
import { executeBackward } from "./backward.js";
import { executeForward } from "./forward.js";
import { handBatch } from "../../test/hand-batch.js";
import { initParams } from "./init.js";
import { compileOrThrow } from "../../test/test-models.js";
import { tensorProductOf } from "../ir/tensor-products.js";
import { outputSources } from "../ir/values.js";

describe("tensor products are rebuilt from the IR and must match it", () => {
  const ir = compileOrThrow(`model L { input x: 2x0e + 1o  layer l = linear(x) -> 0e + 1o  output o = l }`);
  const tp = (ir.layers[0] as { tp: TensorProductIR }).tp;
  it("the IR's path weights are reproduced", () => {
    expect(tensorProductOf(tp).instructions.map((i) => i.pathWeight)).toEqual(tp.instructions.map((i) => i.pathWeight));
  });
  it("a path weight, shape or offset that differs from the rebuilt product is an error", () => {
    const bad = structuredClone(tp);
    bad.instructions[0]!.pathWeight *= 1.001;
    expect(() => tensorProductOf(bad)).toThrow(/path weight/);
    const bad2 = structuredClone(tp);
    bad2.weightNumel += 1;
    expect(() => tensorProductOf(bad2)).toThrow(/weights/);
  });
});

describe("output sources", () => {
  it("come from the IR, including several outputs of one irreps and stacked layers", () => {
    const ir = compileOrThrow(`model A { input x: 1o  input pos: positions  layer a = linear(x) -> 1o  layer b = linear(a) -> 1o  output y = a  output z = b  output w = x }`);
    expect([...outputSources(ir)]).toEqual([["y", "a"], ["z", "b"], ["w", "x"]]);
  });
});

describe("inputs, parameters and batches are checked, naming the field", () => {
  const ir = compileOrThrow(`model A { input x: 0e + 1o  input pos: positions  edge sh = spherical_harmonics(lmax: 1)  edge emb = gaussian(count: 2, cutoff: 2.0)
    layer c = conv(x, sh, emb) -> 0e  output y = c }`);
  const good = () => handBatch([3], [[0, 1], [1, 2], [2, 0]], { x: new Float64Array(12), pos: Float64Array.of(0, 0, 0, 1, 0, 0, 0, 1, 0) });
  it("a well-formed batch runs; a missing or short feature, a wrong parameter count are errors", () => {
    const params = initParams(ir, 0);
    expect(() => executeForward(ir, params, good())).not.toThrow();
    const b = good();
    delete b.features.x;
    expect(() => executeForward(ir, params, b)).toThrow(/batch.features.x/);
    const c = good();
    c.features.pos = new Float64Array(8);
    expect(() => executeForward(ir, params, c)).toThrow(/batch.features.pos/);
    expect(() => executeForward(ir, params.subarray(1), good())).toThrow(/params/);
  });
  it("a CSR that disagrees with the edges is an error", () => {
    const b = good();
    b.dstOffsets = Uint32Array.of(0, 2, 2, 3);
    expect(() => checkBatch(b)).toThrow(/dstOffsets/);
    const c = good();
    c.srcEdges = Uint32Array.of(1, 0, 2);
    expect(() => checkBatch(c)).toThrow(/srcEdges/);
  });
  it("gradOutputs must name outputs and have their size", () => {
    const params = initParams(ir, 0);
    const b = good();
    const fwd = executeForward(ir, params, b);
    expect(() => executeBackward(ir, params, b, fwd, { nope: new Float64Array(3) })).toThrow(/gradOutputs.nope/);
    expect(() => executeBackward(ir, params, b, fwd, { y: new Float64Array(2) })).toThrow(/gradOutputs.y/);
  });
  it("a zero-length edge gives finite values and a zero positions gradient through it", () => {
    const params = initParams(ir, 0);
    const b = good();
    b.features.pos = Float64Array.of(0, 0, 0, 0, 0, 0, 0, 1, 0); // nodes 0 and 1 coincide
    b.features.x = Float64Array.from({ length: 12 }, (_, i) => Math.sin(i + 1));
    const fwd = executeForward(ir, params, b);
    const g = executeBackward(ir, params, b, fwd, { y: Float64Array.of(1, 1, 1) });
    expect([...fwd.values.values()].every((v) => v.every(Number.isFinite))).toBe(true);
    expect(g.inputs.pos!.every(Number.isFinite)).toBe(true);
  });
});

describe("initParams", () => {
  const ir = compileOrThrow(`model A { symmetry relax to C1 lmax 1  input x: 0e + 1o  layer a = relaxed_node(x) -> 0e + 1o  layer n = norm(a)  output y = n }`);
  it("is deterministic per seed; normal entries look N(0, 1); norm weights are ones", () => {
    expect(initParams(ir, 5)).toEqual(initParams(ir, 5));
    expect(initParams(ir, 5)).not.toEqual(initParams(ir, 6));
    const big = compileOrThrow(`model B { input x: 32x0e  layer a = linear(x) -> 32x0e  output y = a }`);
    const w = initParams(big, 1);
    const mean = w.reduce((s, v) => s + v, 0) / w.length;
    const variance = w.reduce((s, v) => s + (v - mean) ** 2, 0) / w.length;
    expect(Math.abs(mean)).toBeLessThan(0.1);
    expect(Math.abs(variance - 1)).toBeLessThan(0.1);
    const p = ir.params.find((q) => q.name === "n.weight")!;
    expect(Array.from(initParams(ir, 0).subarray(p.offset, p.offset + p.size))).toEqual([1, 1]);
  });
});
