// The fused convolution kernels (conv-fused.ts) with the radial table's stencils (radial-table.ts), on a real
// WebGPU device against the float64 tensor product of compiler/o3: per-edge weights interpolated from a random
// table in f64, messages summed per destination. Tolerances of the output's scale: forward 1e-5, backward 1e-4.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gpuContext, releaseGpu, runRows, scaledError } from "../../../test/gpu.js";
import { tensorProductIR } from "../../ir/lower.js";
import { convolutionTensorProduct, fullyConnectedTensorProduct } from "../../o3/fully-connected.js";
import { randomNormal, seededRng, type Rng } from "../../o3/rotation.js";
import type { TensorProduct } from "../../o3/tensor-product.js";
import { fusedConvBackwardInputKernel, fusedConvForwardKernel, fusedConvPathCount, fusedConvWeightPartialKernel, fusedConvWeightPartialWorkgroupKernel } from "./conv-fused.js";
import { radialTableReduceKernel } from "./radial-table.js";

beforeAll(gpuContext);
afterAll(releaseGpu);

const gauss = (rng: Rng, n: number) => Float64Array.from({ length: n }, () => randomNormal(rng));

/** A random graph with edges sorted by destination, its CSR arrays, and random stencils on a K-cell grid. */
function graph(rng: Rng, nodes: number, edges: number, cells: number) {
  const pairs = Array.from({ length: edges }, () => [Math.floor(rng() * nodes), Math.floor(rng() * nodes)] as const).sort((a, b) => a[1] - b[1]);
  const src = pairs.map((p) => p[0]), dst = pairs.map((p) => p[1]);
  const dstOffsets = new Uint32Array(nodes + 1), srcOffsets = new Uint32Array(nodes + 1);
  for (const d of dst) dstOffsets[d + 1]!++;
  for (const s of src) srcOffsets[s + 1]!++;
  for (let n = 0; n < nodes; n++) (dstOffsets[n + 1]! += dstOffsets[n]!), (srcOffsets[n + 1]! += srcOffsets[n]!);
  const srcEdges: number[] = [];
  for (let n = 0; n < nodes; n++) src.forEach((s, e) => s === n && srcEdges.push(e));
  const stencil: number[] = [];
  src.forEach((_, e) => {
    const b = Math.floor(rng() * (cells - 2)), t = 3 * rng();
    const outside = e % 7 === 3; // edges beyond the cutoff carry no weights
    const L = [-(t - 1) * (t - 2) * (t - 3) / 6, t * (t - 2) * (t - 3) / 2, -t * (t - 1) * (t - 3) / 2, t * (t - 1) * (t - 2) / 6];
    stencil.push(b, ...L.map((l) => (outside ? 0 : Math.fround(l))));
  });
  return { src, dst, dstOffsets, srcOffsets, srcEdges, stencil };
}

