import { closeSync, existsSync, mkdirSync, openSync, readSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { TavtError } from "@tavt/core";
import { tempPathBeside } from "./atomicFile";
import { CheckedStore, type FeatureExpectation } from "./store";

type H5 = typeof import("h5wasm/node");
type H5File = InstanceType<H5["File"]>;
type H5Dataset = InstanceType<H5["Dataset"]>;

let h5: Promise<H5> | null = null;

/** h5wasm's Node build (HDF5 compiled to wasm, reading the real file system lazily), loaded once. */
function loadH5wasm(): Promise<H5> {
  h5 ??= import("h5wasm/node").then(async (m) => {
    await m.ready;
    return m;
  });
  return h5;
}

const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * Whether the file has the HDF5 superblock signature where the format allows it (byte 0, 512, 1024, 2048, ...),
 * checked before h5wasm sees the file so that a wrong file gives our error instead of HDF5's diagnostics.
 */
export function hasHdf5Signature(path: string): boolean {
  const size = statSync(path).size;
  const fd = openSync(path, "r");
  try {
    const buf = new Uint8Array(8);
    for (let at = 0; at + 8 <= size; at = at === 0 ? 512 : at * 2) {
      readSync(fd, buf, 0, 8, at);
      if (SIGNATURE.every((b, i) => buf[i] === b)) return true;
    }
    return false;
  } finally {
    closeSync(fd);
  }
}

function toFloat32(value: unknown, where: string, id: string, file: string): Float32Array {
  if (value instanceof Float32Array) return value;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const src = value as unknown as ArrayLike<number | bigint>;
    const out = new Float32Array(src.length);
    for (let i = 0; i < src.length; i++) out[i] = Number(src[i]);
    return out;
  }
  throw new TavtError("BAD_FILE", `${where}: video "${id}" is not a numeric dataset`, { file, id });
}

/**
 * An HDF5 file with one dataset per video id (`/<id>` of shape `[frames, dim]`, or under `group`), the layout of
 * commonly released MSR-VTT/MSVD feature files. Reads go through h5wasm's Node build, which opens the file on
 * the real file system: opening reads the object headers it needs, `read(id)` reads that one dataset.
 */
export class Hdf5Store extends CheckedStore {
  readonly path: string;
  readonly format = "hdf5" as const;
  private readonly file: H5File;
  private readonly group: string;
  private readonly names: Set<string>;
  private readonly h5: H5;

  private constructor(path: string, h5mod: H5, file: H5File, group: string, expect: FeatureExpectation) {
    super(expect);
    this.path = path;
    this.h5 = h5mod;
    this.file = file;
    this.group = group;
    const g = group === "/" ? file : file.get(group);
    if (!(g instanceof h5mod.Group)) {
      file.close();
      throw new TavtError("NOT_FOUND", `${path}: no HDF5 group "${group}"`, { file: path, group });
    }
    this.names = new Set(g.keys());
  }

  /** Open an HDF5 feature file; `group` is where the per-video datasets live (default the root). */
  static async open(path: string, expect: FeatureExpectation = {}, group = "/"): Promise<Hdf5Store> {
    if (!existsSync(path) || !statSync(path).isFile()) {
      throw new TavtError("NOT_FOUND", `${path}: file not found`, { file: path });
    }
    if (!hasHdf5Signature(path)) {
      throw new TavtError("BAD_FILE", `${path}: not an HDF5 file (no HDF5 signature)`, { file: path });
    }
    const mod = await loadH5wasm();
    let file: H5File;
    try {
      file = new mod.File(path, "r");
    } catch (e) {
      throw new TavtError("BAD_FILE", `${path}: not a readable HDF5 file (${String(e).split("\n")[0]})`, {
        file: path,
      });
    }
    if (file.file_id < 0n) throw new TavtError("BAD_FILE", `${path}: not a readable HDF5 file`, { file: path });
    return new Hdf5Store(path, mod, file, group, expect);
  }

  ids(): string[] {
    return [...this.names].sort();
  }

  has(id: string): boolean {
    return this.names.has(id);
  }

  protected where(id: string): string {
    return `${this.path}:${this.datasetPath(id)}`;
  }

  private datasetPath(id: string): string {
    return this.group === "/" ? `/${id}` : `${this.group.replace(/\/$/, "")}/${id}`;
  }

  private dataset(id: string): H5Dataset {
    const d = this.file.get(this.datasetPath(id));
    if (!(d instanceof this.h5.Dataset)) {
      throw new TavtError("BAD_FILE", `${this.where(id)}: video "${id}" is not an HDF5 dataset`, {
        file: this.path,
        id,
      });
    }
    return d;
  }

  protected rawShape(id: string): number[] {
    return this.dataset(id).shape ?? [];
  }

  protected rawRead(id: string): Float32Array {
    return toFloat32(this.dataset(id).value, this.where(id), id, this.path);
  }

  close(): void {
    this.file.close();
  }
}

/**
 * Write features as HDF5, one float32 dataset per video id (under `group`, default the root), atomically (a temp
 * file renamed into place). h5py reads the result as `f[id][()]`.
 */
export async function writeHdf5(
  path: string,
  entries: Iterable<{ id: string; data: Float32Array; shape: readonly [number, number] }>,
  group = "/",
): Promise<void> {
  const mod = await loadH5wasm();
  mkdirSync(dirname(path), { recursive: true });
  const tmp = tempPathBeside(path);
  const file = new mod.File(tmp, "w");
  try {
    const g = group === "/" ? file : file.create_group(group);
    for (const e of entries) {
      if (e.data.length !== e.shape[0] * e.shape[1]) {
        throw new TavtError(
          "SHAPE_MISMATCH",
          `${path}: video "${e.id}" has ${e.data.length} values for shape [${e.shape.join(", ")}]`,
          { file: path, id: e.id },
        );
      }
      g.create_dataset({ name: e.id, data: e.data, shape: [...e.shape], dtype: "<f" });
    }
    file.close();
    renameSync(tmp, path);
  } catch (e) {
    try {
      file.close();
    } catch {
      // already closed
    }
    rmSync(tmp, { force: true });
    throw e;
  }
}
