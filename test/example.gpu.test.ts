// examples/charged-particle: the plain Node app runs on the module `regnnc compile --emit js` generates,
// trains, predicts held-out samples and finds E and B in θ, as the README says.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";

const root = new URL("../", import.meta.url).pathname;

describe("examples/charged-particle", () => {
  it("compiles to JavaScript, trains, predicts and saves from a plain Node script", () => {
    const cli = `${root}dist/compiler/cli/regnnc.js`;
    expect(existsSync(cli), "dist/ is built by `npm test` (npm run build) before the tests").toBe(true);
    const compile = spawnSync(process.execPath, [cli, "compile", "specs/charged_particle.regnn", "-o", "examples/charged-particle/model", "--emit", "js"], { cwd: root, encoding: "utf8" });
    expect(compile.status, compile.stderr).toBe(0);
    const app = spawnSync(process.execPath, ["examples/charged-particle/main.mjs"], { cwd: root, encoding: "utf8" });
    expect(app.status, app.stderr).toBe(0);
    const worst = Number(/largest error on the held-out samples: (\S+)/.exec(app.stdout)?.[1]);
    expect(worst).toBeLessThan(1e-3);
    const vector = (name: string) => /\(([^)]*)\)/.exec(app.stdout.split("\n").find((l) => l.includes(name))!)![1]!.split(",").map(Number);
    const [ex, ey, ez] = vector("polar vector 1o");
    expect(Math.abs(ex!) / Math.hypot(ex!, ey!, ez!)).toBeGreaterThan(0.99);
    const [bx, by, bz] = vector("axial vector 1e");
    expect(Math.abs(by!) / Math.hypot(bx!, by!, bz!)).toBeGreaterThan(0.99);
    expect(existsSync(`${root}examples/charged-particle/weights.safetensors`)).toBe(true);
  }, 180_000);
});
