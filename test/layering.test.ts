// The layering the code is meant to have, asserted over its static imports (test/import-graph.ts): codegen
// never reaches the float64 reference that judges it, the O(3) core stands without the runtime, what ships
// never pulls in test support, and no two files import each other even indirectly.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { chain, cycles, importGraph, type ImportGraph } from "./import-graph.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const graph = importGraph(root, ["compiler", "runtime", "grammar", "util", "bench", "scripts", "test", "web"]);
const isTestFile = (f: string) => /\.test\.ts$/.test(f);
const isTestSupport = (f: string) => f.startsWith("test/") || isTestFile(f);

/** Every chain from a file matching `from` (not a test) to a file matching `to`, one per starting file. */
function violations(g: ImportGraph, from: (f: string) => boolean, to: (f: string) => boolean): string[] {
  const out: string[] = [];
  for (const f of g.keys()) {
    if (!from(f) || isTestFile(f)) continue;
    const path = chain(g, f, to);
    if (path) out.push(path.join(" -> "));
  }
  return out;
}

describe("layering", () => {
  it("reads the whole tree (the graph is not vacuous)", () => {
    expect(graph.size).toBeGreaterThan(200);
    // plan.ts only wires the planners (plan/); a planner holds the many imports.
    expect(graph.get("compiler/codegen/plan/conv.ts")!.length).toBeGreaterThan(10);
    expect(graph.get("compiler/o3/rotation.ts")).toContain("util/random.ts");
  });

  it("nothing in compiler/codegen imports compiler/reference, directly or through another module", () => {
    expect(violations(graph, (f) => f.startsWith("compiler/codegen/"), (f) => f.startsWith("compiler/reference/"))).toEqual([]);
  });

  it("nothing in compiler/o3 imports runtime/, directly or through another module", () => {
    expect(violations(graph, (f) => f.startsWith("compiler/o3/"), (f) => f.startsWith("runtime/"))).toEqual([]);
  });

  it("the runtime imports nothing from the compiler", () => {
    expect(violations(graph, (f) => f.startsWith("runtime/"), (f) => f.startsWith("compiler/"))).toEqual([]);
  });

  it("nothing that ships (tsconfig.json builds it into dist/) imports test support", () => {
    expect(violations(graph, (f) => !isTestSupport(f) && !f.startsWith("web/"), isTestSupport)).toEqual([]);
  });

  it("there are no import cycles", () => {
    expect(cycles(graph)).toEqual([]);
  });

  it("the checks can fail: a cycle and a forbidden chain are found in a small graph", () => {
    const g: ImportGraph = new Map([
      ["compiler/codegen/a.ts", ["compiler/nn/b.ts"]],
      ["compiler/nn/b.ts", ["compiler/reference/c.ts"]],
      ["compiler/reference/c.ts", ["compiler/nn/b.ts"]],
      ["compiler/o3/d.ts", []],
    ]);
    expect(violations(g, (f) => f.startsWith("compiler/codegen/"), (f) => f.startsWith("compiler/reference/"))).toEqual([
      "compiler/codegen/a.ts -> compiler/nn/b.ts -> compiler/reference/c.ts",
    ]);
    expect(cycles(g)).toEqual([["compiler/nn/b.ts", "compiler/reference/c.ts"]]);
    expect(cycles(new Map([["x.ts", ["x.ts"]]]))).toEqual([["x.ts"]]);
  });
});
