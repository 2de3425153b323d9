import { TavtError } from "@tavt/core";
import type { H5 } from "./h5";
import { CheckedStore, type FeatureExpectation } from "./store";

type H5File = InstanceType<H5["File"]>;
type H5Dataset = InstanceType<H5["Dataset"]>;

const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/** Whether bytes at `at` are the HDF5 superblock signature. */
export function isHdf5SignatureAt(bytes: Uint8Array, at = 0): boolean {
  return SIGNATURE.every((b, i) => bytes[at + i] === b);
}

/** Whether in-memory bytes have the signature where the format allows it (byte 0, 512, 1024, 2048, ...). */
export function hasHdf5SignatureBytes(bytes: Uint8Array): boolean {
  for (let at = 0; at + 8 <= bytes.length; at = at === 0 ? 512 : at * 2) if (isHdf5SignatureAt(bytes, at)) return true;
  return false;
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
 * commonly released MSR-VTT/MSVD feature files. Reads go through h5wasm (its Node build opens the file on the
 * real file system; a browser's, from its memory): opening reads the object headers it needs, `read(id)` reads
 * that one dataset. `Hdf5Store.open` (a path, Node) and `openFeatureBytes` (bytes) open one.
 */
export class Hdf5FeatureStore extends CheckedStore {
  readonly path: string;
  readonly format = "hdf5" as const;
  private readonly file: H5File;
  private readonly group: string;
  private readonly names: Set<string>;
  private readonly h5: H5;

  private readonly onClose: (() => void) | null;

  /** `path` names the file in errors; `onClose` runs after the file is closed (a staged copy is removed). */
  constructor(
    path: string,
    h5mod: H5,
    file: H5File,
    group: string,
    expect: FeatureExpectation,
    onClose: (() => void) | null = null,
  ) {
    super(expect);
    this.path = path;
    this.onClose = onClose;
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
    this.onClose?.();
  }
}
