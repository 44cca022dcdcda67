import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { schemaErrors } from "../ir/validate.js";
import { runCli as run } from "../../test/cli.js";


let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "regnnc-test-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const good = "model Good {\n  input x: 0e + 1o\n  layer h = linear(x) -> 2x0e\n  output y = h\n}\n";
const bad = "model Bad {\n  input x: 0e + 1o\n  layer h = linear(x) -> 2e\n  layer k = lineer(x) -> 0e\n  output y = h\n}\n";

describe("regnnc", () => {
  it("prints the package version", async () => {
    const { version } = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
    expect((await run(["--version"])).out.trim()).toBe(version);
  });

  it("documents itself, every command and every option", async () => {
    const { out, code } = await run(["--help"]);
    expect(code).toBe(0);
    for (const word of ["Usage: regnnc [options] [command]", "check", "compile", "doctor", "-V, --version", "Exit status"]) expect(out).toContain(word);
    const compileHelp = await run(["compile", "--help"]);
    // commander wraps long descriptions; compare with the line breaks folded.
    const folded = compileHelp.out.replace(/\s+/g, " ");
    for (const word of ["-o, --out <dir>", "--emit <kind>", '(choices: "ir", "ts", "js", "wgsl", "all", "pytorch", default: "all")', "--runtime-import <specifier>"]) expect(folded).toContain(word);
  });

  it("rejects an unknown command with a pointer to --help", async () => {
    const { err, code } = await run(["frobnicate"]);
    expect(code).toBe(1);
    expect(err).toContain("unknown command 'frobnicate'");
    expect(err).toContain("regnnc --help");
  });
});

