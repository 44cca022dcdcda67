import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { acquireRunLock, LOCK_NAME, RunLockedError } from "./run-lock.js";

let dir: string;
beforeEach(() => void (dir = mkdtempSync(join(tmpdir(), "regnn-lock-"))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The pid of a process that has certainly exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(r.stdout);
}

describe("one training run per output directory", () => {
  it("refuses a second run while the first holds the directory, naming the holder", () => {
    const release = acquireRunLock(dir);
    expect(JSON.parse(readFileSync(join(dir, LOCK_NAME), "utf8")).pid).toBe(process.pid);
    expect(() => acquireRunLock(dir)).toThrow(RunLockedError);
    expect(() => acquireRunLock(dir)).toThrow(/another training run \(this process, since .*\) is writing into this directory; wait for it to finish or choose another --out/);
    release();
    expect(existsSync(join(dir, LOCK_NAME))).toBe(false);
    acquireRunLock(dir)();
  });

  it("refuses while another live process holds it", () => {
    // The parent of this test process is alive and is not this process.
    writeFileSync(join(dir, LOCK_NAME), JSON.stringify({ pid: process.ppid, host: hostname(), started: "2026-01-01T00:00:00Z" }));
    expect(() => acquireRunLock(dir)).toThrow(`another training run (process ${process.ppid}, since 2026-01-01T00:00:00Z)`);
  });

  it("takes over a stale lock (its process is gone, e.g. after SIGKILL) or an unreadable one", () => {
    writeFileSync(join(dir, LOCK_NAME), JSON.stringify({ pid: deadPid(), host: hostname() }));
    const release = acquireRunLock(dir);
    expect(JSON.parse(readFileSync(join(dir, LOCK_NAME), "utf8")).pid).toBe(process.pid);
    release();
    writeFileSync(join(dir, LOCK_NAME), "\u0000garbage");
    acquireRunLock(dir)();
  });

  it("release never removes a lock a later run took over", () => {
    const release = acquireRunLock(dir);
    const other = JSON.stringify({ pid: process.ppid, host: hostname() });
    writeFileSync(join(dir, LOCK_NAME), other);
    release();
    expect(readFileSync(join(dir, LOCK_NAME), "utf8")).toBe(other);
  });
});
