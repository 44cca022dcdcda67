// regnnc train on the WebGPU device: checkpoints that resume exactly (in process, and after a real SIGKILL of
// the built command), divergence that keeps the last good checkpoint, and the loss picture.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileOrThrow } from "../../test/test-models.js";
import { planModel } from "../codegen/plan.js";
import { readCheckpoint } from "./checkpoint.js";
import { train } from "./train.js";

const root = new URL("../../", import.meta.url).pathname;
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "regnn-train-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Adam (moments and a step count to carry over), 5 graphs in batches of 2 (the shuffle matters), cosine
// schedule (the learning rate depends on the epoch).
const SPEC = (epochs: number, lr = "1e-2") => `model P {
  symmetry relax to C1 lmax 1
  input x: 0e + 1o
  target a: 1o
  layer y = relaxed_node(x) -> 1o
  output acc = y
  train { loss: sse(acc, a)  optimizer: adam(lr: ${lr})  schedule: cosine(min_lr: 1e-4)  epochs: ${epochs}  batch: 2  checkpoint_every: 2  regularize: group_lasso(1e-3) }
}`;
const graphs = Array.from({ length: 5 }, (_, i) => {
  const x = [1, Math.sin(i + 1), Math.cos(2 * i), 0.3 * i - 0.5];
  return { nodes: 1, inputs: { x }, targets: { a: [1 + x[3]!, 0.2, -x[1]!] } };
});

function setup(name: string, spec: string): { specPath: string; data: string; out: string } {
  const specPath = join(dir, `${name}.regnn`);
  writeFileSync(specPath, spec);
  const data = join(dir, `${name}.json`);
  writeFileSync(data, JSON.stringify({ graphs }));
  return { specPath, data, out: join(dir, name) };
}

const weights = (out: string) => readFileSync(join(out, "P.safetensors"));

