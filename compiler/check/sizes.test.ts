// Sizes fixed by the spec that no u32 index reaches are refused by the checker, on the layer that makes
// them (they once passed `check` and failed in `compile` with "u32: … is not a u32").
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { compileSource } from "../compile.js";

const conv = (paths: string) => `model Huge {
  graph radius 2.0
  input x: 4096x0e
  input pos: positions
  edge sh = spherical_harmonics(lmax: 1)
  edge emb = bessel(count: 8, cutoff: 2.0)
  layer a = conv(x, sh, emb, radial: [16], num_neighbors: 4, paths: ${paths}) -> 4096x0e + 4096x1o
  output y = a
}
`;

describe("size check (E140)", () => {
  it("refuses a radial table past 2^32 numbers, on the layer, naming the numbers", () => {
    const { ir, diagnostics } = compileSource(conv("uvw"), "huge.regnn");
    expect(ir).toBeUndefined();
    const errors = diagnostics.filter((d) => d.severity === "error");
    expect(errors).toHaveLength(1);
    expect(errors[0]!.code).toBe("E140");
    expect(errors[0]!.span.startLine).toBe(7);
    expect(errors[0]!.span.startColumn).toBe(9);
    expect(errors[0]!.message).toBe("layer 'a' needs 33554432 radial weights per edge; their table over the edge length holds 34393292800 numbers, more than 32-bit indices reach (4294967295)");
    expect(errors[0]!.hint).toContain("`paths: uvu`");
  });

  it("accepts the same layer with uvu paths", () => {
    const { ir, diagnostics } = compileSource(conv("uvu"), "huge.regnn");
    expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(ir).toBeDefined();
  });

  it("refuses parameters past 2^32 once, on the first layer that passes it", () => {
    const spec = `model Wide {
  input x: 4096x0e
  input a: 4096x0e
  layer s = self_connection(x, a) -> 4096x0e
  layer t = linear(s) -> 4096x0e
  output y = t
}
`;
    const t0 = performance.now();
    const { diagnostics } = compileSource(spec, "wide.regnn");
    const errors = diagnostics.filter((d) => d.severity === "error");
    expect(errors.map((e) => [e.code, e.span.startLine, e.message])).toEqual([
      ["E140", 4, "layer 's' brings the model's parameters to 68719476736 numbers, more than 32-bit indices reach (4294967295)"],
    ]);
    expect(performance.now() - t0).toBeLessThan(5000); // a guard: per-term tables of 68.7G paths are never built
  });

  it("compiles two 4096x linear layers in bounded memory (a 300 MB heap; it once took 3.3 GB)", () => {
    const root = fileURLToPath(new URL("../..", import.meta.url));
    const dist = (p: string) => JSON.stringify(pathToFileURL(`${root}dist/${p}`).href);
    expect(existsSync(`${root}dist/compiler/compile.js`), "dist/ is built by `npm test` (npm run build) before the tests").toBe(true);
    const spec = `model BigLinear {
  input x: 4096x0e
  target t: 4096x0e
  layer a = linear(x) -> 4096x0e
  layer b = linear(a) -> 4096x0e
  output y = b
  train { loss: mse(y, t) optimizer: adam(lr: 1e-3) epochs: 1 }
}`;
    const child = `const { compileSource } = await import(${dist("compiler/compile.js")});
const { planModel } = await import(${dist("compiler/codegen/plan.js")});
const { ir, diagnostics } = compileSource(${JSON.stringify(spec)}, "big.regnn");
if (!ir) throw new Error(JSON.stringify(diagnostics));
console.log("params " + ir.paramCount + " kernels " + planModel(ir).kernels.length);`;
    const run = spawnSync(process.execPath, ["--max-old-space-size=300", "--input-type=module", "-e", child], { encoding: "utf8", timeout: 60_000 });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain(`params ${2 * 4096 * 4096} kernels`);
  });
});
