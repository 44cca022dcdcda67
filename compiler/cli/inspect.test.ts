import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { encodeSafetensors, type Tensor } from "../../runtime/model/safetensors.js";
import { invariantBasis } from "../o3/invariant-basis.js";
import { Irreps } from "../o3/irreps.js";
import { pointGroup } from "../o3/point-groups.js";
import { compileOrThrow } from "../../test/test-models.js";
import { inspectWeights } from "./inspect.js";
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
});
