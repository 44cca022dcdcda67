// The edge-geometry kernels (spherical harmonics, radial bases, edge vectors -> positions) on a real WebGPU
// device against the float64 reference (compiler/reference). Tolerances, of the output's scale (f32):
// forward 1e-5, backward 1e-4.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gpuContext, releaseGpu, runRows, scaledError } from "../../../test/gpu.js";
import { randomNormal, seededRng, type Rng } from "../../o3/rotation.js";
import { radialBasis } from "../../nn/radial-basis.js";
import { shWithJacobian } from "../../reference/spherical-harmonics.js";
import { buildCsr, sortEdgesByDestination } from "../../../runtime/graph/index.js";
import { edgeVectorScatterKernel, radialBasisKernels, sphericalHarmonicsKernels, type RadialBasisIR, type SphericalHarmonicsIR } from "./edge-geometry.js";

beforeAll(gpuContext);
afterAll(releaseGpu);

const gauss = (rng: Rng, n: number, s = 1) => Float64Array.from({ length: n }, () => s * randomNormal(rng));

/**
 * A random graph: positions uniform in a cube of side `side` (f32-exact, so the GPU sees the reference's
 * vectors), random edges sorted by destination, including a self-loop (a zero-length edge), two nodes at
 * the same place, and an isolated node.
 */
function randomGraph(seed: number, nodes: number, edges: number, side: number) {
  const rng = seededRng(seed);
  const pos = Float64Array.from({ length: nodes * 3 }, () => Math.fround((rng() - 0.5) * side));
  pos.set(pos.subarray(0, 3), 3); // node 1 sits on node 0
  const src: number[] = [3], dst: number[] = [3]; // self-loop
  src.push(0, 1), dst.push(1, 0); // zero-length edges between distinct nodes
  while (src.length < edges) {
    const s = Math.floor(rng() * (nodes - 1)), d = Math.floor(rng() * (nodes - 1)); // node nodes-1 stays isolated
    if (s !== d) src.push(s), dst.push(d);
  }
  const sorted = sortEdgesByDestination(src, dst, nodes);
  const csr = buildCsr(nodes, sorted.src, sorted.dst);
  const vec = new Float64Array(edges * 3);
  for (let e = 0; e < edges; e++) for (let a = 0; a < 3; a++) vec[e * 3 + a] = pos[sorted.dst[e]! * 3 + a]! - pos[sorted.src[e]! * 3 + a]!;
  return { nodes, edges, pos, src: sorted.src, dst: sorted.dst, vec, ...csr };
}

