import { rng, TavtError } from "@tavt/core";
import type { KernelChoice } from "./kernels/kernels";
import { inertiaOf, initCenters } from "./kmeans";
import { MiniBatchState } from "./miniBatch";
import { randomIndices } from "./random";
import type { KMeansProgress } from "./types";
import { checkK, checkPositiveInt } from "./validate";
import { allIndices, Workspace } from "./workspace";

/** Points read in pieces: N rows of dimension D, any range of which can be copied into a buffer. */
export interface PointSource {
  /** Names the source in errors (a file path). */
  name: string;
  n: number;
  dim: number;
  /** Copy rows `start..start+count-1` (row-major float32) into `out[0 .. count*dim)`. */
  read(start: number, count: number, out: Float32Array): void;
}

/** Options of `kmeansStream`: K, the mini-batch size, the chunk size read from the file, seeds and stopping. */
export interface StreamKMeansOptions {
  /** Number of clusters (1 <= k <= n). */
  k: number;
  /** Seed of every random choice. Default 0. */
  seed?: number;
  /** Points per mini-batch step. Default 1024 (scikit-learn's default). */
  batchSize?: number;
  /** Most passes over the data. Default 100 (scikit-learn's `max_iter`); the stopping rule usually ends far sooner. */
  maxIter?: number;
  /** Stop after this many steps without improvement of the smoothed batch inertia. Default 10. */
  maxNoImprovement?: number;
  /** Bytes of points held at once (one chunk); rounded to whole blocks. Default 64 MiB. */
  chunkBytes?: number;
  /** Rows per contiguous read; a chunk gathers randomly chosen blocks. Default 1024. */
  blockRows?: number;
  /** Candidates per k-means++ step; default 2 + floor(ln k). */
  localTrials?: number;
  kernel?: KernelChoice;
  onProgress?: (p: KMeansProgress) => void;
}

/** What `kmeansStream` returns: the centres, the inertia, the steps and passes taken, and the rows read. */
export interface StreamKMeansResult {
  /** Centres, row-major [k, dim]. */
  centers: Float32Array;
  /** Sum over all N points of the squared distance to the nearest centre (a last full pass, float64). */
  inertia: number;
  /** Mini-batch steps made. */
  steps: number;
  /** Passes over the data begun (the last one may stop part-way). */
  epochs: number;
  /** Whether the smoothed batch inertia stopped improving before `maxIter` passes. */
  converged: boolean;
  n: number;
  dim: number;
  k: number;
  /** Rows held in memory at once. */
  chunkRows: number;
  /** Rows read from the source in all (k-means++ sample, mini-batch passes, the final inertia pass). */
  rowsRead: number;
}

/** Throw BAD_INPUT naming the source, row and column of the first non-finite value of `rows` rows read at `start`. */
function checkFinite(source: PointSource, x: Float32Array, at: number, rows: number, start: number): void {
  const dim = source.dim;
  const end = (at + rows) * dim;
  for (let i = at * dim; i < end; i++) {
    const v = x[i]!;
    if (!Number.isFinite(v)) {
      const r = Math.floor(i / dim);
      const row = start + r - at;
      const column = i - r * dim;
      throw new TavtError(
        "BAD_INPUT",
        `${source.name}: ${Number.isNaN(v) ? "NaN" : v > 0 ? "+Infinity" : "-Infinity"} at row ${row}, column ${column}; k-means needs finite values`,
        { file: source.name, row, column },
      );
    }
  }
}

/** `count` distinct row indices of [0, n), ascending (fewer draws than a permutation of n when n is large). */
function distinctRows(key: readonly [number, number], count: number, n: number): Int32Array {
  if (count >= n) return allIndices(n);
  const seen = new Set<number>();
  for (let round = 0; seen.size < count; round++) {
    const draw = randomIndices(rng.foldIn(key, round), 2 * (count - seen.size), n);
    for (let i = 0; i < draw.length && seen.size < count; i++) seen.add(draw[i]!);
  }
  return Int32Array.from([...seen].sort((a, b) => a - b));
}

/**
 * Mini-batch k-means (Sculley 2010, the update rule of scikit-learn's `MiniBatchKMeans`) over points read in chunks,
 * so that a file far larger than memory can be clustered: memory holds one chunk (`chunkBytes`) and the centres.
 * k-means++ runs on 3 * max(batch, k) distinct random rows (as scikit-learn initialises mini-batch k-means); each pass
 * then cuts the N rows into blocks of `blockRows`, visits the blocks in a fresh random order, gathers them chunk by
 * chunk, and takes the mini-batches from a random permutation of each chunk's rows (sampling without replacement
 * within a pass). A last pass over all rows gives the inertia. Seeded and deterministic.
 *
 * @param source - Where the points come from, chunk by chunk (a `.npy` file read in pieces, never whole).
 * @param options - K, the mini-batch size, seeds and stopping.
 * @returns The centres, the inertia, the steps taken and the rows read.
 */
