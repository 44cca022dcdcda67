/**
 * File-system failures as one line naming the path and what to do, instead of Node's errno text (which
 * names no file for ENOSPC, and a temporary name, not the output, for most others).
 */

/** An output or input path could not be written or read; the message is the whole story for the user. */
export class FileSystemError extends Error {
  constructor(message: string, readonly code?: string) {
    super(message);
    this.name = "FileSystemError";
  }
}

const ADVICE: Record<string, string> = {
  ENOSPC: "the disk is full: free some space, or write somewhere else",
  EDQUOT: "the disk quota is used up: free some space, or write somewhere else",
  EROFS: "the file system is read-only: choose a writable place",
  EACCES: "permission denied: choose a place you can write to, or fix its permissions",
  EPERM: "the operation is not permitted there: choose a writable place",
  EEXIST: "a file of that name is in the way: remove it, or choose another name",
  ENOTDIR: "a part of the path is a file, not a directory: remove it, or choose another path",
  EISDIR: "it is a directory: choose a file name",
  ENOENT: "a directory on the path does not exist and cannot be created there (a read-only or virtual file system?): choose another place",
  ENAMETOOLONG: "the name is too long: choose a shorter path",
  EMFILE: "too many open files: close other programs, or raise the limit (ulimit -n)",
  EIO: "the device reported an I/O error: check the disk",
  EFBIG: "the file would exceed the size limit (ulimit -f): raise it, or write somewhere else",
};

/** Turns a thrown fs error into a FileSystemError about `path` (`action`: what was being done to it). */
export function fileSystemError(e: unknown, path: string, action: string): Error {
  if (e instanceof FileSystemError) return e;
  const err = e as NodeJS.ErrnoException;
  const code = typeof err?.code === "string" ? err.code : undefined;
  if (!code) return e instanceof Error ? e : new Error(String(e));
  const where = err.path && !err.path.endsWith(".tmp") && !err.path.includes(".regnnc-tmp-") && err.path !== path ? ` (at ${err.path})` : "";
  return new FileSystemError(`cannot ${action} ${path}${where}: ${ADVICE[code] ?? err.message.replace(/^[A-Z]+: /, "")} (${code})`, code);
}
