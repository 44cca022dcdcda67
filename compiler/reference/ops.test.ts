/**
 * Each op against an independent hand computation (explicit formulas with the Wigner 3j values written out,
 * C(0,1,1) = C(1,0,1) = C(1,1,0) = δ/√3, C(1,1,1) = ε/√6), on a 3-node, 4-edge graph or on rows.
 */
import { describe, expect, it } from "vitest";
import type { LayerIR, ModelIR } from "../ir/types.js";
import { seededRng } from "../o3/rotation.js";
import type { GraphBatch } from "../../runtime/graph/batch.js";
import { executeForward } from "./forward.js";
import { gaussianArray, handBatch } from "../../test/hand-batch.js";
import { initParams } from "./init.js";
import { paramView } from "./params.js";
import { compileOrThrow, randomFeatures } from "../../test/test-models.js";

const POS = Float64Array.of(0, 0, 0, 1.1, 0.2, -0.3, -0.4, 0.9, 0.5);
/** 3 nodes, edges 0->1, 1->0, 2->0, 2->1 (node 2 receives nothing). */
const tiny = () => handBatch([3], [[0, 1], [1, 0], [2, 0], [2, 1]], { pos: POS });

const cross = (a: number[], b: number[]) => [a[1]! * b[2]! - a[2]! * b[1]!, a[2]! * b[0]! - a[0]! * b[2]!, a[0]! * b[1]! - a[1]! * b[0]!];
const dot = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i]!, 0);
const row = (x: Float64Array, r: number, d: number) => Array.from(x.subarray(r * d, (r + 1) * d));

function setup(spec: string, batch: GraphBatch, seed = 7) {
  const ir = compileOrThrow(spec);
  const rng = seededRng(seed);
  const pos = batch.features.pos;
  randomFeatures(ir, batch, rng);
  if (pos) batch.features.pos = pos;
  const params = initParams(ir, seed);
  for (const p of ir.params) if (p.relaxed || p.init === "ones") params.set(gaussianArray(p.size, rng), p.offset);
  const fwd = executeForward(ir, params, batch);
  const P = (name: string) => paramView(ir, params, name);
  return { ir, params, fwd, P, f: batch.features, y: (name: string) => fwd.values.get(name)! };
}

