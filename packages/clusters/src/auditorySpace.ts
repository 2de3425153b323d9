import { existsSync, readFileSync } from "node:fs";
import { decodeSafetensors, encodeSafetensors, TavtError, tf, writeFileAtomic } from "@tavt/core";
import { kmeans } from "./kmeans";
import type { PointSet } from "./npy";
import { openNpyPoints } from "./npyFile";
import { assign } from "./predict";
import { kmeansStream, type StreamKMeansOptions } from "./stream";
import type { KMeansOptions, KMeansProgress } from "./types";
import { cutUnits, type FeatureSequence } from "./units";

/** The universal auditory semantic space M of section 3.2 and appendix D.1: K prototype audio features (cluster centres). */
export interface AuditorySpace {
  /** Centres m_1..m_K, row-major [k, dim]. */
  centers: Float32Array;
  k: number;
  dim: number;
  /** T: frames per unit (1 when the points were given already pooled). */
  unit: number;
  /** k-means inertia of the units around the centres. */
  inertia: number;
  seed: number;
  /** Where the audio came from (free text). */
  source: string;
  /** Units clustered and k-means iterations, where known. */
  n?: number;
  iterations?: number;
}

/** An auditory space just built, with how the fit went. */
export interface BuiltAuditorySpace extends AuditorySpace {
  n: number;
  iterations: number;
  converged: boolean;
  /** Seconds spent in k-means (not in cutting units). */
  seconds: number;
}

/** Options of `buildAuditorySpace`: K, the unit length T, seeds and restarts, and what the audio was (recorded). */
export interface AuditorySpaceOptions {
  /** K: prototypes (the paper's best is 100, Table 10). */
  k: number;
  /** T: frames per unit. Default 1 for points, 5 for sequences (config S's clip length). */
  unit?: number;
  nInit?: number;
  seed?: number;
  /** Mini-batch k-means with this batch size (for very many units). */
  miniBatch?: number;
  maxIter?: number;
  tol?: number;
  source?: string;
  kernel?: KMeansOptions["kernel"];
  onProgress?: (p: KMeansProgress) => void;
}

function fit(points: PointSet, unit: number, o: AuditorySpaceOptions): BuiltAuditorySpace {
  const seed = o.seed ?? 0;
  const start = performance.now();
  const r = kmeans(points.data, points.n, points.dim, {
    k: o.k,
    nInit: o.nInit,
    seed,
    miniBatch: o.miniBatch,
    maxIter: o.maxIter,
    tol: o.tol,
    kernel: o.kernel,
    onProgress: o.onProgress,
  });
  return {
    centers: r.centers,
    k: o.k,
    dim: points.dim,
    unit,
    inertia: r.inertia,
    seed,
    source: o.source ?? "unspecified",
    n: points.n,
    iterations: r.iterations,
    converged: r.converged,
    seconds: (performance.now() - start) / 1000,
  };
}

/**
 * Section 3.2 and appendix D.1: cut each video's audio features into units of T frames, mean-pool each unit (as clip pooling, eq. 1),
 * and cluster all units into K prototypes with k-means++ and Lloyd (or mini-batch k-means).
 *
 * @param sequences - Per-video audio features `{ data, frames, dim }` (row-major `[frames, dim]`).
 * @param options - `k` (the paper's K = 100), `unit` (T, default 5), `seed`, `nInit`, `source` (recorded).
 * @returns The space: the centres M `[K, dim]` with K, T, dim, source and inertia, for `saveAuditorySpace`.
 * @throws `TavtError` (from `@tavt/core`) `BAD_INPUT` for no sequences, sequences of different dims, non-finite values or K
 *   larger than the number of units.
 */
export function buildAuditorySpace(
  sequences: readonly FeatureSequence[],
  options: AuditorySpaceOptions,
): BuiltAuditorySpace {
  const unit = options.unit ?? 5;
  const units = cutUnits(sequences, unit);
  return fit(units, unit, options);
}

/**
 * An auditory space from points that are already units ([n, dim], e.g. a 2-D .npy of pooled audio features).
 *
 * @param points - The units, row-major `[n, dim]`.
 * @param options - K, and optionally the unit length T recorded (1 by default), seeds, restarts and mini-batch size.
 * @returns The centres M `[K, dim]`, with the inertia and what was fitted.
 * @throws `TavtError` (from `@tavt/core`) `BAD_INPUT` for non-finite values, K > n or bad k-means options.
 */
export function buildAuditorySpaceFromPoints(points: PointSet, options: AuditorySpaceOptions): BuiltAuditorySpace {
  return fit(points, options.unit ?? 1, options);
}

/** What `buildAuditorySpaceFromFile` adds: how the file was read. */
export interface StreamedAuditorySpace extends BuiltAuditorySpace {
  /** Rows held in memory at once, passes begun over the file, and rows read in all. */
  chunkRows: number;
  epochs: number;
  rowsRead: number;
}

/**
 * An auditory space from a 2-D `.npy` file of units [N, D] too large to hold in memory (the paper clusters 750k
 * Flickr videos): mini-batch k-means reading the file in chunks (`kmeansStream`), so memory holds one chunk.
 *
 * @param path - A 2-D `.npy` file of units `[N, D]` (little-endian float32 or float64).
 * @param options - K and the k-means options, plus `chunkBytes`, `blockRows` and `maxNoImprovement` of the streaming
 *   k-means.
 * @returns The auditory space, with the rows held per chunk, the passes begun over the file and the rows read.
 * @throws `TavtError` (from `@tavt/core`) `NOT_FOUND` for a missing file, `BAD_FILE` for a malformed one, `BAD_INPUT`
 *   for an array that is not 2-D or is empty, or bad options.
 */
