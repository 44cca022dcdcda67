// Failed writes leave nothing behind and say which output failed and what to do. ENOSPC is simulated by
// failing node:fs's writeFileSync after part of the file is written (a full disk cannot be made portably).
import type * as realFs from "node:fs";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

const fail = vi.hoisted(() => ({ code: undefined as string | undefined }));
vi.mock("node:fs", async (importOriginal) => {
  const fs = await importOriginal<typeof import("node:fs")>();
  const writeFileSync = (path: realFs.PathOrFileDescriptor, data: string | NodeJS.ArrayBufferView, options?: realFs.WriteFileOptions) => {
    if (fail.code) {
      // Half the bytes reach the disk, then the device is full: the partial temporary file exists.
      const bytes = typeof data === "string" ? Buffer.from(data) : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      fs.writeFileSync(path, bytes.subarray(0, bytes.length >> 1), options);
      throw Object.assign(new Error(`${fail.code}: simulated, write`), { code: fail.code, syscall: "write" });
    }
    return fs.writeFileSync(path, data, options);
  };
  return { ...fs, writeFileSync, default: { ...fs, writeFileSync } };
});

const { ensureDirectory, temporaryName, writeAtomically, writeOutputsAtomically } = await import("./atomic-output.js");
const { FileSystemError } = await import("./fs-errors.js");

let dir: string;
beforeEach(() => void (dir = mkdtempSync(join(tmpdir(), "regnn-atomic-"))));
afterEach(() => {
  fail.code = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const errorOf = (f: () => unknown): Error | undefined => {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  return undefined;
};

describe("atomic writes", () => {
  it("on ENOSPC: one line naming the file and what to do, the old file intact, no temporary file left", () => {
    const path = join(dir, "loss.csv");
    writeAtomically(path, "old\n");
    fail.code = "ENOSPC";
    const e = errorOf(() => writeAtomically(path, "epoch,loss\n1,2\n"));
    expect(e).toBeInstanceOf(FileSystemError);
    expect(e!.message).toBe(`cannot write ${path}: the disk is full: free some space, or write somewhere else (ENOSPC)`);
    expect(readdirSync(dir)).toEqual(["loss.csv"]);
    expect(readFileSync(path, "utf8")).toBe("old\n");
  });

  it("a set of outputs on ENOSPC: the output named, nothing written, no staging directory left", () => {
    fail.code = "ENOSPC";
    const e = errorOf(() => writeOutputsAtomically(join(dir, "out"), new Map([["A.ts", "x"], ["wgsl/001.wgsl", "y"]])));
    expect(e!.message).toBe(`cannot write ${join(dir, "out", "A.ts")}: the disk is full: free some space, or write somewhere else (ENOSPC)`);
    expect(readdirSync(join(dir, "out"))).toEqual([]);
  });

  it("uses a temporary name of its own for every write (two writers never share one)", () => {
    const names = new Set(Array.from({ length: 50 }, () => temporaryName(join(dir, "loss.csv"))));
    expect(names.size).toBe(50);
    for (const n of names) expect(n).toMatch(new RegExp(`^${join(dir, "loss.csv")}\\.${process.pid}-[0-9a-f]{8}\\.tmp$`));
  });

  it("an output directory that is a file, or under /proc, is one line naming it (and never hangs)", () => {
    writeFileSync(join(dir, "taken"), "");
    expect(errorOf(() => ensureDirectory(join(dir, "taken")))!.message).toBe(
      `cannot create the directory ${join(dir, "taken")}: a file of that name is in the way: remove it, or choose another name (EEXIST)`,
    );
    expect(errorOf(() => ensureDirectory(join(dir, "taken", "sub")))!.message).toBe(
      `cannot create the directory ${join(dir, "taken", "sub")} (at ${join(dir, "taken")}): a part of the path is a file, not a directory: remove it, or choose another path (ENOTDIR)`,
    );
    if (existsSync("/proc/self")) {
      const t0 = performance.now();
      const e = errorOf(() => ensureDirectory("/proc/regnn-no-such/out"));
      expect(performance.now() - t0).toBeLessThan(1000);
      expect(e!.message).toMatch(/^cannot create the directory \/proc\/regnn-no-such\/out \(at \/proc\/regnn-no-such\): a directory on the path does not exist and cannot be created there .* \(ENOENT\)$/);
    }
  });
});
