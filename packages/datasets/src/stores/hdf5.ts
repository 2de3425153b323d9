import { closeSync, existsSync, mkdirSync, openSync, readSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { TavtError } from "@tavt/core";
import { tempPathBeside } from "./atomicFile";
import { loadH5wasm } from "./h5";
import { Hdf5FeatureStore, isHdf5SignatureAt } from "./hdf5Store";
import type { FeatureExpectation } from "./store";

export { Hdf5FeatureStore } from "./hdf5Store";

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
      if (isHdf5SignatureAt(buf)) return true;
    }
    return false;
  } finally {
    closeSync(fd);
  }
}

/** An HDF5 feature file opened from a path (Node): h5wasm's Node build reads it lazily from the file system. */
export class Hdf5Store extends Hdf5FeatureStore {
  /** Open an HDF5 feature file; `group` is where the per-video datasets live (default the root). */
  static async open(path: string, expect: FeatureExpectation = {}, group = "/"): Promise<Hdf5Store> {
    if (!existsSync(path) || !statSync(path).isFile()) {
      throw new TavtError("NOT_FOUND", `${path}: file not found`, { file: path });
    }
    if (!hasHdf5Signature(path)) {
      throw new TavtError("BAD_FILE", `${path}: not an HDF5 file (no HDF5 signature)`, { file: path });
    }
    const mod = await loadH5wasm();
    let file: InstanceType<Awaited<ReturnType<typeof loadH5wasm>>["File"]>;
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
}

/**
 * Write features as HDF5, one float32 dataset per video id (under `group`, default the root), atomically (a temp
 * file renamed into place). h5py reads the result as `f[id][()]`.
 *
 * @param path - The file to write.
 * @param entries - Each video's id and its features, row-major `[frames, dim]`.
 * @param group - The group to write into ("/" by default).
 * @throws `TavtError` (from `@tavt/core`) `SHAPE_MISMATCH` for data that does not fill its shape.
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
