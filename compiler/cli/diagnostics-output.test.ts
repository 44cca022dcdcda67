// What `regnnc check` prints for hostile inputs stays bounded: a window of each long line, at most 50 errors
// per file, and one diagnostic for a file that is not text.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli as run } from "../../test/cli.js";


let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "regnnc-diag-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("regnnc check output on hostile specs", () => {
  it("does not echo a 750 KB line: each excerpt is a window around its caret", async () => {
    const path = join(dir, "long.regnn");
    const filler = "// ".padEnd(375_000, "x");
    const text = `model A { input x: 0e layer h = lineer(x) -> 0e output y = h } /* ${filler} */ $ /* ${filler} */`;
    writeFileSync(path, text);
    const r = await run(["check", path]);
    expect(r.code).toBe(1);
    const lines = r.err.split("\n");
    expect(lines[0]).toBe(`${path}:1:${text.indexOf("$") + 1} error L001: unexpected character '$'`);
    expect(lines[1]).toMatch(/^1 \| …x{36} \*\/ \$ \/\* \/\/ x{72}…$/);
    expect(lines[2]).toBe(`${" ".repeat(4 + 1 + 40)}^`);
    expect(r.err.length).toBeLessThan(1000);
  });

  it("prints at most 50 errors of a file, then how many more there are", async () => {
    const path = join(dir, "many.regnn");
    writeFileSync(path, `model A {\n${Array.from({ length: 700 }, () => "  $\n").join("")}}\n`);
    const r = await run(["check", path]);
    expect(r.code).toBe(1);
    expect(r.err.split("\n").filter((l) => l.startsWith(`${path}:`) && l.includes(" error L001: "))).toHaveLength(50);
    expect(r.err).toContain(`${path}: 650 more errors not shown (at most 50 errors and 50 warnings are printed per file)\n`);
    expect(r.err.endsWith("many.regnn: 700 errors\n")).toBe(true);
  });

  it("refuses a binary file with one diagnostic, and compile writes nothing", async () => {
    const path = join(dir, "image.regnn");
    let x = 7;
    writeFileSync(path, Uint8Array.from({ length: 4096 }, (_, i) => (i < 8 ? [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a][i]! : ((x = (x * 1103515245 + 12345) >>> 0) >>> 16) & 0xff)));
    const r = await run(["check", path]);
    expect(r.code).toBe(1);
    expect(r.err.split("\n")[0]).toBe(`${path}:1:1 error E132: not a text file: invalid UTF-8 at byte offset 0`);
    expect(r.err.match(/ error /g)).toHaveLength(1);
    expect(r.err).toContain("= hint: a spec is UTF-8 text; is this the right file?");
    const out = join(dir, "out");
    const c = await run(["compile", path, "-o", out, "--emit", "ir"]);
    expect(c.code).toBe(1);
    expect(c.err.match(/ error E132: not a text file/g)).toHaveLength(1);
    expect(readdirSync(dir)).toEqual(["image.regnn"]);
  });
});
