/**
 * One training run per output directory: `<out>/.regnn-train.lock` holds the owner's pid and host, created
 * exclusively (O_EXCL). A lock whose process no longer runs on this host is stale (a run killed with SIGKILL
 * leaves one) and is taken over; any other lock refuses the run with a message saying who holds it.
 */
import { closeSync, linkSync, openSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { temporaryName } from "./atomic-output.js";
import { fileSystemError } from "./fs-errors.js";

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
}

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
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === "EPERM";
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
  const me = `${JSON.stringify({ pid: process.pid, host: hostname(), started: new Date().toISOString() })}\n`;
  for (let attempt = 0; attempt < 8; attempt++) {
    try {
      const fd = openSync(path, "wx");
      try {
        writeSync(fd, me);
      } finally {
        closeSync(fd);
      }
      let released = false;
      return () => {
        if (released) return;
        released = true;
        // Only our own lock: never remove one a later run took over.
        if (readOwner(path)?.text === me) rmSync(path, { force: true });
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw fileSystemError(e, path, "create the lock");
    }
    const held = readOwner(path);
    if (!held) continue;
    if (!stale(held.owner)) {
      const o = held.owner!;
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
    if (moved && moved.text !== held.text) {
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
