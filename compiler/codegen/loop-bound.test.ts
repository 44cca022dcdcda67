// Every kernel of every spec's plan: its longest per-invocation loop, read from the WGSL it runs.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileSource } from "../compile.js";
import { loopBound } from "./loop-bound.js";
import { planModel } from "./plan.js";

const specs = join(import.meta.dirname, "..", "..", "specs");

describe("loop bounds", () => {
  it("reads the forms the kernels use", () => {
    const k = (body: string) => `fn main() {\n  let opaque = params.nodes >> 31u;\n${body}\n}`;
    expect(loopBound(k("for (var i = 0u; i < 16u + opaque; i++) {}"))).toBe("const");
    expect(loopBound(k("let start = dst_offsets[row];\nlet end = dst_offsets[row + 1u];\nfor (var e = start; e < end; e++) {}"))).toBe("degree");
    expect(loopBound(k("let n = params.edges;\nfor (var r = 0u; r < n; r++) {}"))).toBe("edges");
    expect(loopBound(k("for (var nd = 0u; nd < params.nodes; nd++) {}"))).toBe("nodes");
    expect(loopBound(k("let r0 = row * 256u;\nlet r1 = min(r0 + 256u, params.edges);\nfor (var r = r0; r < r1; r++) {}"))).toBe("const");
    expect(loopBound(k("let per = (params.edges + 3u) / 4u;\nlet e0 = min(row * per, params.edges);\nlet e1 = min(e0 + per, params.edges);\nfor (var e = e0; e < e1; e++) {}"))).toBe("edges");
    expect(loopBound(k("let n = min(params.nodes / 7u, 256u);\nfor (var r = 0u; r < n; r++) {}"))).toBe("const");
    expect(loopBound(k("for (var i = graph_node_offsets[row]; i < graph_node_offsets[row + 1u]; i++) {}"))).toBe("graph");
    expect(loopBound(k("for (var i = 0u; i <= 4u; i++) {}"))).toBe("unknown");
    expect(loopBound(k("var i = 0u;\nloop { if (i >= 4u) { break; } i++; }"))).toBe("unknown");
    expect(loopBound(k("for (var i = 0u; 4u > i; i++) {}"))).toBe("unknown");
  });

  for (const file of readdirSync(specs).filter((f) => f.endsWith(".regnn")).sort()) {
    it(`${file}: in the GPU shape every loop is bounded by a constant or one node's degree`, () => {
      const { ir } = compileSource(readFileSync(join(specs, file), "utf8"), file);
      expect(ir).toBeTruthy();
      const plan = planModel(ir!, { shape: "gpu" });
      const steps = [...plan.forward, ...plan.backward, ...plan.update];
      expect(steps.length).toBeGreaterThan(0);
      const unbounded = steps.filter((s) => s.loop !== "const" && s.loop !== "degree").map((s) => `${s.label}: ${s.loop}`);
      expect(unbounded).toEqual([]);
    });
  }

  it("with θ's basis in a buffer (regnnc discover's plan) every loop is bounded too", () => {
    const { ir } = compileSource(readFileSync(join(specs, "cube_to_prism.regnn"), "utf8"), "cube_to_prism.regnn");
    const plan = planModel(ir!, { shape: "gpu", thetaBasis: "buffer" });
    const steps = [...plan.forward, ...plan.backward, ...plan.update];
    expect(steps.some((s) => s.label.includes("theta"))).toBe(true);
    expect(steps.filter((s) => s.loop !== "const" && s.loop !== "degree").map((s) => `${s.label}: ${s.loop}`)).toEqual([]);
  });
});
