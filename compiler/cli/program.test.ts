import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildProgram } from "./program.js";

function run(args: string[]): { out: string; err: string; code: number | undefined } {
  let out = "", err = "";
  const program = buildProgram()
    .exitOverride()
    .configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (err += s) });
  let code: number | undefined;
  try {
    program.parse(args, { from: "user" });
  } catch (e) {
    code = (e as { exitCode?: number }).exitCode;
  }
  return { out, err, code };
}

describe("regnnc", () => {
  it("prints the package version", () => {
    const { version } = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
    expect(run(["--version"]).out.trim()).toBe(version);
  });

  it("documents itself and its commands", () => {
    const { out, code } = run(["--help"]);
    expect(code).toBe(0);
    expect(out).toContain("Usage: regnnc [options] [command]");
    expect(out).toContain("doctor");
    expect(out).toContain("-V, --version");
  });

  it("rejects an unknown command with a pointer to --help", () => {
    const { err, code } = run(["frobnicate"]);
    expect(code).toBe(1);
    expect(err).toContain("unknown command 'frobnicate'");
    expect(err).toContain("regnnc --help");
  });
});
