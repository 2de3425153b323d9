import { closeSync, existsSync, mkdirSync, openSync, readSync, statSync } from "node:fs";
import { join } from "node:path";
import { encodeNpy, TavtError, writeFileAtomic } from "@tavt/core";
import { Hdf5Store, writeHdf5 } from "./hdf5";
import { NpyDirStore } from "./npyDir";
import { NpzStore, writeNpz } from "./npz";
import type { FeatureExpectation, FeatureFormat, FeatureStore } from "./store";

/** Options of `openFeatureStore`: the store's format and HDF5 group, and what its features must look like. */
export interface OpenFeatureStoreOptions extends FeatureExpectation {
  /** Force a format instead of detecting it from the path. */
  format?: Exclude<FeatureFormat, "memory">;
  /** HDF5 only: the group holding the per-video datasets (default the root). */
  group?: string;
}

/** One video's features for a writer. */
export interface FeatureEntry {
  id: string;
  /** Row-major `[frames, dim]`. */
  data: Float32Array;
  shape: readonly [number, number];
}

const HDF5_MAGIC = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * The format of a feature path: a directory is `.npy` files; a file by its extension, else by its magic bytes.
 *
 * @param path - A directory or file.
 * @returns "npy" for a directory, else "npz" or "hdf5".
 * @throws `TavtError` (from `@tavt/core`) `NOT_FOUND` for a missing path, `BAD_FILE` for a file of unknown format.
 */
export function detectFeatureFormat(path: string): Exclude<FeatureFormat, "memory"> {
  if (!existsSync(path))
    throw new TavtError("NOT_FOUND", `${path}: feature file or directory not found`, { file: path });
  if (statSync(path).isDirectory()) return "npy";
  const lower = path.toLowerCase();
  if (lower.endsWith(".npz")) return "npz";
  if (/\.(h5|hdf5|hdf|he5)$/.test(lower)) return "hdf5";
  const head = new Uint8Array(8);
  const fd = openSync(path, "r");
  try {
    readSync(fd, head, 0, 8, 0);
  } finally {
    closeSync(fd);
  }
  if (HDF5_MAGIC.every((b, i) => head[i] === b)) return "hdf5";
  if (head[0] === 0x50 && head[1] === 0x4b) return "npz";
  throw new TavtError(
    "BAD_FILE",
    `${path}: unknown feature format (expected a directory of .npy files, an .npz archive or an HDF5 file)`,
    { file: path },
  );
}

/**
 * Open per-video features lazily: a directory of `<id>.npy`, an `.npz` archive of `<id>.npy` members, or an HDF5
 * file with one dataset per id. `dim`/`frames` are checked on every read, naming the file and the video id.
 *
 * @param path - A directory of `<id>.npy`, an `.npz` or an HDF5 file.
 * @param options - `format` (detected by default), `dim`, `frames` and the HDF5 `group`.
 * @returns The store.
 * @throws `TavtError` (from `@tavt/core`) `NOT_FOUND` for a missing path, `BAD_FILE` for an unknown or malformed file.
 */
export async function openFeatureStore(path: string, options: OpenFeatureStoreOptions = {}): Promise<FeatureStore> {
  const format = options.format ?? detectFeatureFormat(path);
  const expect: FeatureExpectation = { dim: options.dim, frames: options.frames };
  switch (format) {
    case "npy":
      return new NpyDirStore(path, expect);
    case "npz":
      return new NpzStore(path, expect);
    case "hdf5":
      return Hdf5Store.open(path, expect, options.group ?? "/");
  }
}

/**
 * Write per-video features in one of the three layouts (`npy`: `path` is a directory of `<id>.npy`; `npz`: one
 * uncompressed archive; `hdf5`: one dataset per id). Each file is written atomically.
 *
 * @param path - The directory ("npy") or file to write.
 * @param format - "npy", "npz" or "hdf5".
 * @param entries - Each video's id and its features, row-major `[frames, dim]`.
 * @param options - `group`: the HDF5 group ("/" by default).
 * @throws `TavtError` (from `@tavt/core`) `BAD_INPUT` for an id that cannot be a file name ("npy"), `SHAPE_MISMATCH`
 *   for data that does not fill its shape.
 */
export async function writeFeatureStore(
  path: string,
  format: Exclude<FeatureFormat, "memory">,
  entries: Iterable<FeatureEntry>,
  options: { group?: string } = {},
): Promise<void> {
  switch (format) {
    case "npy":
      mkdirSync(path, { recursive: true });
      for (const e of entries) {
        if (!/^[^/\\\0]+$/.test(e.id) || e.id === "." || e.id === "..") {
          throw new TavtError("BAD_INPUT", `${path}: video id ${JSON.stringify(e.id)} cannot be a file name`, {
            file: path,
            id: e.id,
          });
        }
        writeFileAtomic(join(path, `${e.id}.npy`), encodeNpy(e.data, e.shape));
      }
      return;
    case "npz":
      writeNpz(path, entries);
      return;
    case "hdf5":
      await writeHdf5(path, entries, options.group ?? "/");
      return;
  }
}
