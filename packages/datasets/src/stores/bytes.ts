import { decodeNpy, parseNpyHeader, TavtError } from "@tavt/core";
import { loadH5wasm, stageH5Bytes } from "./h5";
import { Hdf5FeatureStore, hasHdf5SignatureBytes } from "./hdf5Store";
import { inflateRaw } from "./inflate";
import { NpzStore } from "./npz";
import { CheckedStore, type FeatureExpectation, type FeatureFormat } from "./store";
import { bytesSource, ZipArchive, type ZipEntry, type ZipInflater } from "./zipRead";

/**
 * Feature files already in memory (a browser's File or fetch, an upload): the same formats, checks and messages as
 * the stores that read paths, without a file system. Works in Node and in a browser bundle.
 */

export interface OpenFeatureBytesOptions extends FeatureExpectation {
  /** Force a format instead of detecting it from the name and the magic bytes. */
  format?: "npy" | "npz" | "hdf5";
  /** HDF5 only: the group holding the per-video datasets (default the root). */
  group?: string;
}

const HDF5_MAGIC = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
const NPY_MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];

/**
 * The format of a feature file's bytes: by its extension, else by its magic bytes (as detectFeatureFormat does).
 *
 * @param name - The file's name.
 * @param bytes - The file's bytes (at least its first 8).
 * @returns "npy", "npz" or "hdf5".
 * @throws `TavtError` (from `@tavt/core`) `BAD_FILE` when neither the name nor the bytes tell.
 */
export function detectFeatureBytesFormat(name: string, bytes: Uint8Array): "npy" | "npz" | "hdf5" {
  const lower = name.toLowerCase();
  if (lower.endsWith(".npz")) return "npz";
  if (lower.endsWith(".npy")) return "npy";
  if (/\.(h5|hdf5|hdf|he5)$/.test(lower)) return "hdf5";
  if (HDF5_MAGIC.every((b, i) => bytes[i] === b)) return "hdf5";
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) return "npz";
  if (NPY_MAGIC.every((b, i) => bytes[i] === b)) return "npy";
  throw new TavtError(
    "BAD_FILE",
    `${name}: unknown feature format (expected a directory of .npy files, an .npz archive or an HDF5 file)`,
    { file: name },
  );
}

/** `.npy` files in memory, one `<video id>.npy` per video (a picked folder of them, or a single file). */
export class NpyBytesStore extends CheckedStore {
  readonly path: string;
  readonly format = "npy" as const;
  private readonly files: Map<string, Uint8Array>;

  /** `files`: file name (`<id>.npy`) to its bytes; `path` names the folder in errors. */
  constructor(path: string, files: Iterable<{ name: string; bytes: Uint8Array }>, expect: FeatureExpectation = {}) {
    super(expect);
    this.path = path;
    this.files = new Map();
    for (const f of files) {
      const base = f.name.split("/").pop()!;
      if (base.endsWith(".npy")) this.files.set(base.slice(0, -4), f.bytes);
    }
  }

  ids(): string[] {
    return [...this.files.keys()].sort();
  }

  has(id: string): boolean {
    return this.files.has(id);
  }

  protected where(id: string): string {
    return `${this.path}/${id}.npy`;
  }

  protected rawShape(id: string): number[] {
    const file = this.where(id);
    const header = parseNpyHeader(this.files.get(id)!, file);
    if (!header) throw new TavtError("BAD_FILE", `${file}: truncated .npy header`, { file, id });
    return header.shape;
  }

  protected rawRead(id: string): Float32Array {
    const file = this.where(id);
    const { data, shape } = decodeNpy(this.files.get(id)!, file);
    if (shape.length !== 2) throw new TavtError("SHAPE_MISMATCH", `${file}: video "${id}" is not 2-D`, { file, id });
    return data;
  }

  close(): void {
    this.files.clear();
  }
}

/**
 * An `.npz` archive in memory. Deflated members (`savez_compressed`) are inflated while opening (asynchronously,
 * so that a browser can use its decompression streams); a member that does not inflate fails when it is read,
 * with the message the file-backed store gives.
 *
 * @param name - The archive's name, for messages.
 * @param bytes - The whole archive.
 * @param expect - `dim` and `frames` checked on every read.
 * @returns The store.
 * @throws `TavtError` (from `@tavt/core`) `BAD_FILE` for a malformed archive.
 */
