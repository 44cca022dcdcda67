// The paper's experiments end to end: compile, train on the WebGPU device, read the symmetry back.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { train } from "../compiler/cli/train.js";
import { inspectWeights } from "../compiler/cli/inspect.js";
import { compileOrThrow } from "../compiler/reference/test-models.js";
import { chargedParticle, cubeToPrism } from "../scripts/paper-data.js";

async function run(spec: string, graphs: unknown[]) {
  const dir = mkdtempSync(join(tmpdir(), "regnn-exp-"));
  try {
    const ir = compileOrThrow(readFileSync(new URL(`../specs/${spec}.regnn`, import.meta.url), "utf8"), `${spec}.regnn`);
    writeFileSync(join(dir, "data.json"), JSON.stringify({ graphs }));
    const lines: string[] = [];
    await train(ir, { data: join(dir, "data.json"), out: dir, quiet: true }, (l) => lines.push(l));
    const csv = readFileSync(join(dir, "loss.csv"), "utf8").trim().split("\n").slice(1).map((r) => Number(r.split(",")[1]));
    const { layers } = inspectWeights(ir, readFileSync(join(dir, `${ir.model}.safetensors`)), "weights");
    return { first: csv[0]!, last: csv[csv.length - 1]!, layers };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("the paper's experiments", () => {
  it("charged particle in E = x, B = y: θ keeps Cs (mirror normal y), 1o along E, 1e along B", async () => {
    const { first, last, layers } = await run("charged_particle", chargedParticle(256, 1));
    expect(last / first).toBeLessThan(1e-6);
    const [y] = layers;
    expect(y!.detected.group).toBe("Cs");
    expect(Math.abs(y!.detected.axis![1]!)).toBeGreaterThan(0.9998);
    const t = y!.theta; // 0e, 0o, 1o (x y z), 1e (x y z)
    expect(Math.abs(t[2]!) / Math.hypot(t[2]!, t[3]!, t[4]!)).toBeGreaterThan(0.99);
    expect(Math.abs(t[6]!) / Math.hypot(t[5]!, t[6]!, t[7]!)).toBeGreaterThan(0.99);
    expect(Math.abs(t[1]!)).toBeLessThan(1e-3);
  }, 240_000);

  it("cube -> square prism: both layers keep D4h with axis z", async () => {
    const { first, last, layers } = await run("cube_to_prism", [cubeToPrism()]);
    expect(last / first).toBeLessThan(1e-2);
    for (const l of layers) {
      expect(l.detected.group).toBe("D4h");
      expect(Math.abs(l.detected.axis![2]!)).toBeGreaterThan(0.9998);
    }
  }, 240_000);
});
