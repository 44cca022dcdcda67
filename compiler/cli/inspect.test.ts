import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { encodeSafetensors, type Tensor } from "../../runtime/model/safetensors.js";
import { invariantBasis } from "../o3/invariant-basis.js";
import { Irreps } from "../o3/irreps.js";
import { pointGroup } from "../o3/point-groups.js";
import { compileOrThrow } from "../../test/test-models.js";
import { inspectionJson, inspectWeights } from "./inspect.js";
import { buildProgram } from "./program.js";

const specPath = new URL("../../specs/cube_to_prism.regnn", import.meta.url);
const ir = compileOrThrow(readFileSync(specPath, "utf8"), "cube_to_prism.regnn");

/** Weights whose θ (both layers) is a D4h-invariant (z axis) mix of 2e and 4e on top of the scalar. */
function prismWeights(): Uint8Array {
  const irreps = Irreps.parse(ir.symmetry.theta!.irreps);
  const theta = new Float64Array(irreps.dim);
  const g = pointGroup("D4h");
  const offsets = irreps.offsets;
  irreps.entries.forEach((e, i) => {
    if (e.l === 0 && e.p === 1) theta[offsets[i]!] = 1;
    const rows = e.l === 2 && e.p === 1 ? [0.4] : e.l === 4 && e.p === 1 ? [0.3, -0.2] : [];
    const basis = invariantBasis(g, e.l, e.p);
    rows.forEach((w, r) => basis.subarray(r * e.ir.dim, (r + 1) * e.ir.dim).forEach((b, k) => (theta[offsets[i]! + k] += w * b)));
  });
  const tensors: Record<string, Tensor> = {};
  for (const p of ir.params) tensors[p.name] = { dtype: "F32", shape: p.shape, data: p.init === "theta_scalar" ? Float32Array.from(theta) : new Float32Array(p.size) };
  return encodeSafetensors(tensors, { spec_sha256: ir.source.sha256 });
}

describe("regnnc inspect", () => {
  it("names the group each relaxed layer keeps, with its axis, from the weights and the spec", () => {
    const { layers, warnings } = inspectWeights(ir, prismWeights(), "w.safetensors");
    expect(warnings).toEqual([]);
    expect(layers.map((l) => l.layer)).toEqual(["h1", "h2"]);
    for (const l of layers) {
      expect(l.detected.group).toBe("D4h");
      expect(Math.abs(l.detected.axis![2]!)).toBeGreaterThan(0.9999);
      expect(l.detected.breaking.find((b) => b.irrep === "2e")!.norm).toBeCloseTo(0.4, 5);
    }
  });

  it("prints the report from the command line, and JSON with --json", async () => {
    const dir = mkdtempSync(join(tmpdir(), "regnnc-inspect-"));
    try {
      writeFileSync(join(dir, "w.safetensors"), prismWeights());
      let out = "", err = "";
      const run = async (args: string[]) => {
        out = "";
        err = "";
        process.exitCode = undefined;
        await buildProgram({ out: (s) => (out += s), err: (s) => (err += s) }).exitOverride().parseAsync(args, { from: "user" });
        const code = process.exitCode;
        process.exitCode = undefined;
        return code;
      };
      expect(await run(["inspect", join(dir, "w.safetensors"), "--spec", specPath.pathname])).toBe(0);
      expect(out).toMatch(/^layer h1: keeps D4h, axis \(0\.000, 0\.000, [-]?1\.000\), secondary/m);
      expect(out).toContain("|θ| per irrep: 0o 0.00e+0");
      expect(await run(["inspect", join(dir, "w.safetensors"), "--spec", specPath.pathname, "--json"])).toBe(0);
      expect(JSON.parse(out).map((l: { group: string }) => l.group)).toEqual(["D4h", "D4h"]);
      expect(await run(["inspect", join(dir, "missing.safetensors"), "--spec", specPath.pathname])).toBe(1);
      expect(err).toContain("missing.safetensors: no such file");
      writeFileSync(join(dir, "bad.safetensors"), encodeSafetensors({ other: { dtype: "F32", shape: [1], data: Float32Array.of(1) } }));
      expect(await run(["inspect", join(dir, "bad.safetensors"), "--spec", specPath.pathname])).toBe(1);
      expect(err).toContain("no tensor 'h1.theta' (θ of layer 'h1')");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses another model's weights instead of reporting on them, naming the file", async () => {
    const other = compileOrThrow(readFileSync(specPath, "utf8").replace("model CubeToPrism", "model Other").replace(/lmax 4/, "lmax 2"), "other.regnn");
    const tensors: Record<string, Tensor> = {};
    for (const p of other.params) tensors[p.name] = { dtype: "F32", shape: p.shape, data: Float32Array.from({ length: p.size }, (_, i) => (i % 7) / 7) };
    const saved = encodeSafetensors(tensors, { model: "Other", format: "regnn-weights-1" });
    expect(() => inspectWeights(ir, saved, "other.safetensors")).toThrow("other.safetensors: these are weights of model 'Other', not of 'CubeToPrism'");
    // Without the model's name, the shapes give it away (they used to run into detectSymmetry: θ[18] is NaN).
    const anonymous = encodeSafetensors(tensors);
    expect(() => inspectWeights(ir, anonymous, "other.safetensors")).toThrow(/^other\.safetensors: tensor 'h1\.theta' has shape \[\d+\], expected \[\d+\]/);
    const nan: Record<string, Tensor> = {};
    for (const p of ir.params) nan[p.name] = { dtype: "F32", shape: p.shape, data: Float32Array.from({ length: p.size }, (_, i) => (p.name === "h2.theta" && i === 3 ? NaN : 0.1)) };
    expect(() => inspectWeights(ir, encodeSafetensors(nan), "nan.safetensors")).toThrow("nan.safetensors: θ of layer 'h2' holds NaN (coefficient 3): these weights are not usable");
  });

  it("--json carries θ's values per irrep, in the irreps' layout", async () => {
    const { layers } = inspectWeights(ir, prismWeights(), "w.safetensors");
    const json = inspectionJson(layers) as { layer: string; group: string; theta: { irrep: string; values: number[][] }[] }[];
    expect(json[0]!.group).toBe("D4h");
    const irreps = Irreps.parse(layers[0]!.irreps);
    expect(json[0]!.theta.map((t) => t.irrep)).toEqual(irreps.entries.map((e) => e.ir.toString()));
    expect(json[0]!.theta.flatMap((t) => t.values.flat())).toEqual(layers[0]!.theta);
    const scalar = json[0]!.theta.find((t) => t.irrep === "0e")!;
    expect(scalar.values[0]).toEqual([1]);
    const l2 = json[0]!.theta.find((t) => t.irrep === "2e")!;
    expect(l2.values[0]!.length).toBe(5);
    expect(Math.hypot(...l2.values[0]!)).toBeCloseTo(0.4, 5);
  });
});
