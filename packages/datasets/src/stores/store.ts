import { TavtError } from "@tavt/core";

/** The on-disk layouts a feature store can have. */
export type FeatureFormat = "npy" | "npz" | "hdf5" | "memory";

/** What to check every read against: features are `[frames, dim]`; unset fields are not checked. */
export interface FeatureExpectation {
  /** Feature dimension (dv or da). */
  dim?: number;
  /** Frames per video. */
  frames?: number;
}

/**
 * Per-video features of one modality (visual or audio), read lazily: opening reads only an index (a directory
 * listing, a zip central directory, an HDF5 object header), and `read(id)` reads that one video.
 */
export interface FeatureStore {
  /** The file or directory the features come from (named in every error). */
  readonly path: string;
  readonly format: FeatureFormat;
  /** Video ids held, sorted. */
  ids(): string[];
  has(id: string): boolean;
  /** `[frames, dim]` of one video, from its header only; checked against the store's expectation. */
  shape(id: string): [number, number];
  /** One video's features, row-major `[frames, dim]` float32; checked against the store's expectation. */
  read(id: string): Float32Array;
  /** Release file handles. */
  close(): void;
}

/** Shared id lookup and shape checks; a format supplies the raw shape and data of one entry. */
export abstract class CheckedStore implements FeatureStore {
  abstract readonly path: string;
  abstract readonly format: FeatureFormat;
  protected readonly expect: FeatureExpectation;

  constructor(expect: FeatureExpectation = {}) {
    this.expect = expect;
  }

  abstract ids(): string[];
  abstract has(id: string): boolean;
  /** Where one id's features live, for messages (a file, or a container plus member name). */
  protected abstract where(id: string): string;
  protected abstract rawShape(id: string): number[];
  protected abstract rawRead(id: string): Float32Array;
  abstract close(): void;

  protected missing(id: string): TavtError {
    return new TavtError("NOT_FOUND", `${this.path}: no features for video "${id}"`, { file: this.path, id });
  }

  shape(id: string): [number, number] {
    if (!this.has(id)) throw this.missing(id);
    return this.check(id, this.rawShape(id));
  }

  read(id: string): Float32Array {
    if (!this.has(id)) throw this.missing(id);
    const shape = this.check(id, this.rawShape(id));
    const data = this.rawRead(id);
    if (data.length !== shape[0] * shape[1]) {
      throw new TavtError(
        "BAD_FILE",
        `${this.where(id)}: video "${id}" holds ${data.length} values, its shape [${shape.join(", ")}] needs ${shape[0] * shape[1]}`,
        { file: this.path, id },
      );
    }
    return data;
  }

  private check(id: string, raw: number[]): [number, number] {
    const { dim, frames } = this.expect;
    const want = `[${frames ?? "frames"}, ${dim ?? "dim"}]`;
    if (raw.length !== 2) {
      throw new TavtError(
        "SHAPE_MISMATCH",
        `${this.where(id)}: video "${id}" has features of shape [${raw.join(", ")}], expected ${want}`,
        { file: this.path, id, shape: raw },
      );
    }
    const shape: [number, number] = [raw[0]!, raw[1]!];
    if ((dim !== undefined && shape[1] !== dim) || (frames !== undefined && shape[0] !== frames)) {
      throw new TavtError(
        "SHAPE_MISMATCH",
        `${this.where(id)}: video "${id}" has features of shape [${shape.join(", ")}], expected ${want}`,
        { file: this.path, id, shape, expected: { dim, frames } },
      );
    }
    return shape;
  }
}
