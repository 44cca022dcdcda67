/**
 * Output files written whole or not at all. One file: written beside its final name under a name no other
 * process uses (pid and random suffix), then renamed in; on failure the temporary file is removed. A set of
 * files: everything goes to a temporary directory inside the target first, and only when all of it is
 * written is each file renamed into place (a rename is atomic on one file system). Failures are one line
 * naming the output and what to do (fs-errors.ts).
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileSystemError } from "./fs-errors.js";

/**
 * Creates `dir` and its missing parents. Node 20's `mkdirSync(…, { recursive: true })` never returns under
 * /proc (it retries the parent forever on ENOENT), so each level is made on its own.
 */
export function ensureDirectory(dir: string): void {
  const target = resolve(dir);
  const missing: string[] = [];
  for (let p = target; ; p = dirname(p)) {
    let isDir: boolean | undefined;
    try {
      isDir = statSync(p).isDirectory();
    } catch (e) {
      // ENOTDIR: a component above is a file; walking up finds and names it.
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== "ENOENT" && code !== "ENOTDIR") throw fileSystemError(e, dir, "create the directory");
    }
    if (isDir === false) throw fileSystemError(Object.assign(new Error("not a directory"), { code: p === target ? "EEXIST" : "ENOTDIR", path: p }), dir, "create the directory");
    if (isDir) break;
    missing.unshift(p);
    if (dirname(p) === p) break;
  }
  for (const p of missing) {
    try {
      mkdirSync(p);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw fileSystemError(e, dir, "create the directory");
    }
  }
}

/** A temporary name beside `path` that no other writer picks. */
export function temporaryName(path: string): string {
  return `${path}.${process.pid}-${randomBytes(4).toString("hex")}.tmp`;
}

export function writeAtomically(path: string, content: string | Uint8Array): void {
  const tmp = temporaryName(path);
  try {
    writeFileSync(tmp, content, { flag: "wx" });
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw fileSystemError(e, path, "write");
  }
}

export function writeOutputsAtomically(dir: string, files: ReadonlyMap<string, string | Uint8Array>): string[] {
  const target = resolve(dir);
  ensureDirectory(dir);
  let staging: string;
  try {
    staging = mkdtempSync(join(target, ".regnnc-tmp-"));
  } catch (e) {
    throw fileSystemError(e, dir, "write into");
  }
  let current = dir;
  try {
    for (const [name, content] of files) {
      current = join(dir, name);
      const path = join(staging, name);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, content);
    }
    const written: string[] = [];
    for (const name of files.keys()) {
      const dest = join(target, name);
      current = join(dir, name);
      ensureDirectory(dirname(dest));
      renameSync(join(staging, name), dest);
      written.push(dest);
    }
    return written;
  } catch (e) {
    throw fileSystemError(e, current, "write");
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