function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, tol = 1e-12) {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) expect(Math.abs(got[i]! - want[i]!), `entry ${i}: ${got[i]} vs ${want[i]}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(want[i]!)));
}

/** The weight of instruction (i1, i2, iOut) of a layer's product (mul 1 paths: one weight each). */
function weightOf(ir: ModelIR, layer: LayerIR, tpKey: "tp" | "tpTheta", param: string, params: Float64Array, i1: number, i2: number, iOut: number): number {
  const tp = (layer as unknown as Record<string, { instructions: { i1: number; i2: number; iOut: number; weightOffset: number }[] }>)[tpKey]!;
  const ins = tp.instructions.find((i) => i.i1 === i1 && i.i2 === i2 && i.iOut === iOut)!;
  return paramView(ir, params, param)[ins.weightOffset]!;
}

/** Edge e of the tiny graph as [src, dst, unit vector, length]. */
function edgesOf(b: GraphBatch) {
  return Array.from({ length: b.numEdges }, (_, e) => {
    const s = b.edgeSrc[e]!, d = b.edgeDst[e]!;
    const v = [0, 1, 2].map((a) => POS[d * 3 + a]! - POS[s * 3 + a]!);
    const r = Math.hypot(...v);
    return { s, d, u: v.map((x) => x / r), r };
  });
}

describe("ops against hand computations", () => {
  it("linear: 2x0e + 1o -> 0e + 2x1o is [(W0 x0 + W1 x1)/√2, W2 v, W3 v]", () => {
    const { fwd, P, f, y } = setup(`model L { input x: 2x0e + 1o  layer l = linear(x) -> 0e + 2x1o  output o = l }`, handBatch([2], []));
    const W = P("l.weight");
    for (let r = 0; r < 2; r++) {
      const [x0, x1, ...v] = row(f.x!, r, 5) as [number, number, ...number[]];
      expectClose(row(y("l"), r, 7), [(W[0]! * x0 + W[1]! * x1) / Math.SQRT2, ...v.map((c) => W[2]! * c), ...v.map((c) => W[3]! * c)]);
    }
    expect(fwd.outputs.o).toBe(y("l"));
  });

  it("self_connection(x, a): 1o ⊗ (0e + 1o) -> 0e + 1e is [W0 x·v/√3, W1 (x × v)/√2]; without attr it equals linear", () => {
    const { P, f, y } = setup(`model S { input x: 1o  input a: 0e + 1o  layer s = self_connection(x, a) -> 0e + 1e  output o = s }`, handBatch([3], []));
    const W = P("s.weight");
    for (let r = 0; r < 3; r++) {
      const x = row(f.x!, r, 3), v = row(f.a!, r, 4).slice(1);
      expectClose(row(y("s"), r, 4), [(W[0]! * dot(x, v)) / Math.sqrt(3), ...cross(x, v).map((c) => (W[1]! * c) / Math.SQRT2)]);
    }
    const both = setup(`model S2 { input x: 2x0e + 1o  layer s = self_connection(x) -> 0e + 1o  layer l = linear(x) -> 0e + 1o  layer t = add(s, l)  output o = t }`, handBatch([2], []));
    both.params.set(both.P("s.weight"), both.ir.params.find((p) => p.name === "l.weight")!.offset);
    expectClose(executeForward(both.ir, both.params, handBatch([2], [], both.f)).values.get("s")!, executeForward(both.ir, both.params, handBatch([2], [], both.f)).values.get("l")!, 0);
  });

  it("relaxed_node (charged particle): out = W0 x0 θ1o/√3 + W1 θ0e v/√3 + W2 (v × θ1e)/√6", () => {
    const { ir, params, f, y } = setup(`model C { symmetry relax to C1 lmax 1  input x: 0e + 1o  layer l = relaxed_node(x) -> 1o  output o = l }`, handBatch([4], []));
    const layer = ir.layers[0]!;
    const c = paramView(ir, params, "l.theta");
    // θ = B c block by block (the C1 bases: 0e, 0o 1x1; 1o, 1e 3x3), written out
    const blocks = ir.symmetry.theta!.blocks;
    const theta: number[] = [];
    let k = 0;
    for (const b of blocks) {
      const d = b.basis[0]!.length;
      const t = new Array(d).fill(0);
      b.basis.forEach((basisRow, q) => basisRow.forEach((v, i) => (t[i] += c[k + q]! * v)));
      k += b.basis.length;
      theta.push(...t);
    }
    const [t0e, , ...rest] = theta as [number, number, ...number[]];
    const [t1o, t1e] = [rest.slice(0, 3), rest.slice(3, 6)];
    const W = (i1: number, i2: number) => weightOf(ir, layer, "tp", "l.tp.weight", params, i1, i2, 0);
    for (let r = 0; r < 4; r++) {
      const [x0, ...v] = row(f.x!, r, 4) as [number, ...number[]];
      const want = [0, 1, 2].map((i) => (W(0, 2) * x0 * t1o[i]!) / Math.sqrt(3) + (W(1, 0) * t0e * v[i]!) / Math.sqrt(3) + (W(1, 3) * cross(v, t1e)[i]!) / Math.sqrt(6));
      expectClose(row(y("l"), r, 3), want);
    }
  });

  it("conv: m_e = R_e x_src √3 û_e (0e ⊗ 1o -> 1o, pw √3), R = emb W / √count, out[dst] = Σ m / √2", () => {
    const b = tiny();
    const { P, f, y } = setup(
      `model V { input x: 0e  input pos: positions  edge sh = spherical_harmonics(lmax: 1)  edge emb = gaussian(count: 2, cutoff: 3.0)
        layer c = conv(x, sh, emb, radial: [], num_neighbors: 2) -> 1o  output o = c }`,
      b,
    );
    const W = P("c.fc.layer0.weight");
    const want = new Array(9).fill(0);
    for (const { s, d, u, r } of edgesOf(b)) {
      const emb = [1, 2].map((n) => Math.exp(-((r - n) ** 2)) / 1.12); // centres 1, 2 (linspace(0, 3, 4)), step 1
      const R = (emb[0]! * W[0]! + emb[1]! * W[1]!) / Math.SQRT2;
      for (let a = 0; a < 3; a++) want[d * 3 + a] += (R * f.x![s]! * Math.sqrt(3) * u[a]!) / Math.SQRT2;
    }
    expectClose(y("c"), want);
    expectClose(row(y("c"), 2, 3), [0, 0, 0], 0); // node 2 receives no edge
  });

  it("relaxed_conv: F_1o = Wa θ0e Y1/√3 + Wb θ1o/√3 + Wc (θ1e × Y1)/√6, m_e = R_e x_src F_1o, out = Σ m / √nn", () => {
    const b = tiny();
    const { ir, params, f, y } = setup(
      `model R { symmetry relax to C1 lmax 1  input x: 0e  input pos: positions  edge sh = spherical_harmonics(lmax: 1)
        edge emb = bessel(count: 3, cutoff: 2.5)
        layer h = relaxed_conv(x, sh, emb, radial: [], num_neighbors: 1.7) -> 1o  output o = h }`,
      b,
    );
    const layer = ir.layers[0]!;
    const c = paramView(ir, params, "h.theta");
    const blocks = ir.symmetry.theta!.blocks;
    const theta: number[] = [];
    let k = 0;
    for (const bl of blocks) {
      const t = new Array(bl.basis[0]!.length).fill(0);
      bl.basis.forEach((basisRow, q) => basisRow.forEach((v, i) => (t[i] += c[k + q]! * v)));
      k += bl.basis.length;
      theta.push(...t);
    }
    const [t0e, t1o, t1e] = [theta[0]!, theta.slice(2, 5), theta.slice(5, 8)];
    // θ irreps 0e, 0o, 1o, 1e = indices 0..3; Y irreps 0e, 1o = 0, 1
    const Wt = (i1: number, i2: number, iOut: number) => weightOf(ir, layer, "tpTheta", "h.tp_theta.weight", params, i1, i2, iOut);
    const [Wa, Wb, Wc] = [Wt(0, 1, 2), Wt(2, 0, 2), Wt(3, 1, 2)];
    const Wr = paramView(ir, params, "h.fc.layer0.weight");
    const want = new Array(9).fill(0);
    for (const { s, d, u, r } of edgesOf(b)) {
      const Y1 = u.map((x) => Math.sqrt(3) * x);
      const F = [0, 1, 2].map((i) => (Wa * t0e * Y1[i]!) / Math.sqrt(3) + (Wb * t1o[i]!) / Math.sqrt(3) + (Wc * cross(t1e, Y1)[i]!) / Math.sqrt(6));
      const emb = [1, 2, 3].map((n) => (r < 2.5 ? (Math.sqrt(2 / 2.5) * Math.sin((n * Math.PI * r) / 2.5)) / r : 0));
      const R = (emb[0]! * Wr[0]! + emb[1]! * Wr[1]! + emb[2]! * Wr[2]!) / Math.sqrt(3);
      for (let a = 0; a < 3; a++) want[d * 3 + a] += (R * f.x![s]! * F[a]!) / Math.sqrt(1.7);
    }
    expectClose(y("h"), want);
  });

  it("relaxed_conv with θ lmax 0: F = (Wt0 θ0e, Wt1 θ0o), m_e = (R0 x F0, R1 x F1), the hidden MLP layer with its activation scale", () => {
    const b = tiny();
    const { ir, params, f, y } = setup(
      `model R0 { symmetry relax to C1 lmax 0  input x: 0e  input pos: positions  edge sh = spherical_harmonics(lmax: 1)
        edge emb = gaussian(count: 2, cutoff: 3.0)
        layer h = relaxed_conv(x, sh, emb, radial: [2], act: tanh) -> 0e + 0o  output o = h }`,
      b,
    );
    const c = paramView(ir, params, "h.theta"), Wt = paramView(ir, params, "h.tp_theta.weight");
    const W0 = paramView(ir, params, "h.fc.layer0.weight"), W1 = paramView(ir, params, "h.fc.layer1.weight");
    const actScale = (ir.layers[0] as Extract<LayerIR, { op: "relaxed_conv" }>).radial.actScale;
    const want = new Array(6).fill(0);
    for (const { s, d, r } of edgesOf(b)) {
      const emb = [1, 2].map((n) => Math.exp(-((r - n) ** 2)) / 1.12);
      const hidden = [0, 1].map((j) => actScale * Math.tanh((emb[0]! * W0[j]! + emb[1]! * W0[2 + j]!) / Math.SQRT2));
      const R = [0, 1].map((j) => (hidden[0]! * W1[j]! + hidden[1]! * W1[2 + j]!) / Math.SQRT2);
      want[d * 2] += R[0]! * f.x![s]! * Wt[0]! * c[0]!;
      want[d * 2 + 1] += R[1]! * f.x![s]! * Wt[1]! * c[1]!;
    }
    expectClose(y("h"), want);
  });

  it("gate: [cS silu(s), cG σ(g1) v, cG σ(g2) w] (0e + 2x0e gates + 1o + 1e)", () => {
    const { ir, f, y } = setup(`model G { input x: 3x0e + 1o + 1e  layer g = gate(x) -> 0e + 1o + 1e  output o = g }`, handBatch([3], []));
    const layer = ir.layers[0] as Extract<LayerIR, { op: "gate" }>;
    const silu = (z: number) => z / (1 + Math.exp(-z)), sig = (z: number) => 1 / (1 + Math.exp(-z));
    for (let r = 0; r < 3; r++) {
      const [s, g1, g2, ...vw] = row(f.x!, r, 9) as [number, number, number, ...number[]];
      const want = [layer.actScalarsScale * silu(s), ...vw.slice(0, 3).map((c) => layer.actGatesScale * sig(g1) * c), ...vw.slice(3).map((c) => layer.actGatesScale * sig(g2) * c)];
      expectClose(row(y("g"), r, 7), want);
    }
  });

  it("norm: 0e block centred, each block / sqrt(mean x² + eps), times a per-copy weight", () => {
    const { P, f, y } = setup(`model N { input x: 2x0e + 1o + 2x1e  layer n = norm(x)  output o = n }`, handBatch([3], []));
    const w = P("n.weight"), eps = 1e-5;
    expect(w.length).toBe(5);
    for (let r = 0; r < 3; r++) {
      const x = row(f.x!, r, 11);
      const m = (x[0]! + x[1]!) / 2;
      const s0 = [x[0]! - m, x[1]! - m];
      const n0 = Math.sqrt((s0[0]! ** 2 + s0[1]! ** 2) / 2 + eps);
      const v = x.slice(2, 5), n1 = Math.sqrt(dot(v, v) / 3 + eps);
      const e = x.slice(5), n2 = Math.sqrt(dot(e, e) / 6 + eps);
      const want = [(s0[0]! / n0) * w[0]!, (s0[1]! / n0) * w[1]!, ...v.map((c) => (c / n1) * w[2]!), ...e.slice(0, 3).map((c) => (c / n2) * w[3]!), ...e.slice(3).map((c) => (c / n2) * w[4]!)];
      expectClose(row(y("n"), r, 11), want);
    }
  });

  it("pool (sum and mean over each graph, an empty graph gives 0), add, concat (rows in input order)", () => {
    const b = handBatch([2, 0, 3], []);
    const { f, y } = setup(
      `model P { input x: 0e + 1o  input z: 0e + 1o  input w: 1e  layer s = pool(x)  layer m = pool(w, reduce: mean)  layer a = add(x, z)
        layer c = concat(x, a, z)  output o1 = s  output o2 = m  output o3 = c }`,
      b,
    );
    const x = f.x!, z = f.z!, w = f.w!;
    const sum = (v: Float64Array, d: number, from: number, to: number) =>
      Array.from({ length: d }, (_, q) => Array.from({ length: to - from }, (_, i) => v[(from + i) * d + q]!).reduce((p, t) => p + t, 0));
    expectClose(y("s"), [...sum(x, 4, 0, 2), 0, 0, 0, 0, ...sum(x, 4, 2, 5)]);
    expectClose(y("m"), [...sum(w, 3, 0, 2).map((v) => v / 2), 0, 0, 0, ...sum(w, 3, 2, 5).map((v) => v / 3)]);
    expectClose(y("a"), x.map((v, i) => v + z[i]!), 0);
    for (let r = 0; r < 5; r++) expectClose(row(y("c"), r, 12), [...row(x, r, 4), ...row(x, r, 4).map((v, i) => v + row(z, r, 4)[i]!), ...row(z, r, 4)], 0);
  });

  it("edge attributes: harmonics and radial basis of pos[dst] - pos[src], per edge in batch edge order", () => {
    const b = tiny();
    const { y } = setup(
      `model E { input x: 0e  input pos: positions  edge sh = spherical_harmonics(lmax: 1, normalization: norm)  edge emb = soft_one_hot(count: 2, cutoff: 3.0, basis: cosine, scale: 2)
        layer c = conv(x, sh, emb) -> 0e  output o = c }`,
      b,
    );
    const want = edgesOf(b).flatMap(({ u }) => [1, ...u]);
    expectClose(y("sh"), want);
    const wantEmb = edgesOf(b).flatMap(({ r }) => [1, 2].map((n) => (Math.abs(r - n) < 1 ? 2 * Math.cos((Math.PI / 2) * (r - n)) : 0)));
    expectClose(y("emb"), wantEmb);
  });
});
