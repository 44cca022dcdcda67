/**
 * One training run per output directory: `<out>/.regnn-train.lock` holds the owner's pid and host, created
 * exclusively (O_EXCL). A lock whose process no longer runs on this host is stale (a run killed with SIGKILL
 * leaves one) and is taken over; any other lock refuses the run with a message saying who holds it. A run
 * started by regnnc's launcher (launcher.ts) also records the launcher: when that is gone, the run is an
 * orphan on its way out, and the lock is awaited for a few seconds rather than refused.
 */
import { closeSync, linkSync, openSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { temporaryName } from "./atomic-output.js";
import { fileSystemError } from "./fs-errors.js";
import { launcherPid } from "./launcher.js";

export const LOCK_NAME = ".regnn-train.lock";

/** Another live run holds the directory. */
export class RunLockedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RunLockedError";
  }
}

interface Owner {
  pid: number;
  host: string;
  started?: string;
  launcher?: number;
}

/** How long to wait for an orphaned run (its launcher killed) to notice and exit. */
const ORPHAN_WAIT_MS = 10_000;

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Locks this process holds, released if it exits without releasing them (process.exit on an orphaned run). */
const held = new Set<() => void>();
process.on("exit", () => {
  for (const release of [...held]) release();
});

function readOwner(path: string): { text: string; owner: Owner | undefined } | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw fileSystemError(e, path, "read the lock");
  }
  try {
    const o = JSON.parse(text) as Partial<Owner>;
    return { text, owner: Number.isInteger(o.pid) && typeof o.host === "string" ? (o as Owner) : undefined };
  } catch {
    return { text, owner: undefined };
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
  // A zombie (exited, not yet reaped: an orphan whose reaper is slow) answers signal 0 but holds nothing.
  try {
    return !/^\d+ \(.*\) Z/s.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return true;
  }
}

/** A lock nobody holds any more: its process is gone from this host, or the file is not a lock we wrote. */
function stale(owner: Owner | undefined): boolean {
  if (!owner) return true;
  return owner.host === hostname() && owner.pid !== process.pid && !alive(owner.pid);
}

/** Takes `dir`'s lock (the directory must exist); returns its release. Throws RunLockedError when a live run holds it. */
export function acquireRunLock(dir: string, what = "training run"): () => void {
  const path = join(dir, LOCK_NAME);
  const me = `${JSON.stringify({ pid: process.pid, host: hostname(), started: new Date().toISOString(), launcher: launcherPid() })}\n`;
  for (let attempt = 0; attempt < 8; attempt++) {
    try {
      const fd = openSync(path, "wx");
      try {
        writeSync(fd, me);
      } finally {
        closeSync(fd);
      }
      const release = () => {
        if (!held.delete(release)) return;
        // Only our own lock: never remove one a later run took over.
        if (readOwner(path)?.text === me) rmSync(path, { force: true });
      };
      held.add(release);
      return release;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw fileSystemError(e, path, "create the lock");
    }
    let holder = readOwner(path);
    if (!holder) continue;
    const orphan = holder.owner?.launcher;
    if (!stale(holder.owner) && orphan !== undefined && holder.owner!.host === hostname() && !alive(orphan)) {
      for (const until = Date.now() + ORPHAN_WAIT_MS; Date.now() < until && holder?.owner && !stale(holder.owner); holder = readOwner(path)) sleep(50);
      if (!holder) continue;
    }
    if (!stale(holder.owner)) {
      const o = holder.owner!;
      const who = o.pid === process.pid && o.host === hostname() ? "this process" : `process ${o.pid}${o.host === hostname() ? "" : ` on ${o.host}`}`;
      throw new RunLockedError(
        `${dir}: another ${what} (${who}, since ${o.started ?? "an unknown time"}) is writing into this directory; wait for it to finish or choose another --out (if no such run exists, delete ${path})`,
      );
    }
    // Take the stale lock aside under a unique name, so that of two runs taking over at once only one removes
    // it; if what was moved is no longer the stale lock (a new owner got in between), put it back.
    const aside = temporaryName(path);
    try {
      renameSync(path, aside);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") continue;
      throw fileSystemError(e, path, "take over the stale lock");
    }
    const moved = readOwner(aside);
    if (moved && moved.text !== holder.text) {
      try {
        linkSync(aside, path);
      } catch {
        // Someone holds the lock again; the next attempt reads who.
      }
    }
    rmSync(aside, { force: true });
  }
  throw new RunLockedError(`${dir}: could not take the lock ${path} (other runs keep taking it); try again`);
}
