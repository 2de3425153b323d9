import { randomBytes } from "node:crypto";
import { closeSync, mkdirSync, openSync, renameSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/** A temp path beside `path` (same directory, so the final rename is atomic). */
export function tempPathBeside(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
}

/**
 * Write a file incrementally and atomically: `write` gets a file descriptor of a temp file beside `path`, which is
 * renamed over `path` once `write` returns (removed if it throws). For files too big to build in memory first.
 */
export function writeFileAtomicStream(path: string, write: (fd: number) => void): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = tempPathBeside(path);
  const fd = openSync(tmp, "w");
  try {
    write(fd);
    closeSync(fd);
    renameSync(tmp, path);
  } catch (e) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
    rmSync(tmp, { force: true });
    throw e;
  }
}
