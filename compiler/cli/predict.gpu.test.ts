// regnnc predict and eval, run as the built command on weights a short training wrote.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileOrThrow } from "../../test/test-models.js";
import { train } from "./train.js";

const root = new URL("../../", import.meta.url).pathname;
const cli = join(root, "dist/compiler/cli/regnnc.js");
const SPEC = `model Q {
  symmetry relax to C1 lmax 1
  input x: 0e + 1o
  target a: 1o
  layer y = relaxed_node(x) -> 1o
  output acc = y
  train { loss: sse(acc, a)  optimizer: adam(lr: 1e-2)  epochs: 5  batch: 2 }
}`;
const graphs = Array.from({ length: 5 }, (_, i) => {
  const x = [1, Math.sin(i + 1), Math.cos(2 * i), 0.3 * i - 0.5];
  return { nodes: 1, inputs: { x }, targets: { a: [1 + x[3]!, 0.2, -x[1]!] } };
});

let dir: string, spec: string, data: string, weights: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "regnn-predict-"));
  spec = join(dir, "q.regnn");
  writeFileSync(spec, SPEC);
  data = join(dir, "d.json");
  writeFileSync(data, JSON.stringify({ graphs }));
  await train(compileOrThrow(SPEC, "q.regnn"), { data, out: join(dir, "run"), quiet: true }, () => {});
  weights = join(dir, "run", "Q.safetensors");
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const regnnc = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: "utf8" });

describe("regnnc predict and eval", () => {
  it("predict writes each graph's outputs; eval's MSE and MAE agree with them and the targets", () => {
    expect(existsSync(cli), "dist/ is built by `npm test` (npm run build) before the tests").toBe(true);
    const p = regnnc("predict", spec, "--weights", weights, "--data", data);
    expect(p.stderr).not.toContain("regnnc:");
    expect(p.status).toBe(0);
    const predicted = JSON.parse(p.stdout) as { format: string; model: string; graphs: { nodes: number; outputs: { acc: number[][] } }[] };
    expect(predicted.format).toBe("regnn-predictions-1");
    expect(predicted.model).toBe("Q");
    expect(predicted.graphs.length).toBe(5);
    expect(predicted.graphs[0]!.outputs.acc.length).toBe(1);
    expect(predicted.graphs[0]!.outputs.acc[0]!.length).toBe(3);
    const diffs = predicted.graphs.flatMap((g, i) => g.outputs.acc[0]!.map((v, k) => v - graphs[i]!.targets.a[k]!));
    const e = regnnc("eval", spec, "--weights", weights, "--data", data, "--json");
    expect(e.stderr).not.toContain("regnnc:");
    expect(e.status).toBe(0);
    const r = JSON.parse(e.stdout) as { graphs: number; loss: { kind: string; value: number }; targets: { target: string; count: number; mse: number; mae: number }[] };
    expect(r.graphs).toBe(5);
    expect(r.targets[0]!.target).toBe("a");
    expect(r.targets[0]!.count).toBe(15);
    const mse = diffs.reduce((s, d) => s + d * d, 0) / diffs.length;
    expect(r.targets[0]!.mse).toBeCloseTo(mse, 10);
    expect(r.targets[0]!.mae).toBeCloseTo(diffs.reduce((s, d) => s + Math.abs(d), 0) / diffs.length, 10);
    expect(r.loss.kind).toBe("sse");
    expect(r.loss.value).toBeCloseTo(mse * 15, 10);
    const text = regnnc("eval", spec, "--weights", weights, "--data", data);
    expect(text.stdout).toMatch(/^d\.json: 5 graphs, loss \(sse\) \d\.\d{4}e[-+]\d+\n {2}a \(output acc, 15 numbers\): MSE \d\.\d{4}e[-+]\d+ {2}MAE /);
    // A message while the kernels compile, and none of Dawn's "artificially reduced" warnings.
    expect(text.stderr).toMatch(/^compiling \d+ kernels of Q /m);
    expect(text.stderr).not.toContain("artificially reduced");
  }, 120_000);

  it("predict -o writes a file (JSON; XYZ is refused for a model without positions, naming the file)", () => {
    const out = join(dir, "pred", "p.json");
    const p = regnnc("predict", spec, "--weights", weights, "--data", data, "-o", out, "--quiet");
    expect(p.status).toBe(0);
    expect(JSON.parse(readFileSync(out, "utf8")).graphs.length).toBe(5);
    const x = regnnc("predict", spec, "--weights", weights, "--data", data, "-o", join(dir, "p.xyz"), "--quiet");
    expect(x.status).toBe(1);
    expect(x.stderr).toContain(`regnnc: ${join(dir, "p.xyz")}: model 'Q' has no positions input to write as XYZ; write JSON (-o <file>.json)`);
  }, 120_000);

  it("refuses another model's weights, naming the file", () => {
    const other = join(dir, "other.regnn");
    writeFileSync(other, SPEC.replace("model Q", "model R").replace("-> 1o", "-> 1o + 0e").replace("output acc = y", "output acc = y"));
    const e = regnnc("eval", spec.replace("q.regnn", "q.regnn"), "--weights", join(dir, "nope.safetensors"), "--data", data);
    expect(e.status).toBe(1);
    expect(e.stderr).toContain(`regnnc: cannot read ${join(dir, "nope.safetensors")}: a directory on the path does not exist`);
    const bytes = readFileSync(weights);
    const renamed = Buffer.from(bytes.toString("latin1").replace('"model":"Q"', '"model":"R"'), "latin1");
    writeFileSync(join(dir, "r.safetensors"), renamed);
    const r = regnnc("predict", spec, "--weights", join(dir, "r.safetensors"), "--data", data);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`regnnc: ${join(dir, "r.safetensors")}: these are weights of model 'R', not of 'Q'`);
  }, 120_000);
});
