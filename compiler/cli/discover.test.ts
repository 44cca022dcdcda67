// `regnnc discover` from the command line, the parts that need no device: help, and refusals with clear
// messages before anything trains. The GPU runs are in test/discover.gpu.test.ts.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli as run } from "../../test/cli.js";
import { readFileSync } from "node:fs";
import { encodeSafetensors } from "../../runtime/model/safetensors.js";
import { projectTheta } from "../discover/theta-coefficients.js";
import { sphericalHarmonics } from "../o3/spherical-harmonics.js";
import { Irreps } from "../o3/irreps.js";
import { compileOrThrow } from "../../test/test-models.js";
import { thetaLayout } from "../nn/theta-layout.js";
import { cubeToPrism } from "../../scripts/paper-data.js";


let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "regnnc-discover-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("regnnc discover", () => {
  it("documents its options", async () => {
    const { out } = await run(["discover", "--help"]);
    const folded = out.replace(/\s+/g, " ");
    for (const word of ["<spec>", "--data <file>", "--out <dir>", "--json", "--tolerance <t>"]) expect(folded).toContain(word);
  });

  it("refuses a spec without relaxed weights, saying what to write", async () => {
    writeFileSync(join(dir, "plain.regnn"), "model Plain {\n  input x: 0e\n  target t: 0e\n  layer h = linear(x) -> 0e\n  output y = h\n  train { loss: sse(y, t) }\n}\n");
    writeFileSync(join(dir, "data.json"), JSON.stringify({ graphs: [{ nodes: 1, inputs: { x: [1] }, targets: { t: [1] } }] }));
    const r = await run(["discover", join(dir, "plain.regnn"), "--data", join(dir, "data.json"), "--out", join(dir, "out")]);
    expect(r.code).toBe(1);
    expect(r.err).toContain("regnnc: discover needs a relaxed spec: write e.g. `symmetry relax to C1 lmax 2`");
  });

  it("refuses a tolerance outside (0, 1) and a missing dataset", async () => {
    const spec = join(dir, "p.regnn");
    writeFileSync(spec, "model P {\n  symmetry relax to C1 lmax 1\n  input x: 0e + 1o\n  target a: 1o\n  layer y = relaxed_node(x) -> 1o\n  output o = y\n  train { loss: sse(o, a) }\n}\n");
    const t = await run(["discover", spec, "--data", join(dir, "none.json"), "--tolerance", "2"]);
    expect([t.code, t.err]).toEqual([1, "regnnc: --tolerance must be a number between 0 and 1, got 2\n"]);
    const d = await run(["discover", spec, "--data", join(dir, "none.json")]);
    expect(d.code).toBe(1);
    expect(d.err).toMatch(/^regnnc: .*none\.json: cannot read \(ENOENT\)/);
  });
});

describe("regnnc inspect --data", () => {
  it("prints what each layer keeps on the dataset's input: θ uniaxial about z on the cube's Oh keeps D4h about z", async () => {
    const specPath = new URL("../../specs/cube_to_prism.regnn", import.meta.url);
    const ir = compileOrThrow(readFileSync(specPath, "utf8"), "cube_to_prism.regnn");
    const tensors: Record<string, { dtype: "F32"; shape: number[]; data: Float32Array }> = {};
    for (const p of ir.params) tensors[p.name] = { dtype: "F32", shape: p.shape, data: new Float32Array(p.size).fill(0.1) };
    for (const l of ir.layers) {
      if (!("theta" in l)) continue;
      // θ = 1 (0e) plus, in h2 only, the 2e harmonic of the z axis: uniaxial about z, D∞h.
      const theta = new Float64Array(Irreps.parse(l.thetaIrreps).dim);
      theta[0] = 1;
      if (l.name === "h2") theta.set(sphericalHarmonics([2], [0, 0, 1]).map((v) => 0.4 * v), 8);
      tensors[l.theta] = { dtype: "F32", shape: [ir.params.find((p) => p.name === l.theta)!.size], data: Float32Array.from(projectTheta(thetaLayout(ir, l.theta, l.thetaIrreps), theta)) };
    }
    writeFileSync(join(dir, "w.safetensors"), encodeSafetensors(tensors, { spec_sha256: ir.source.sha256 }));
    writeFileSync(join(dir, "prism.json"), JSON.stringify({ graphs: [cubeToPrism()] }));
    const r = await run(["inspect", join(dir, "w.safetensors"), "--spec", specPath.pathname, "--data", join(dir, "prism.json")]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^layer h1: keeps O\(3\) \(residual [^)]*\); with the input's Oh: Oh, axis \(0\.000, 0\.000, 1\.000\)$/m);
    expect(r.out).toMatch(/^layer h2: keeps D∞h, axis \(0\.000, 0\.000, [-]?1\.000\) \(residual [^)]*\); with the input's Oh: D4h, axis \(0\.000, 0\.000, [-]?1\.000\)$/m);
    const j = await run(["inspect", join(dir, "w.safetensors"), "--spec", specPath.pathname, "--data", join(dir, "prism.json"), "--json"]);
    expect((JSON.parse(j.out) as { kept_on_input: { group: string } }[]).map((l) => l.kept_on_input.group)).toEqual(["Oh", "D4h"]);
  });
});