export function buildAuditorySpaceFromFile(
  path: string,
  options: AuditorySpaceOptions & Pick<StreamKMeansOptions, "chunkBytes" | "blockRows" | "maxNoImprovement">,
): StreamedAuditorySpace {
  const file = openNpyPoints(path);
  try {
    const seed = options.seed ?? 0;
    const start = performance.now();
    const r = kmeansStream(file, {
      k: options.k,
      seed,
      batchSize: options.miniBatch,
      maxIter: options.maxIter,
      maxNoImprovement: options.maxNoImprovement,
      chunkBytes: options.chunkBytes,
      blockRows: options.blockRows,
      kernel: options.kernel,
      onProgress: options.onProgress,
    });
    return {
      centers: r.centers,
      k: r.k,
      dim: r.dim,
      unit: options.unit ?? 1,
      inertia: r.inertia,
      seed,
      source: options.source ?? path,
      n: r.n,
      iterations: r.steps,
      converged: r.converged,
      seconds: (performance.now() - start) / 1000,
      chunkRows: r.chunkRows,
      epochs: r.epochs,
      rowsRead: r.rowsRead,
    };
  } finally {
    file.close();
  }
}

/**
 * The prototype (nearest centre) of each unit of one sequence, cut as the space was built.
 *
 * @param space - An auditory space (built or loaded).
 * @param sequence - One video's audio features `{ data, frames, dim }`.
 * @returns The prototype of each of its units of T frames.
 * @throws `TavtError` (from `@tavt/core`) `BAD_INPUT` when the feature dims differ.
 */
export function assignUnits(space: AuditorySpace, sequence: FeatureSequence): Int32Array {
  if (sequence.dim !== space.dim) {
    throw new TavtError(
      "BAD_INPUT",
      `assignUnits: the sequence has feature dim ${sequence.dim} but the auditory space has ${space.dim} (dims mismatch)`,
      { field: "dim" },
    );
  }
  const units = cutUnits([sequence], space.unit);
  if (units.n === 0) return new Int32Array(0);
  return assign(units.data, units.n, units.dim, space.centers).labels;
}

const FORMAT = "tavt-auditory-space";

/**
 * Save an auditory space as safetensors (tensor "centers" [K, D] and string metadata), atomically.
 *
 * @param path - The safetensors file to write.
 * @param space - The space to save.
 * @throws `TavtError` (from `@tavt/core`) `BAD_INPUT` when the centres do not match `[k, dim]`.
 */
export function saveAuditorySpace(path: string, space: AuditorySpace): void {
  if (space.centers.length !== space.k * space.dim) {
    throw new TavtError(
      "BAD_INPUT",
      `saveAuditorySpace: centers have ${space.centers.length} values but [k=${space.k}, dim=${space.dim}] needs ${space.k * space.dim}`,
      { field: "centers" },
    );
  }
  const metadata: Record<string, string> = {
    format: FORMAT,
    K: String(space.k),
    T: String(space.unit),
    dim: String(space.dim),
    source: space.source,
    inertia: String(space.inertia),
    seed: String(space.seed),
  };
  if (space.n !== undefined) metadata.n = String(space.n);
  if (space.iterations !== undefined) metadata.iterations = String(space.iterations);
  const centers = tf.tensor2d(space.centers, [space.k, space.dim], "float32");
  try {
    writeFileAtomic(path, encodeSafetensors({ centers }, metadata));
  } finally {
    centers.dispose();
  }
}

/**
 * Load an auditory space saved by `saveAuditorySpace`; errors name the file and what is wrong.
 *
 * @param path - A file written by {@link saveAuditorySpace} (or `tavt clusters build`).
 * @returns The space: centres, K, T, dim, source and inertia.
 * @throws `TavtError` (from `@tavt/core`) `NOT_FOUND` for a missing file, `BAD_FILE` for a malformed one.
 */
export function loadAuditorySpace(path: string): AuditorySpace {
  if (!existsSync(path)) throw new TavtError("NOT_FOUND", `${path}: auditory space file not found`, { file: path });
  const { tensors, metadata } = decodeSafetensors(readFileSync(path), path);
  try {
    const centers = tensors.centers;
    if (!centers || centers.rank !== 2) {
      throw new TavtError("BAD_FILE", `${path}: expected a tensor "centers" [K, D]; this is not an auditory space`, {
        file: path,
      });
    }
    const [k, dim] = centers.shape as [number, number];
    const num = (field: string, integer: boolean): number => {
      const v = Number(metadata[field]);
      if (metadata[field] === undefined || !Number.isFinite(v) || (integer && !Number.isInteger(v))) {
        throw new TavtError("BAD_FILE", `${path}: metadata "${field}" is missing or not a number`, {
          file: path,
          field,
        });
      }
      return v;
    };
    if (num("K", true) !== k || num("dim", true) !== dim) {
      throw new TavtError(
        "BAD_FILE",
        `${path}: metadata says K=${metadata.K}, dim=${metadata.dim} but "centers" is [${k}, ${dim}]`,
        { file: path },
      );
    }
    const space: AuditorySpace = {
      centers: Float32Array.from(centers.dataSync() as Float32Array),
      k,
      dim,
      unit: num("T", true),
      inertia: num("inertia", false),
      seed: num("seed", true),
      source: metadata.source ?? "unspecified",
    };
    if (metadata.n !== undefined) space.n = num("n", true);
    if (metadata.iterations !== undefined) space.iterations = num("iterations", true);
    return space;
  } finally {
    for (const t of Object.values(tensors)) t.dispose();
  }
}