describe("spherical harmonics kernels against the reference", () => {
  const g = randomGraph(1, 40, 160, 3);
  // Every lmax with and without normalize, the normalisation rotating (each (normalisation, normalize) pair
  // occurs), and lmax 4 with every normalisation: 12 cases rather than the full 30 (shader compiles are slow
  // on a software driver with a cold cache).
  const norms = ["component", "norm", "integral"] as const;
  const cases: [number, (typeof norms)[number], boolean][] = [];
  for (let lmax = 0; lmax <= 4; lmax++) for (const normalize of [true, false]) cases.push([lmax, norms[(lmax + (normalize ? 0 : 1)) % 3]!, normalize]);
  cases.push([4, "component", true], [4, "integral", true]);
  for (const [lmax, normalization, normalize] of cases) {
    it(`lmax ${lmax}, ${normalization}, normalize ${normalize}: forward and backward on ${g.edges} edges`, async () => {
      const attr: SphericalHarmonicsIR = { name: "sh", op: "spherical_harmonics", irreps: "", lmax, normalization, normalize };
      const k = sphericalHarmonicsKernels(attr);
      expect(k.forward.bindings).toEqual(["pos", "y", "src", "dst"]);
      expect(k.backward.bindings).toEqual(["pos", "grad_y", "grad_vec", "src", "dst"]);
      expect(k.forward.rows).toBe("edges");
      const dim = (lmax + 1) ** 2;
      const rng = seededRng(100 + lmax);
      const gy = gauss(rng, g.edges * dim);
      const start = gauss(rng, g.edges * 3);
      const refY = new Float64Array(g.edges * dim), refG = Float64Array.from(start);
      for (let e = 0; e < g.edges; e++) {
        const { y, jac } = shWithJacobian(lmax, g.vec.subarray(e * 3, e * 3 + 3), normalize, normalization);
        refY.set(y, e * dim);
        for (let q = 0; q < dim; q++) for (let a = 0; a < 3; a++) refG[e * 3 + a] += gy[e * dim + q]! * jac[q * 3 + a]!;
      }
      const sizes = { nodes: g.nodes, edges: g.edges };
      const [y] = await runRows(k.forward.label, k.forward.code, g.edges, [g.pos], [g.edges * dim], [g.src, g.dst], sizes);
      expect(scaledError(y!, refY)).toBeLessThan(1e-5);
      const [gv] = await runRows(k.backward.label, k.backward.code, g.edges, [g.pos, gy], [g.edges * 3], [g.src, g.dst], { ...sizes, initial: [start] });
      expect(scaledError(gv!, refG)).toBeLessThan(1e-4);
      // the zero-length edges: Y = (1, 0, ...) scaled, and nothing added to the gradient when normalising
      const zero = Array.from(g.src.keys()).filter((e) => g.src[e] === g.dst[e] || (g.src[e]! <= 1 && g.dst[e]! <= 1));
      expect(zero.length).toBeGreaterThanOrEqual(3);
      for (const e of zero) {
        for (let q = 1; q < dim; q++) expect(y![e * dim + q]).toBe(0);
        if (normalize) for (let a = 0; a < 3; a++) expect(gv![e * 3 + a]).toBe(Math.fround(start[e * 3 + a]!));
      }
    });
  }

  it("reads edge vectors from `vec` with source: vectors", async () => {
    const attr: SphericalHarmonicsIR = { name: "sh", op: "spherical_harmonics", irreps: "", lmax: 3, normalization: "norm", normalize: true };
    const k = sphericalHarmonicsKernels(attr, { source: "vectors" });
    expect(k.forward.bindings).toEqual(["vec", "y"]);
    expect(k.backward.bindings).toEqual(["vec", "grad_y", "grad_vec"]);
    const dim = 16;
    const gy = gauss(seededRng(7), g.edges * dim);
    const refY = new Float64Array(g.edges * dim), refG = new Float64Array(g.edges * 3);
    for (let e = 0; e < g.edges; e++) {
      const { y, jac } = shWithJacobian(3, g.vec.subarray(e * 3, e * 3 + 3), true, "norm");
      refY.set(y, e * dim);
      for (let q = 0; q < dim; q++) for (let a = 0; a < 3; a++) refG[e * 3 + a] += gy[e * dim + q]! * jac[q * 3 + a]!;
    }
    const [y] = await runRows(k.forward.label, k.forward.code, g.edges, [g.vec], [g.edges * dim]);
    expect(scaledError(y!, refY)).toBeLessThan(1e-5);
    const [gv] = await runRows(k.backward.label, k.backward.code, g.edges, [g.vec, gy], [g.edges * 3]);
    expect(scaledError(gv!, refG)).toBeLessThan(1e-4);
  });
});