export async function openNpzBytes(
  name: string,
  bytes: Uint8Array,
  expect: FeatureExpectation = {},
): Promise<NpzStore> {
  const inflated = new Map<string, Uint8Array | Error>();
  const lookup = (entry: ZipEntry): Uint8Array => {
    const got = inflated.get(entry.name);
    if (got instanceof Error) throw got;
    if (!got) throw new Error("not inflated while opening");
    return got;
  };
  const inflater: ZipInflater = {
    inflate: (_raw, entry) => lookup(entry),
    inflatePrefix: (_raw, entry) => lookup(entry),
  };
  const archive = new ZipArchive(name, bytesSource(bytes), inflater);
  for (const entry of archive.entries.values()) {
    if (entry.method !== 8) continue;
    try {
      inflated.set(entry.name, await inflateRaw(archive.compressed(entry)));
    } catch (e) {
      inflated.set(entry.name, e instanceof Error ? e : new Error(String(e)));
    }
  }
  return new NpzStore(name, expect, archive);
}

/**
 * An HDF5 file in memory, one dataset per video id (under `group`): h5wasm opens a copy (in Node a temp file, in a
 * browser its in-memory file system), removed when the store is closed.
 *
 * @param name - The file's name, for messages.
 * @param bytes - The whole HDF5 file.
 * @param expect - `dim` and `frames` checked on every read.
 * @param group - The group holding the per-video datasets ("/" by default).
 * @returns The store; `close` removes the copy.
 * @throws `TavtError` (from `@tavt/core`) `BAD_FILE` for bytes that are not a readable HDF5 file.
 */
export async function openHdf5Bytes(
  name: string,
  bytes: Uint8Array,
  expect: FeatureExpectation = {},
  group = "/",
): Promise<Hdf5FeatureStore> {
  if (!hasHdf5SignatureBytes(bytes)) {
    throw new TavtError("BAD_FILE", `${name}: not an HDF5 file (no HDF5 signature)`, { file: name });
  }
  const mod = await loadH5wasm();
  const staged = stageH5Bytes(mod, bytes);
  try {
    let file: InstanceType<typeof mod.File>;
    try {
      file = new mod.File(staged.path, "r");
    } catch (e) {
      throw new TavtError("BAD_FILE", `${name}: not a readable HDF5 file (${String(e).split("\n")[0]})`, {
        file: name,
      });
    }
    if (file.file_id < 0n) throw new TavtError("BAD_FILE", `${name}: not a readable HDF5 file`, { file: name });
    return new Hdf5FeatureStore(name, mod, file, group, expect, staged.remove);
  } catch (e) {
    staged.remove();
    throw e;
  }
}

/**
 * Open a feature file from its bytes: an `.npz` archive of `<id>.npy` members, one `<id>.npy` file (one video), or
 * an HDF5 file with one dataset per video id.
 *
 * @param name - The file's name (its extension picks the format unless `options.format` is given).
 * @param bytes - The whole file.
 * @param options - `format`, `dim`, `frames` and the HDF5 `group`.
 * @returns The store.
 * @throws `TavtError` (from `@tavt/core`) `BAD_FILE` for an unknown format or a malformed file.
 */
export async function openFeatureBytes(
  name: string,
  bytes: Uint8Array,
  options: OpenFeatureBytesOptions = {},
): Promise<CheckedStore> {
  const format: Exclude<FeatureFormat, "memory"> = options.format ?? detectFeatureBytesFormat(name, bytes);
  const expect: FeatureExpectation = { dim: options.dim, frames: options.frames };
  switch (format) {
    case "npz":
      return openNpzBytes(name, bytes, expect);
    case "npy": {
      const slash = name.lastIndexOf("/");
      return new NpyBytesStore(slash >= 0 ? name.slice(0, slash) : ".", [{ name, bytes }], expect);
    }
    case "hdf5":
      return openHdf5Bytes(name, bytes, expect, options.group ?? "/");
  }
}
