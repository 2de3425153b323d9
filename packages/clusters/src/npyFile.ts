import { closeSync, existsSync, fstatSync, openSync, readSync } from "node:fs";
import { parseNpyHeader, TavtError } from "@tavt/core";
import type { PointSource } from "./stream";

/** Element types `openNpyPoints` reads without converting the whole file: little-endian float32 and float64. */
const READABLE: Record<string, 4 | 8> = { "<f4": 4, "<f8": 8 };

/** A 2-D `.npy` file [N, D] opened for reading rows in pieces; `close` releases the file. */
export interface NpyPointFile extends PointSource {
  path: string;
  /** numpy's dtype string ("<f4" or "<f8"). */
  descr: string;
  /** File size in bytes. */
  bytes: number;
  close(): void;
}

const badFile = (path: string, what: string, details: Record<string, unknown> = {}) =>
  new TavtError("BAD_FILE", `${path}: ${what}`, { file: path, ...details });

/** readSync until `length` bytes are in `into` (a file read may return fewer bytes than asked). */
function readFully(fd: number, into: Uint8Array, position: number, path: string): void {
  let done = 0;
  while (done < into.length) {
    const got = readSync(fd, into, done, into.length - done, position + done);
    if (got === 0) throw badFile(path, `truncated data: no bytes at offset ${position + done}`);
    done += got;
  }
}

/**
 * Open a 2-D `.npy` file [N, D] of points (little-endian float32 or float64, C order, as numpy writes them) for
 * reading rows in chunks: only the header is read here, so a file far larger than memory can be clustered with
 * `kmeansStream`. Throws NOT_FOUND for a missing file, BAD_FILE for a file that is not a valid .npy, is truncated, is
 * in Fortran order or has another dtype, and BAD_INPUT for an array that is not 2-D or is empty.
 *
 * @param path - A 2-D `.npy` file.
 * @returns The open file as a point source (`n`, `dim`, `read`), with its dtype and size; call `close` when done.
 * @throws `TavtError` (from `@tavt/core`) `NOT_FOUND` for a missing file, `BAD_FILE` for an invalid, truncated,
 *   Fortran-order or other-dtype file, `BAD_INPUT` for an array that is not 2-D or is empty.
 */
export function openNpyPoints(path: string): NpyPointFile {
  if (!existsSync(path)) throw new TavtError("NOT_FOUND", `${path}: file not found`, { file: path });
  const fd = openSync(path, "r");
  try {
    const size = fstatSync(fd).size;
    let head = new Uint8Array(Math.min(size, 4096));
    readSync(fd, head, 0, head.length, 0);
    let header = parseNpyHeader(head, path);
    if (!header && size > head.length) {
      head = new Uint8Array(Math.min(size, 1 << 20));
      readSync(fd, head, 0, head.length, 0);
      header = parseNpyHeader(head, path);
    }
    if (!header) throw badFile(path, "truncated .npy header");
    if (header.shape.length !== 2) {
      throw new TavtError(
        "BAD_INPUT",
        `${path}: expected a 2-D array [N, D] of points, got shape (${header.shape.join(", ")})`,
        { file: path, shape: header.shape },
      );
    }
    const [n, dim] = header.shape as [number, number];
    if (n === 0 || dim === 0) {
      throw new TavtError("BAD_INPUT", `${path}: the array [${n}, ${dim}] holds no points`, {
        file: path,
        shape: header.shape,
      });
    }
    const width = READABLE[header.descr];
    if (width === undefined) {
      throw badFile(
        path,
        `dtype '${header.descr}': reading in chunks needs little-endian float32 ('<f4') or float64 ('<f8')`,
        {
          descr: header.descr,
        },
      );
    }
    if (header.fortranOrder) {
      throw badFile(
        path,
        "Fortran-order (column-major) array: reading rows in chunks needs C order (numpy's default; np.ascontiguousarray)",
      );
    }
    const need = header.dataOffset + n * dim * width;
    if (size < need)
      throw badFile(path, `truncated data: [${n}, ${dim}] '${header.descr}' needs ${need} bytes, the file has ${size}`);
    const offset = header.dataOffset;
    let wide: Float64Array | null = null;
    let open = true;
    return {
      path,
      name: path,
      n,
      dim,
      descr: header.descr,
      bytes: size,
      read(start: number, count: number, out: Float32Array): void {
        if (!open) throw new TavtError("BAD_INPUT", `${path}: read after close`);
        if (start < 0 || count < 0 || start + count > n || out.length < count * dim) {
          throw new TavtError(
            "BAD_INPUT",
            `${path}: rows ${start}..${start + count - 1} are outside [0, ${n}) or do not fit the buffer`,
          );
        }
        const position = offset + start * dim * width;
        if (width === 4) {
          readFully(fd, new Uint8Array(out.buffer, out.byteOffset, count * dim * 4), position, path);
          return;
        }
        if (!wide || wide.length < count * dim) wide = new Float64Array(count * dim);
        const view = wide.subarray(0, count * dim);
        readFully(fd, new Uint8Array(view.buffer, view.byteOffset, view.byteLength), position, path);
        for (let i = 0; i < view.length; i++) out[i] = view[i]!;
      },
      close(): void {
        if (open) closeSync(fd);
        open = false;
      },
    };
  } catch (e) {
    closeSync(fd);
    throw e;
  }
}