describe("radial basis kernels against the reference", () => {
  // Cube of side 4 with cutoff 2.5: many edges beyond the cutoff, and the zero-length ones.
  const g = randomGraph(2, 50, 200, 4);
  const bases = ["bessel", "gaussian", "smooth_finite", "cosine", "fourier"] as const;
  const configs = [
    { count: 8, start: 0, cutoff: 2.5, scale: 1 },
    { count: 5, start: 0.4, cutoff: 2.2, scale: 3.1622776601683795 },
  ];
  for (const basis of bases) {
    for (const cfg of configs) {
      it(`${basis}, count ${cfg.count}, start ${cfg.start}, cutoff ${cfg.cutoff}, scale ${cfg.scale.toFixed(3)}: forward and backward on ${g.edges} edges`, async () => {
        const attr: RadialBasisIR = { name: "emb", op: "radial_basis", irreps: "", basis, ...cfg };
        const k = radialBasisKernels(attr);
        expect(k.forward.bindings).toEqual(["pos", "emb", "src", "dst"]);
        expect(k.backward.bindings).toEqual(["pos", "grad_emb", "grad_vec", "src", "dst"]);
        const n = cfg.count;
        const rng = seededRng(200 + n);
        const ge = gauss(rng, g.edges * n);
        const start = gauss(rng, g.edges * 3);
        const refE = new Float64Array(g.edges * n), refG = Float64Array.from(start);
        let beyond = 0;
        for (let e = 0; e < g.edges; e++) {
          const v = g.vec.subarray(e * 3, e * 3 + 3);
          const r = Math.hypot(v[0]!, v[1]!, v[2]!);
          if (r >= cfg.cutoff) beyond++;
          const { value, deriv } = radialBasis(attr, r);
          refE.set(value, e * n);
          if (r > 0) {
            let gr = 0;
            for (let i = 0; i < n; i++) gr += ge[e * n + i]! * deriv[i]!;
            for (let a = 0; a < 3; a++) refG[e * 3 + a] += (gr * v[a]!) / r;
          }
        }
        expect(beyond).toBeGreaterThan(10);
        const sizes = { nodes: g.nodes, edges: g.edges };
        const [emb] = await runRows(k.forward.label, k.forward.code, g.edges, [g.pos], [g.edges * n], [g.src, g.dst], sizes);
        expect(scaledError(emb!, refE)).toBeLessThan(1e-5);
        const [gv] = await runRows(k.backward.label, k.backward.code, g.edges, [g.pos, ge], [g.edges * 3], [g.src, g.dst], { ...sizes, initial: [start] });
        expect(scaledError(gv!, refG)).toBeLessThan(1e-4);
      });
    }
  }

  it("bessel near r = 0 (the derivative's series branch)", async () => {
    const attr: RadialBasisIR = { name: "emb", op: "radial_basis", irreps: "", basis: "bessel", count: 6, start: 0, cutoff: 2, scale: 1 };
    const k = radialBasisKernels(attr, { source: "vectors" });
    const edges = 64;
    const rng = seededRng(3);
    const vec = new Float64Array(edges * 3);
    for (let e = 0; e < edges; e++) {
      const r = Math.pow(10, -4 + (3.5 * e) / edges); // 1e-4 .. ~0.3
      const d = gauss(rng, 3);
      const nd = Math.hypot(d[0]!, d[1]!, d[2]!);
      for (let a = 0; a < 3; a++) vec[e * 3 + a] = Math.fround((r * d[a]!) / nd);
    }
    const ge = gauss(rng, edges * 6);
    const refG = new Float64Array(edges * 3), refE = new Float64Array(edges * 6);
    for (let e = 0; e < edges; e++) {
      const v = vec.subarray(e * 3, e * 3 + 3);
      const r = Math.hypot(v[0]!, v[1]!, v[2]!);
      const { value, deriv } = radialBasis(attr, r);
      refE.set(value, e * 6);
      let gr = 0;
      for (let i = 0; i < 6; i++) gr += ge[e * 6 + i]! * deriv[i]!;
      for (let a = 0; a < 3; a++) refG[e * 3 + a] = (gr * v[a]!) / r;
    }
    const [emb] = await runRows(k.forward.label, k.forward.code, edges, [vec], [edges * 6]);
    expect(scaledError(emb!, refE)).toBeLessThan(1e-5);
    const [gv] = await runRows(k.backward.label, k.backward.code, edges, [vec, ge], [edges * 3]);
    expect(scaledError(gv!, refG)).toBeLessThan(1e-4);
  });
});

describe("edge vector gradient -> positions", () => {
  it("grad_pos[n] += Σ incoming - Σ outgoing, on a random graph with an isolated node", async () => {
    const g = randomGraph(4, 30, 150, 2);
    const k = edgeVectorScatterKernel();
    expect(k.bindings).toEqual(["grad_vec", "grad_pos", "dst_offsets", "src_offsets", "src_edges"]);
    expect(k.rows).toBe("nodes");
    const rng = seededRng(5);
    const gvec = gauss(rng, g.edges * 3), start = gauss(rng, g.nodes * 3);
    const ref = Float64Array.from(start);
    for (let e = 0; e < g.edges; e++)
      for (let a = 0; a < 3; a++) {
        ref[g.dst[e]! * 3 + a] += gvec[e * 3 + a]!;
        ref[g.src[e]! * 3 + a] -= gvec[e * 3 + a]!;
      }
    const [gp] = await runRows(k.label, k.code, g.nodes, [gvec], [g.nodes * 3], [g.dstOffsets, g.srcOffsets, g.srcEdges], { nodes: g.nodes, edges: g.edges, initial: [start] });
    expect(scaledError(gp!, ref)).toBeLessThan(1e-5);
    const last = g.nodes - 1; // isolated: unchanged
    for (let a = 0; a < 3; a++) expect(gp![last * 3 + a]).toBe(Math.fround(start[last * 3 + a]!));
  });
});
