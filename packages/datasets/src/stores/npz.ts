import { decodeNpy, encodeNpy, parseNpyHeader, TavtError } from "@tavt/core";
import { CheckedStore, type FeatureExpectation } from "./store";
import { writeZipStored, type ZipArchive, type ZipEntry, ZipReader } from "./zip";

/** An `.npz` archive (numpy `savez`/`savez_compressed`) with one `<video id>.npy` member per video. */
export class NpzStore extends CheckedStore {
  readonly path: string;
  readonly format = "npz" as const;
  private readonly zip: ZipArchive;
  private readonly members = new Map<string, ZipEntry>();

  /** `archive`: the archive already open (bytes in memory, see openFeatureBytes); else `file` is opened. */
  constructor(file: string, expect: FeatureExpectation = {}, archive?: ZipArchive) {
    super(expect);
    this.path = file;
    this.zip = archive ?? new ZipReader(file);
    for (const [name, entry] of this.zip.entries) {
      if (name.endsWith(".npy")) this.members.set(name.slice(0, -4), entry);
    }
  }

  ids(): string[] {
    return [...this.members.keys()].sort();
  }

  has(id: string): boolean {
    return this.members.has(id);
  }

  protected where(id: string): string {
    return `${this.path}[${id}.npy]`;
  }

  protected rawShape(id: string): number[] {
    const entry = this.members.get(id)!;
    const where = this.where(id);
    const header =
      parseNpyHeader(this.zip.readPrefix(entry, 4096), where) ?? parseNpyHeader(this.zip.read(entry), where);
    if (!header) throw new TavtError("BAD_FILE", `${where}: truncated .npy header`, { file: this.path, id });
    return header.shape;
  }

  protected rawRead(id: string): Float32Array {
    return decodeNpy(this.zip.read(this.members.get(id)!), this.where(id)).data;
  }

  close(): void {
    this.zip.close();
  }
}

/**
 * Write features as an uncompressed `.npz` (what `numpy.savez` writes), one `<id>.npy` member per video.
 *
 * @param file - The archive to write.
 * @param entries - Each video's id and its features, row-major `[frames, dim]`.
 * @throws `TavtError` (from `@tavt/core`) `SHAPE_MISMATCH` for data that does not fill its shape.
 */
export function writeNpz(
  file: string,
  entries: Iterable<{ id: string; data: Float32Array; shape: readonly [number, number] }>,
): void {
  writeZipStored(
    file,
    (function* () {
      for (const e of entries) yield { name: `${e.id}.npy`, data: encodeNpy(e.data, e.shape) };
    })(),
  );
}