export function kmeansStream(source: PointSource, options: StreamKMeansOptions): StreamKMeansResult {
  const fn = "kmeansStream";
  const { n, dim, k } = { n: source.n, dim: source.dim, k: options.k };
  checkPositiveInt(fn, "n", n);
  checkPositiveInt(fn, "dim", dim);
  checkK(fn, k, n);
  const b = options.batchSize ?? 1024;
  checkPositiveInt(fn, "batchSize", b);
  const maxIter = options.maxIter ?? 100;
  checkPositiveInt(fn, "maxIter", maxIter);
  const maxNoImprovement = options.maxNoImprovement ?? 10;
  checkPositiveInt(fn, "maxNoImprovement", maxNoImprovement);
  const blockRows = Math.min(options.blockRows ?? 1024, n);
  checkPositiveInt(fn, "blockRows", blockRows);
  const chunkBytes = options.chunkBytes ?? 64 * 1024 * 1024;
  checkPositiveInt(fn, "chunkBytes", chunkBytes);
  const progress = options.onProgress;
  const keys = rng.splitNamed(rng.key(options.seed ?? 0), ["init", "subsample", "batches"]);
  let rowsRead = 0;

  // k-means++ on a random sample of rows, read one by one.
  const rows = distinctRows(keys.subsample, Math.min(n, 3 * Math.max(b, k)), n);
  const sample = new Float32Array(rows.length * dim);
  for (let r = 0; r < rows.length; r++) source.read(rows[r]!, 1, sample.subarray(r * dim, (r + 1) * dim));
  rowsRead += rows.length;
  for (let r = 0; r < rows.length; r++) checkFinite(source, sample, r, 1, rows[r]!);
  const init = initCenters(sample, rows.length, dim, {
    k,
    seed: options.seed ?? 0,
    localTrials: options.localTrials,
    kernel: options.kernel,
    onProgress: progress,
  });

  // Chunk: whole blocks, at least one block and one batch, at most the data.
  const blocks = Math.ceil(n / blockRows);
  const perChunk = Math.min(
    blocks,
    Math.max(1, Math.floor(chunkBytes / (4 * dim * blockRows)), Math.ceil(b / blockRows)),
  );
  const chunkRows = Math.min(n, perChunk * blockRows);
  const ws = new Workspace(new Float32Array(0), chunkRows, dim, k, 0, options.kernel);
  const x = ws.x;
  const state = new MiniBatchState(Float64Array.from(init), k, dim, n, b, {
    reassignmentRatio: 0.01,
    maxNoImprovement,
  });
  const maxSteps = Math.ceil((maxIter * n) / b);
  let steps = 0;
  let epochs = 0;
  let converged = false;
  const readBlock = (block: number, at: number): number => {
    const start = block * blockRows;
    const count = Math.min(blockRows, n - start);
    source.read(start, count, x.subarray(at * dim, (at + count) * dim));
    checkFinite(source, x, at, count, start);
    rowsRead += count;
    return count;
  };

  for (let epoch = 0; epoch < maxIter && !converged; epoch++) {
    epochs++;
    const ek = rng.foldIn(keys.batches, epoch);
    const order = rng.permutation(rng.foldIn(ek, "blocks"), blocks);
    for (let c = 0; c * perChunk < blocks && !converged; c++) {
      let filled = 0;
      for (let j = c * perChunk; j < Math.min(blocks, (c + 1) * perChunk); j++) filled += readBlock(order[j]!, filled);
      ws.refreshNorms(0, filled);
      const perm = rng.permutation(rng.foldIn(ek, c), filled);
      for (let s = 0; s < filled; s += b) {
        const m = Math.min(b, filled - s);
        const { batchInertia, stop } = state.step(ws, perm.subarray(s, s + m), m, rng.foldIn(ek, `step${steps}`));
        steps++;
        progress?.({ phase: "mini-batch", run: 0, runs: 1, step: steps, of: maxSteps, batchInertia });
        if (stop) {
          converged = true;
          break;
        }
      }
    }
  }

  // Inertia: a last pass in file order.
  const centres = state.centres;
  ws.setCentres(centres, k);
  const labels = new Int32Array(chunkRows);
  const all = allIndices(chunkRows);
  let inertia = 0;
  for (let start = 0; start < n; start += chunkRows) {
    const count = Math.min(chunkRows, n - start);
    source.read(start, count, x.subarray(0, count * dim));
    checkFinite(source, x, 0, count, start);
    rowsRead += count;
    ws.refreshNorms(0, count);
    ws.nearest(all, count, (from, m) => {
      for (let r = 0; r < m; r++) labels[from + r] = ws.best[r]!;
    });
    inertia += inertiaOf(x, count, dim, centres, labels);
  }
  progress?.({ phase: "run-done", run: 0, runs: 1, inertia, iterations: steps });
  return {
    centers: Float32Array.from(centres),
    inertia,
    steps,
    epochs,
    converged,
    n,
    dim,
    k,
    chunkRows,
    rowsRead,
  };
}

/**
 * A point set held in memory as a `PointSource` (tests, and callers that have the points already).
 *
 * @param data - The points, row-major `[n, dim]`.
 * @param n - The number of points.
 * @param dim - Their dimension.
 * @param name - The source's name, for messages ("points" by default).
 * @returns A `PointSource` reading from `data`.
 * @throws `TavtError` (from `@tavt/core`) `BAD_INPUT` when `data` does not hold n * dim values.
 */
export function memoryPoints(data: Float32Array, n: number, dim: number, name = "points"): PointSource {
  if (data.length !== n * dim) {
    throw new TavtError("BAD_INPUT", `${name}: ${data.length} values but [n=${n}, dim=${dim}] needs ${n * dim}`);
  }
  return {
    name,
    n,
    dim,
    read(start, count, out) {
      out.set(data.subarray(start * dim, (start + count) * dim));
    },
  };
}