describe("regnnc check", () => {
  it("exits 0 on a clean spec", async () => {
    writeFileSync(join(dir, "good.regnn"), good);
    const r = await run(["check", join(dir, "good.regnn")]);
    expect(r.code).toBe(0);
    expect(r.err).toContain("good.regnn: ok");
  });

  it("exits 1 and prints every error with its place, source line and caret", async () => {
    const path = join(dir, "bad.regnn");
    writeFileSync(path, bad);
    const r = await run(["check", path]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${path}:3:26 error E112: output 2e of layer 'h' cannot be reached`);
    expect(r.err).toContain("3 |   layer h = linear(x) -> 2e\n");
    expect(r.err).toContain(`${path}:4:13 error E104: unknown layer kind 'lineer'`);
    expect(r.err).toContain("= hint: did you mean linear?");
    expect(r.err).toContain("bad.regnn: 2 errors");
    const caretLine = r.err.split("\n").find((l) => l.trim() === "^^^^^^")!;
    expect(caretLine.indexOf("^")).toBe("4 |   layer k = ".length);
  });

  it("checks several files and fails if any fails; a missing file is an error, not a crash", async () => {
    writeFileSync(join(dir, "good.regnn"), good);
    const r = await run(["check", join(dir, "good.regnn"), join(dir, "missing.regnn")]);
    expect(r.code).toBe(1);
    expect(r.err).toContain("missing.regnn: no such file");
  });
});

describe("regnnc compile", () => {
  it("writes the IR, valid against its schema", async () => {
    writeFileSync(join(dir, "good.regnn"), good);
    const out = join(dir, "out");
    const r = await run(["compile", join(dir, "good.regnn"), "-o", out, "--emit", "ir"]);
    expect(r.code).toBe(0);
    expect(readdirSync(out)).toEqual(["Good.ir.json"]);
    await run(["compile", join(dir, "good.regnn"), "-o", out]);
    expect(readdirSync(out).sort()).toEqual(["Good.ir.json", "Good.js", "Good.ts", "wgsl"]);
    expect(readdirSync(join(out, "wgsl")).length).toBeGreaterThan(2);
    expect(readFileSync(join(out, "Good.ts"), "utf8")).toContain("export class Good extends CompiledModel");
    const ir = JSON.parse(readFileSync(join(out, "Good.ir.json"), "utf8"));
    expect(schemaErrors(ir)).toEqual([]);
    expect(ir.model).toBe("Good");
  });

  it("writes nothing when the spec has errors, and leaves existing outputs alone", async () => {
    writeFileSync(join(dir, "bad.regnn"), bad);
    const out = join(dir, "out");
    const r = await run(["compile", join(dir, "bad.regnn"), "-o", out, "--emit", "ir"]);
    expect(r.code).toBe(1);
    expect(r.err).toContain("nothing written");
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
    writeFileSync(join(dir, "good.regnn"), good);
    await run(["compile", join(dir, "good.regnn"), "-o", out, "--emit", "ir"]);
    const before = readFileSync(join(out, "Good.ir.json"), "utf8");
    writeFileSync(join(dir, "good.regnn"), bad.replace("Bad", "Good"));
    expect((await run(["compile", join(dir, "good.regnn"), "-o", out, "--emit", "ir"])).code).toBe(1);
    expect(readFileSync(join(out, "Good.ir.json"), "utf8")).toBe(before);
    expect(readdirSync(out)).toEqual(["Good.ir.json"]);
  });

  it("rejects an unknown --emit kind and a missing -o", async () => {
    writeFileSync(join(dir, "good.regnn"), good);
    const r = await run(["compile", join(dir, "good.regnn"), "-o", dir, "--emit", "wasm"]);
    expect(r.code).toBe(1);
    expect(r.err).toContain("Allowed choices are ir, ts, js, wgsl, all");
    expect((await run(["compile", join(dir, "good.regnn")])).err).toContain("required option '-o, --out <dir>' not specified");
  });
});

describe("regnnc train", () => {
  it("trains on a dataset, writes weights, loss log and checkpoint, and reports the kept symmetry", async () => {
    const spec = join(dir, "p.regnn");
    writeFileSync(spec, `model P {
      symmetry relax to C1 lmax 1
      input x: 0e + 1o
      target a: 1o
      layer y = relaxed_node(x) -> 1o
      output acc = y
      train { loss: sse(acc, a)  optimizer: adam(lr: 1e-2)  epochs: 4  batch: 2  checkpoint_every: 2 }
    }`);
    const graphs = [[1, 0.2, -0.1, 0.3], [1, -0.4, 0.5, 0.1], [1, 0.3, 0.3, -0.2]].map((x) => ({ nodes: 1, inputs: { x }, targets: { a: [1 + x[3]!, 0, -x[1]!] } }));
    writeFileSync(join(dir, "d.json"), JSON.stringify({ graphs }));
    const out = join(dir, "run");
    const r = await run(["train", spec, "--data", join(dir, "d.json"), "--test", join(dir, "d.json"), "--out", out, "--quiet"]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(["P.safetensors", "checkpoint.json", "checkpoint.safetensors", "loss.csv", "loss.png"]);
    const csv = readFileSync(join(out, "loss.csv"), "utf8").trim().split("\n");
    expect(csv[0]).toBe("epoch,loss,regularization");
    expect(csv.length).toBe(5);
    expect(JSON.parse(readFileSync(join(out, "checkpoint.json"), "utf8")).epoch).toBe(4);
    expect(r.out).toMatch(/layer y: keeps /);
    expect(r.out).toMatch(/held-out \(d\.json, 3 graphs\): mean squared error \d\.\d{3}e[-+]\d+/);
    const bad = await run(["train", spec, "--data", join(dir, "missing.json"), "--out", out]);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain("missing.json");
  });
});

describe("regnnc arguments and file-system errors", () => {
  it("says what a numeric option expects instead of 'got NaN'", async () => {
    writeFileSync(join(dir, "good.regnn"), good);
    for (const [option, value, expected] of [
      ["--epochs", "abc", "expected a whole number of at least 1"],
      ["--epochs", "1e400", "expected a whole number of at least 1"],
      ["--epochs", "0", "expected a whole number of at least 1"],
      ["--seed", "-3", "expected a whole number (0 or more)"],
      ["--checkpoint-every", "2.5", "expected a whole number of at least 1"],
      ["--stop-after", "", "expected a whole number of at least 1"],
    ]) {
      const r = await run(["train", join(dir, "good.regnn"), "--data", join(dir, "d.json"), option!, value!]);
      expect(r.code).toBe(1);
      expect(r.err).toContain(`argument '${value}' is invalid. ${expected}`);
      expect(r.err).not.toContain("NaN");
    }
    const t = await run(["inspect", join(dir, "w.safetensors"), "--spec", join(dir, "good.regnn"), "--tolerance", "abc"]);
    expect(t.err).toContain("argument 'abc' is invalid. expected a number between 0 and 1");
    const f = await run(["train", join(dir, "good.regnn"), "--data", join(dir, "d.json"), "--force"]);
    expect(f.code).toBe(1);
    expect(f.err).toContain("--force only applies with --resume");
  });

  it("compile into a path that is a file, or under /proc: one line naming it and what to do", async () => {
    writeFileSync(join(dir, "good.regnn"), good);
    writeFileSync(join(dir, "taken"), "");
    const r = await run(["compile", join(dir, "good.regnn"), "-o", join(dir, "taken"), "--emit", "ir"]);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`regnnc: cannot create the directory ${join(dir, "taken")}: a file of that name is in the way: remove it, or choose another name (EEXIST)\n`);
    const p = await run(["compile", join(dir, "good.regnn"), "-o", "/proc/regnn-no-such/out", "--emit", "ir"]);
    expect(p.code).toBe(1);
    expect(p.err).toMatch(/^regnnc: cannot create the directory \/proc\/regnn-no-such\/out \(at \/proc\/regnn-no-such\): .*: choose another place \(ENOENT\)\n$/);
  });
});
