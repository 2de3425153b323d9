import { existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { encodeNpy, TavtError, writeFileAtomic } from "@tavt/core";
import { type FeatureStore, NpyDirStore, openFeatureStore, writeHdf5 } from "@tavt/datasets";

/** Where extracted features go: `.h5`/`.hdf5` is one HDF5 file, anything else a directory of `<id>.npy`. */
export type StoreKind = "hdf5" | "npy";

/**
 * Which kind of store a path names: HDF5 for `.h5`/`.hdf5`, else a `.npy` directory.
 *
 * @param path - The store's path.
 * @returns "hdf5" or "npy".
 */
export function storeKind(path: string): StoreKind {
  return /\.(h5|hdf5)$/i.test(path) ? "hdf5" : "npy";
}

/**
 * A feature store written one video at a time, resumable and never half-written. A `.npy` directory gets each
 * `<id>.npy` atomically (temp file, then rename). An HDF5 store collects videos as `.npy` files in `<path>.parts/`
 * and writes the `.h5` at `finish()` (temp file, then rename), with the videos an earlier `.h5` already held; an
 * interrupted run leaves the parts, which the next run reuses.
 */
export class StoreWriter {
  readonly kind: StoreKind;
  private readonly dir: string;
  private readonly done = new Set<string>();
  private existing: FeatureStore | null = null;
  private added = 0;

  private constructor(readonly path: string) {
    this.kind = storeKind(path);
    this.dir = this.kind === "npy" ? path : `${path}.parts`;
  }

  /**
   * Open a store for writing, noting the videos an earlier run already stored.
   *
   * @param path - A `.h5`/`.hdf5` file, or a directory of `<id>.npy`.
   * @returns The writer.
   * @throws `TavtError` (from `@tavt/core`) `BAD_FILE` for an earlier `.h5` that cannot be read.
   */
  static async open(path: string): Promise<StoreWriter> {
    const w = new StoreWriter(path);
    if (existsSync(w.dir)) {
      for (const f of readdirSync(w.dir)) if (f.endsWith(".npy") && !f.startsWith(".")) w.done.add(f.slice(0, -4));
    }
    if (w.kind === "hdf5" && existsSync(path)) {
      w.existing = await openFeatureStore(path, { format: "hdf5" });
      for (const id of w.existing.ids()) w.done.add(id);
    }
    return w;
  }

  /**
   * Whether a video's features are already stored (from this run or an earlier one).
   *
   * @param id - The video's id.
   * @returns Whether it is stored.
   */
  has(id: string): boolean {
    return this.done.has(id);
  }

  /**
   * Store one video's `[frames, dim]` features atomically.
   *
   * @param id - The video's id.
   * @param data - Its features, row-major `[frames, dim]`.
   * @param shape - `[frames, dim]`.
   * @throws `TavtError` (from `@tavt/core`) `BAD_INPUT` for an id that cannot be a file name, `SHAPE_MISMATCH` for data
   *   that does not fill `shape`.
   */
  write(id: string, data: Float32Array, shape: readonly [number, number]): void {
    if (!/^[^/\\\0]+$/.test(id) || id.startsWith(".")) {
      throw new TavtError("BAD_INPUT", `${this.path}: video id ${JSON.stringify(id)} cannot be a file name`, { id });
    }
    mkdirSync(this.dir, { recursive: true });
    writeFileAtomic(join(this.dir, `${id}.npy`), encodeNpy(data, shape));
    this.done.add(id);
    this.added++;
  }

  /** Complete the store: for HDF5, write the `.h5` (atomically) from the parts and any earlier file, then drop the parts. */
  async finish(): Promise<void> {
    if (this.kind === "npy") return;
    const parts = existsSync(this.dir) ? new NpyDirStore(this.dir) : null;
    if (parts === null || (parts.ids().length === 0 && this.added === 0)) {
      this.close();
      return;
    }
    const old = this.existing;
    const fromParts = new Set(parts.ids());
    const ids = [...new Set([...(old?.ids() ?? []), ...fromParts])].sort();
    await writeHdf5(
      this.path,
      (function* () {
        for (const id of ids) {
          const src = fromParts.has(id) ? parts : old!;
          yield { id, data: src.read(id), shape: src.shape(id) };
        }
      })(),
    );
    this.close();
    parts.close();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Release an earlier `.h5` without completing (an aborted run: the parts stay for the next one). */
  close(): void {
    this.existing?.close();
    this.existing = null;
  }
}
