/**
 * Writes a set of output files all-or-nothing: everything goes to a temporary directory inside the target
 * first, and only when all of it is written is each file renamed into place (a rename is atomic on one
 * file system). A failure before that leaves the target as it was.
 */
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

export function writeOutputsAtomically(dir: string, files: ReadonlyMap<string, string | Uint8Array>): string[] {
  const target = resolve(dir);
  mkdirSync(target, { recursive: true });
  const staging = mkdtempSync(join(target, ".regnnc-tmp-"));
  try {
    for (const [name, content] of files) {
      const path = join(staging, name);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, content);
    }
    const written: string[] = [];
    for (const name of files.keys()) {
      const dest = join(target, name);
      mkdirSync(dirname(dest), { recursive: true });
      renameSync(join(staging, name), dest);
      written.push(dest);
    }
    return written;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
