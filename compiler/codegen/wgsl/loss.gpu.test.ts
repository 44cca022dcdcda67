// Loss kernels on a real WebGPU device against float64 formulas (compiler/reference/loss.ts's definitions):
// the per-row partial sums, their in-order total, and the gradient (accumulated: checked as start + reference).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gpuContext, releaseGpu, runRows, type RunRowsOptions, scaledError } from "../../../test/gpu.js";
import type { RowDomain } from "./kernel.js";
import { seededRng } from "../../o3/rotation.js";
import { gaussianArray } from "../../../test/hand-batch.js";
import { lossKernels } from "./loss.js";

beforeAll(gpuContext);
afterAll(releaseGpu);

/** compiler/reference/loss.ts's value and gradient, times `scale`. */
function reference(kind: "sse" | "mse", y: Float64Array, t: Float64Array, scale: number): { value: number; grad: Float64Array; partial: (rows: number, dim: number) => Float64Array } {
  const n = y.length, c = (kind === "sse" ? 1 : n > 0 ? 1 / n : 0) * scale;
  let value = 0;
  const grad = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const d = y[i]! - t[i]!;
    value += d * d;
    grad[i] = 2 * d * c;
  }
  const partial = (rows: number, dim: number) =>
    Float64Array.from({ length: rows }, (_, r) => {
      let s = 0;
      for (let i = 0; i < dim; i++) s += (y[r * dim + i]! - t[r * dim + i]!) ** 2;
      return s;
    });
  return { value: value * c, grad, partial };
}

describe("loss", () => {
  const rng = seededRng(51);
  const cases: { kind: "sse" | "mse"; domain: RowDomain; rows: number; dim: number; scale?: number }[] = [
    { kind: "sse", domain: "nodes", rows: 110, dim: 4 },
    { kind: "mse", domain: "nodes", rows: 110, dim: 4 },
    { kind: "sse", domain: "graphs", rows: 5, dim: 1, scale: 0.25 },
    { kind: "mse", domain: "graphs", rows: 5, dim: 3, scale: 3 },
    { kind: "mse", domain: "edges", rows: 70, dim: 9 },
    { kind: "mse", domain: { count: 12 }, rows: 12, dim: 2 },
    { kind: "mse", domain: "graphs", rows: 0, dim: 2 },
  ];
  for (const c of cases) {
    const where = typeof c.domain === "string" ? c.domain : "count" in c.domain ? `count ${c.domain.count}` : "blocks";
    it(`${c.kind} over ${c.rows} ${where} of dim ${c.dim}${c.scale ? `, scale ${c.scale}` : ""}: partials, total, gradient`, async () => {
      const { partial, total, backward } = lossKernels(c.kind, c.dim, c.domain, c.scale === undefined ? {} : { scale: c.scale });
      expect(partial.bindings).toEqual(["y", "y_target", "partial"]);
      expect(total.bindings).toEqual(["partial", "loss"]);
      expect(backward.bindings).toEqual(["y", "y_target", "grad_y"]);
      const y = gaussianArray(c.rows * c.dim, rng), t = gaussianArray(c.rows * c.dim, rng);
      const ref = reference(c.kind, y, t, c.scale ?? 1);
      // The other sizes are decoys: each kernel must read its own domain's.
      const sizes: RunRowsOptions = { nodes: 1000, edges: 1001, graphs: 1002, ...(typeof c.domain === "string" ? { [c.domain]: c.rows } : {}) };
      // With no rows the executor dispatches nothing (and Dawn warns about an empty dispatch): only the total runs.
      const parts = c.rows ? (await runRows("loss_partial", partial.code, c.rows, [y, t], [c.rows], [], sizes))[0]! : new Float32Array(0);
      expect(scaledError(parts, ref.partial(c.rows, c.dim))).toBeLessThan(1e-5);
      const [value] = await runRows("loss_total", total.code, 1, [parts], [1], [], { ...sizes, initial: [[123]] });
      expect(scaledError(value!, [ref.value])).toBeLessThan(1e-5);
      if (c.rows === 0) return;
      const start = gaussianArray(c.rows * c.dim, rng);
      const [gy] = await runRows("loss_backward", backward.code, c.rows, [y, t], [c.rows * c.dim], [], { ...sizes, initial: [start] });
      expect(scaledError(gy!, start.map((v, i) => v + ref.grad[i]!))).toBeLessThan(1e-4);
    });
  }
});