/** Returns how many paths the GPU shape's workgroup weight-partial kernel covered (each checked against the reference). */
async function check(tp: TensorProduct, nodes: number, edges: number, seed: number, chunkEdges = 7): Promise<number> {
  const ir = tensorProductIR(tp), cells = 8, J = tp.weightNumel, scale = 0.37, chunks = 3;
  const rng = seededRng(seed);
  const g = graph(rng, nodes, edges, cells);
  const [d1, d2, dOut] = [tp.irrepsIn1.dim, tp.irrepsIn2.dim, tp.irrepsOut.dim];
  const x1 = gauss(rng, nodes * d1), x2 = gauss(rng, edges * d2), table = gauss(rng, (cells + 1) * J), gOut = gauss(rng, nodes * dOut), start = gauss(rng, nodes * d1);

  // f64 reference: per-edge weights from the table, messages, sums
  const w = new Float64Array(edges * J), x1e = new Float64Array(edges * d1);
  for (let e = 0; e < edges; e++) {
    const b = g.stencil[e * 5]!;
    for (let j = 0; j < J; j++) for (let m = 0; m < 4; m++) w[e * J + j] += g.stencil[e * 5 + 1 + m]! * table[(b + m) * J + j]!;
    x1e.set(x1.subarray(g.src[e]! * d1, (g.src[e]! + 1) * d1), e * d1);
  }
  const msg = tp.forward(x1e, x2, w, edges);
  const out = new Float64Array(nodes * dOut);
  for (let e = 0; e < edges; e++) for (let k = 0; k < dOut; k++) out[g.dst[e]! * dOut + k] += scale * msg[e * dOut + k]!;
  const gMsg = new Float64Array(edges * dOut);
  for (let e = 0; e < edges; e++) for (let k = 0; k < dOut; k++) gMsg[e * dOut + k] = scale * gOut[g.dst[e]! * dOut + k]!;
  const back = tp.backward(x1e, x2, w, gMsg, edges);
  const gx1 = Float64Array.from(start);
  for (let e = 0; e < edges; e++) for (let i = 0; i < d1; i++) gx1[g.src[e]! * d1 + i] += back.x1[e * d1 + i]!;
  const gTable = new Float64Array((cells + 1) * J);
  for (let e = 0; e < edges; e++) for (let m = 0; m < 4; m++) for (let j = 0; j < J; j++) gTable[(g.stencil[e * 5]! + m) * J + j] += g.stencil[e * 5 + 1 + m]! * back.weight[e * J + j]!;

  const sizes = { nodes, edges };
  let gpuOut: ArrayLike<number> = new Float64Array(nodes * dOut).fill(7); // path 0 must overwrite
  let gpuGx1: ArrayLike<number> = start;
  let partial: ArrayLike<number> = new Float64Array(chunks * (cells + 1) * J).fill(5); // each path zeroes its columns
  for (let p = 0; p < fusedConvPathCount(ir); p++) {
    const f = fusedConvForwardKernel(ir, scale, p);
    [gpuOut] = await runRows(f.label, f.code, nodes, [x1, x2, g.stencil, table], [nodes * dOut], [g.dstOffsets, g.src], { ...sizes, initial: [gpuOut] });
    const bi = fusedConvBackwardInputKernel(ir, scale, p);
    [gpuGx1] = await runRows(bi.label, bi.code, nodes, [x2, g.stencil, table, gOut], [nodes * d1], [g.srcOffsets, g.srcEdges, g.dst], { ...sizes, initial: [gpuGx1] });
    const wp = fusedConvWeightPartialKernel(ir, scale, cells, chunks, p);
    if (wp) [partial] = await runRows(wp.label, wp.code, (wp.rows as { count: number }).count, [x1, x2, gOut, g.stencil], [partial.length], [g.src, g.dst], { ...sizes, initial: [partial] });
  }
  const red = radialTableReduceKernel(cells, J, chunks);
  const [gpuTable] = await runRows(red.label, red.code, (cells + 1) * J, [partial], [(cells + 1) * J]);
  expect(scaledError(gpuOut, out)).toBeLessThan(1e-5);
  expect(scaledError(gpuGx1, gx1)).toBeLessThan(1e-4);
  expect(scaledError(gpuTable!, gTable)).toBeLessThan(1e-4);

  // The GPU shape's workgroup kernel, chunks of `chunkEdges` edges, for every path with weights: its chunk
  // tables, summed, are the table's gradient in that path's columns.
  const wgChunks = Math.ceil(edges / chunkEdges), width = (cells + 1) * J;
  let viaWorkgroups: ArrayLike<number> = new Float64Array(wgChunks * width);
  let covered = 0;
  for (let p = 0; p < fusedConvPathCount(ir); p++) {
    const wg = fusedConvWeightPartialWorkgroupKernel(ir, scale, cells, p, chunkEdges);
    if (!wg) continue;
    covered++;
    const rows = wgChunks * (wg.rows as { times: number }).times;
    [viaWorkgroups] = await runRows(wg.label, wg.code, rows, [x1, x2, gOut, g.stencil], [viaWorkgroups.length], [g.src, g.dst], { ...sizes, initial: [viaWorkgroups], workgroupSize: wg.workgroupSize! });
    const { weightOffset, pathShape } = ir.instructions[p]!;
    const cols = Array.from({ length: pathShape.reduce((a, b) => a * b, 1) }, (_, j) => weightOffset + j);
    const summed = new Float64Array((cells + 1) * cols.length), ref = new Float64Array(summed.length);
    for (let c = 0; c <= cells; c++)
      cols.forEach((j, q) => {
        for (let k = 0; k < wgChunks; k++) summed[c * cols.length + q]! += viaWorkgroups[k * width + c * J + j]!;
        ref[c * cols.length + q] = gTable[c * J + j]!;
      });
    expect(scaledError(summed, ref), `path ${p}, workgroup kernel`).toBeLessThan(1e-4);
  }
  return covered;
}

describe("fused convolution kernels against the f64 tensor product", () => {
  it("e3nn's uvu convolution product (the benchmark's irreps, fewer channels), 9 nodes, 40 edges", async () => {
    const { tp } = convolutionTensorProduct("4x0e + 2x1o + 2x2e", "0e + 1o + 2e", "4x0e + 2x1o + 2x2e", { sharedWeights: false });
    expect(await check(tp, 9, 40, 1), "paths through the workgroup weight-partial kernel (every path has weights)").toBe(fusedConvPathCount(tensorProductIR(tp)));
  });

  it("channel blocks of 4 at aligned offsets (8x0e + 4x1o + 4x2e): every path reads x1 and grad_out as vec4s", async () => {
    const { tp } = convolutionTensorProduct("8x0e + 4x1o + 4x2e", "0e + 1o + 2e", "8x0e + 4x1o + 4x2e", { sharedWeights: false });
    const ir = tensorProductIR(tp);
    // Rows of 40 and 80 numbers, every block at a multiple of 4: all 11 paths take the vec4 loads.
    const vec4Reads = (code: string) => [...code.matchAll(/var<storage, read> (x1|grad_out): array<vec4f>/g)].map((m) => m[1]).join("+");
    for (let p = 0; p < fusedConvPathCount(ir); p++) {
      const kernels = [fusedConvForwardKernel(ir, 1, p), fusedConvBackwardInputKernel(ir, 1, p), fusedConvWeightPartialKernel(ir, 1, 8, 3, p)!];
      expect(kernels.map((k) => vec4Reads(k.code)), `path ${p}`).toEqual(["x1", "grad_out", "x1+grad_out"]);
    }
    expect(await check(tp, 11, 60, 3), "paths through the workgroup weight-partial kernel").toBe(fusedConvPathCount(ir));
  });

  it("the workgroup weight partials over several rounds of 256 edges: 700 edges in chunks of 300", async () => {
    const { tp } = convolutionTensorProduct("8x0e + 4x1o", "0e + 1o + 2e", "8x0e + 4x1o", { sharedWeights: false });
    expect(await check(tp, 40, 700, 4, 300)).toBe(fusedConvPathCount(tensorProductIR(tp)));
  });

  it("uvw paths, several into one output block, two copies of the edge irreps (v loops)", async () => {
    const tp = fullyConnectedTensorProduct("2x0e + 1x1o", "2x0e + 1x1o + 1x2e", "2x0e + 1x1o + 1x2e", { sharedWeights: false });
    expect(await check(tp, 6, 25, 2), "paths through the workgroup weight-partial kernel").toBeGreaterThan(0);
  });
});
