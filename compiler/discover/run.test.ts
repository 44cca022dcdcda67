// The search of `regnnc discover` as the browser playground runs it (run.ts): Node-free, and what it does
// before a device is needed. Its GPU runs: run.gpu.test.ts, test/discover.gpu.test.ts (through the CLI).
import { builtinModules } from "node:module";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { importGraph, reachable } from "../../test/import-graph.js";
import { datasetFromText } from "../data/from-text.js";
import { DiscoverStoppedError, runDiscover, type DiscoverRun } from "./run.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const SPEC = "model P {\n  symmetry relax to C1 lmax 1\n  input x: 0e + 1o\n  target a: 1o\n  layer y = relaxed_node(x) -> 1o\n  output o = y\n  train { loss: sse(o, a) }\n}\n";
const DATA = JSON.stringify({ graphs: [{ nodes: 1, inputs: { x: [1, 0, 0, 1] }, targets: { a: [0, 0, 1] } }] });

function runWith(overrides: Partial<DiscoverRun>, calls: string[]): DiscoverRun {
  return {
    graphs: (ir) => (calls.push("graphs"), datasetFromText(DATA, "d.json", ir)),
    dataName: "d.json",
    device: () => (calls.push("device"), Promise.reject(new Error("no device in this test"))),
    save: () => (calls.push("save"), { weights: "w", written: ["w"] }),
    ...overrides,
  };
}

describe("runDiscover", () => {
  it("reaches no Node built-in and no Node-only package through its imports (the playground bundles it)", () => {
    const graph = importGraph(root, ["compiler", "runtime", "grammar", "util"]);
    const files = ["compiler/discover/run.ts", ...reachable(graph, "compiler/discover/run.ts")];
    expect(files.length).toBeGreaterThan(20);
    const nodeOnly = new Set([...builtinModules, "cli-progress", "ts-morph", "commander", "@resvg/resvg-js"]);
    const bad = files.flatMap((f) =>
      ts.preProcessFile(readFileSync(`${root}/${f}`, "utf8"), true, true).importedFiles
        .map((i) => i.fileName)
        .filter((n) => n.startsWith("node:") || nodeOnly.has(n))
        .map((n) => `${f} imports ${n}`),
    );
    expect(bad).toEqual([]);
    // The check can fail: the CLI wrapper is in the closure of nothing here but does import Node.
    expect(ts.preProcessFile(readFileSync(`${root}/compiler/cli/discover.ts`, "utf8"), true, true).importedFiles.map((i) => i.fileName)).toContain("node:fs");
  });

  it("refuses an unrelaxed spec and a spec that does not compile before reading the dataset", async () => {
    const calls: string[] = [];
    await expect(runDiscover(SPEC.replace("  symmetry relax to C1 lmax 1\n", ""), "p.regnn", runWith({}, calls), () => {})).rejects.toThrow(/^discover needs a relaxed spec/);
    await expect(runDiscover(SPEC.replace("relaxed_node(x)", "relaxed_node(z)"), "p.regnn", runWith({}, calls), () => {})).rejects.toThrow(/^the spec relaxed to C1 does not compile: E\d+ /);
    expect(calls).toEqual([]);
  });

  it("names the dataset when it has no graphs, before asking for a device", async () => {
    const calls: string[] = [];
    await expect(runDiscover(SPEC, "p.regnn", runWith({ graphs: () => (calls.push("graphs"), []), dataName: "empty.json" }, calls), () => {})).rejects.toThrow("empty.json: no graphs to train on");
    expect(calls).toEqual(["graphs"]);
  });

  it("stops before opening the device when its signal is already aborted", async () => {
    const calls: string[] = [];
    const abort = new AbortController();
    abort.abort();
    await expect(runDiscover(SPEC, "p.regnn", runWith({ signal: abort.signal }, calls), () => {})).rejects.toBeInstanceOf(DiscoverStoppedError);
    expect(calls).toEqual(["graphs"]);
  });
});