describe("regnnc train: checkpoints and resume", () => {
  it("a run stopped after a checkpoint and resumed ends with the same weights and log as an uninterrupted one", async () => {
    const ir = compileOrThrow(SPEC(8), "p.regnn");
    const a = setup("whole", SPEC(8));
    const b = setup("split", SPEC(8));
    const quiet = { quiet: true };
    await train(ir, { data: a.data, out: a.out, ...quiet }, () => {});
    await train(ir, { data: b.data, out: b.out, ...quiet, stopAfter: 4 }, () => {});
    expect(readCheckpoint(join(b.out, "checkpoint.safetensors"), planModel(ir)).epoch).toBe(4);
    const lines: string[] = [];
    await train(ir, { data: b.data, out: b.out, resume: true, ...quiet }, (l) => lines.push(l));
    expect(lines[0]).toMatch(/^resuming P at epoch 4 /);
    expect(Buffer.compare(weights(a.out), weights(b.out))).toBe(0);
    expect(readFileSync(join(b.out, "loss.csv"), "utf8")).toBe(readFileSync(join(a.out, "loss.csv"), "utf8"));
    const c = readCheckpoint(join(b.out, "checkpoint.safetensors"), planModel(ir));
    expect([c.epoch, c.epochs, c.steps]).toEqual([8, 8, 8 * 3]);
    expect(Object.keys(c.optimizer).sort()).toEqual(["opt_m", "opt_v"]);
  }, 120_000);

  it("survives SIGKILL of the built command: --resume finishes with the uninterrupted run's weights", async () => {
    const cli = join(root, "dist/compiler/cli/regnnc.js");
    expect(existsSync(cli), "dist/ is built by `npm test` (npm run build) before the tests").toBe(true);
    const epochs = 400;
    const whole = setup("kill-whole", SPEC(epochs));
    const killed = setup("kill-split", SPEC(epochs));
    const args = (s: { specPath: string; data: string; out: string }, ...more: string[]) => [cli, "train", s.specPath, "--data", s.data, "--out", s.out, "--quiet", "--checkpoint-every", "5", ...more];
    const child = spawn(process.execPath, args(killed), { stdio: "ignore" });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_code, signal) => resolve(signal)));
    const meta = join(killed.out, "checkpoint.json");
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (existsSync(meta) && JSON.parse(readFileSync(meta, "utf8")).epoch >= 10) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    child.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");
    const at = JSON.parse(readFileSync(meta, "utf8")).epoch as number;
    expect(at % 5).toBe(0);
    expect(at).toBeLessThan(epochs);
    const resumed = spawnSync(process.execPath, args(killed, "--resume"), { encoding: "utf8" });
    expect(resumed.stderr).not.toContain("regnnc:");
    expect(resumed.status).toBe(0);
    expect(resumed.stdout).toContain(`resuming P at epoch ${at}`);
    const straight = spawnSync(process.execPath, args(whole), { encoding: "utf8" });
    expect(straight.status).toBe(0);
    expect(Buffer.compare(weights(whole.out), weights(killed.out))).toBe(0);
  }, 240_000);

  it("refuses to resume without a checkpoint, or from another spec's", async () => {
    const ir = compileOrThrow(SPEC(4), "p.regnn");
    const s = setup("none", SPEC(4));
    await expect(train(ir, { data: s.data, out: s.out, resume: true, quiet: true }, () => {})).rejects.toThrow(/no checkpoint to resume from/);
    await train(ir, { data: s.data, out: s.out, quiet: true }, () => {});
    const other = compileOrThrow(SPEC(6), "p.regnn");
    await expect(train(other, { data: s.data, out: s.out, resume: true, quiet: true }, () => {})).rejects.toThrow(/different version of the spec/);
  }, 120_000);

  it("refuses a batch too large for the device before compiling any kernel", async () => {
    const big = `model Big {
  graph full
  input x: 0e
  input pos: positions
  target t: 0e
  edge sh = spherical_harmonics(lmax: 1)
  edge emb = bessel(count: 4, cutoff: 2.0)
  layer c = conv(x, sh, emb, radial: [4]) -> 0e
  output y = c
  train { loss: sse(y, t) }
}`;
    const n = 20_000;
    const data = join(dir, "big.json");
    writeFileSync(data, JSON.stringify({ graphs: [{ nodes: n, inputs: { x: Array(n).fill(1), pos: Array.from({ length: 3 * n }, (_, i) => (i * 0.37) % 50) }, targets: { t: Array(n).fill(0) } }] }));
    const lines: string[] = [];
    const error = await train(compileOrThrow(big), { data, out: join(dir, "big"), quiet: true }, (l) => lines.push(l)).then(() => undefined, (e: Error) => e);
    expect(error?.message).toMatch(/^Big: a batch of 1 graph, 20000 nodes and at least \d+ edges \(graph full\) needs [\d.]+ GiB of GPU buffers/);
    expect(error?.message).toContain("Nothing was allocated");
    expect(lines.some((l) => l.startsWith("compiling"))).toBe(false);
  });

  it("stops on a diverging loss with a clear message and keeps the last good checkpoint", async () => {
    const spec = SPEC(200, "1e6").replace("adam(lr: 1e6)", "sgd(lr: 30)").replace("checkpoint_every: 2", "checkpoint_every: 1");
    const ir = compileOrThrow(spec, "p.regnn");
    const s = setup("diverge", spec);
    const error = await train(ir, { data: s.data, out: s.out, quiet: true }, () => {}).then(() => undefined, (e: Error) => e);
    expect(error?.message).toMatch(/^training diverged at epoch \d+: .*; (the last good checkpoint \(epoch \d+\) is kept in .*checkpoint\.safetensors|no checkpoint was written yet)\. A smaller learning rate usually helps\.$/);
    const kept = /epoch (\d+)\) is kept/.exec(error!.message);
    if (kept) {
      const c = readCheckpoint(join(s.out, "checkpoint.safetensors"), planModel(ir));
      expect(c.epoch).toBe(Number(kept[1]));
      expect(c.params.every(Number.isFinite)).toBe(true);
    }
    expect(readFileSync(join(s.out, "loss.png")).subarray(1, 4).toString()).toBe("PNG");
  }, 120_000);

  it("--resume verifies the data (refused when it differs, --force continues) and identifies the spec by its IR, not its text", async () => {
    const ir = compileOrThrow(SPEC(6), "p.regnn");
    const s = setup("identity", SPEC(6));
    await train(ir, { data: s.data, out: s.out, quiet: true, stopAfter: 2 }, () => {});
    const other = join(dir, "identity-other.json");
    writeFileSync(other, JSON.stringify({ graphs: graphs.map((g, i) => (i === 3 ? { ...g, targets: { a: [9, 9, 9] } } : g)) }));
    const refused = await train(ir, { data: other, out: s.out, quiet: true, resume: true }, () => {}).then(() => undefined, (e: Error) => e);
    expect(refused?.name).toBe("CheckpointError");
    expect(refused?.message).toBe(
      `${join(s.out, "checkpoint.safetensors")}: the checkpoint was trained on other data than ${other} (the graphs' SHA-256 differs); resume with the same --data, or add --force to continue on this data knowingly`,
    );
    // A comment and another file name: the same model, so the same run continues.
    const commented = compileOrThrow(`// a note\n${SPEC(6)}   // the end`, "renamed.regnn");
    const lines: string[] = [];
    await train(commented, { data: s.data, out: s.out, quiet: true, resume: true, stopAfter: 4 }, (l) => lines.push(l));
    expect(lines[0]).toMatch(/^resuming P at epoch 2 /);
    const forced: string[] = [];
    await train(ir, { data: other, out: s.out, quiet: true, resume: true, force: true }, (l) => forced.push(l));
    expect(forced).toContain(`warning: ${other} differs from the data the checkpoint was trained on; continuing on it (--force)`);
    // The checkpoint now records the new data: resuming on it needs no --force.
    expect(readCheckpoint(join(s.out, "checkpoint.safetensors"), planModel(ir)).epoch).toBe(6);
    await train(ir, { data: other, out: s.out, quiet: true, resume: true }, () => {});
  }, 120_000);

  it("--resume refuses a corrupt checkpoint (a flipped bit, NaN parameters) as corrupt, never as a divergence", async () => {
    const ir = compileOrThrow(SPEC(6), "p.regnn");
    const s = setup("corrupt", SPEC(6));
    await train(ir, { data: s.data, out: s.out, quiet: true, stopAfter: 2 }, () => {});
    const path = join(s.out, "checkpoint.safetensors");
    const good = readFileSync(path);
    const n = Number(good.readBigUInt64LE(0));
    const flipped = Buffer.from(good);
    flipped[8 + n] ^= 1;
    writeFileSync(path, flipped);
    const e1 = await train(ir, { data: s.data, out: s.out, quiet: true, resume: true }, () => {}).then(() => undefined, (e: Error) => e);
    expect(e1?.name).toBe("CheckpointError");
    expect(e1?.message).toMatch(new RegExp(`^${path}: tensor '.*' does not match its SHA-256 digest: the file is corrupt`));
    const { decodeSafetensors, encodeSafetensors } = await import("../../runtime/model/safetensors.js");
    const d = decodeSafetensors(good);
    const name = planModel(ir).params[0]!.name;
    d.tensors[name]!.data[0] = NaN;
    writeFileSync(path, encodeSafetensors({ ...d.tensors }, { ...d.metadata }));
    const e2 = await train(ir, { data: s.data, out: s.out, quiet: true, resume: true }, () => {}).then(() => undefined, (e: Error) => e);
    expect(e2?.name).toBe("CheckpointError");
    expect(e2?.message).not.toContain("diverged");
    expect(e2?.message.startsWith(`${path}: `)).toBe(true);
  }, 120_000);

  it("one run per --out: a second run into the same directory is refused while the first runs", async () => {
    const ir = compileOrThrow(SPEC(30), "p.regnn");
    const s = setup("locked", SPEC(30));
    const first = train(ir, { data: s.data, out: s.out, quiet: true }, () => {});
    const second = await train(ir, { data: s.data, out: s.out, quiet: true }, () => {}).then(() => undefined, (e: Error) => e);
    await first;
    expect(second?.name).toBe("RunLockedError");
    expect(second?.message).toContain(`${s.out}: another training run (this process`);
    expect(existsSync(join(s.out, ".regnn-train.lock"))).toBe(false);
  }, 120_000);

  it("the built command trains in a child with Dawn's noise filtered out, and that child never outlives a killed launcher", async () => {
    const cli = join(root, "dist/compiler/cli/regnnc.js");
    const s = setup("orphan", SPEC(100000));
    const child = spawn(process.execPath, [cli, "train", s.specPath, "--data", s.data, "--out", s.out, "--quiet"], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_code, signal) => resolve(signal)));
    const lock = join(s.out, ".regnn-train.lock");
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && !existsSync(join(s.out, "checkpoint.json"))) await new Promise((r) => setTimeout(r, 20));
    const owner = JSON.parse(readFileSync(lock, "utf8")) as { pid: number; launcher: number };
    expect(owner.launcher).toBe(child.pid);
    expect(owner.pid).not.toBe(child.pid);
    child.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");
    const gone = Date.now() + 10_000;
    const alive = () => {
      try {
        process.kill(owner.pid, 0);
        return !/^\d+ \(.*\) Z/s.test(readFileSync(`/proc/${owner.pid}/stat`, "utf8"));
      } catch {
        return false;
      }
    };
    while (alive() && Date.now() < gone) await new Promise((r) => setTimeout(r, 20));
    expect(alive()).toBe(false);
    expect(existsSync(lock)).toBe(false);
    expect(stderr).not.toContain("artificially reduced");
  }, 120_000);
});
