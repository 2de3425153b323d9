import { type Key, rng, TavtError } from "@tavt/core";
import { defaultLocalTrials, kmeansPlusPlus, randomInit } from "./init";
import { lloyd } from "./lloyd";
import { miniBatch } from "./miniBatch";
import type { KMeansInit, KMeansOptions, KMeansResult } from "./types";
import { checkK, checkPoints, checkPositiveInt } from "./validate";
import { allIndices, Workspace } from "./workspace";

/**
 * Mean over features of the per-feature (population) variance; scikit-learn scales `tol` by it.
 *
 * @param data - The points, row-major `[n, dim]`.
 * @param n - The number of points.
 * @param dim - Their dimension.
 * @returns The mean over the `dim` features of each feature's population variance.
 */
export function meanVariance(data: Float32Array, n: number, dim: number): number {
  const mean = new Float64Array(dim);
  for (let i = 0; i < n; i++) for (let d = 0; d < dim; d++) mean[d]! += data[i * dim + d];
  for (let d = 0; d < dim; d++) mean[d]! /= n;
  let total = 0;
  for (let i = 0; i < n; i++) {
    for (let d = 0; d < dim; d++) {
      const v = data[i * dim + d]! - mean[d]!;
      total += v * v;
    }
  }
  return total / n / dim;
}

/**
 * Sum of squared distances of the points to their labelled centres, accumulated in float64 (direct form).
 *
 * @param data - The points, row-major `[n, dim]`.
 * @param n - The number of points.
 * @param dim - Their dimension.
 * @param centres - The centres, row-major `[k, dim]`.
 * @param labels - Each point's centre index.
 * @returns The sum over points of the squared distance to their centre.
 */
export function inertiaOf(
  data: Float32Array,
  n: number,
  dim: number,
  centres: Float32Array | Float64Array,
  labels: Int32Array,
): number {
  let total = 0;
  for (let i = 0; i < n; i++) {
    const xo = i * dim;
    const co = labels[i]! * dim;
    let s = 0;
    for (let d = 0; d < dim; d++) {
      const v = data[xo + d]! - centres[co + d]!;
      s += v * v;
    }
    total += s;
  }
  return total;
}

interface InitChoice {
  init: KMeansInit;
  localTrials: number;
  accelerate: boolean;
  miniBatch: number | undefined;
  kernel: KMeansOptions["kernel"];
  onStep?: (step: number) => void;
}

/** The initial centres of one run (keys: that run's "init" and "subsample" keys). */
function initialCentres(
  ws: Workspace,
  k: number,
  keys: Record<"init" | "subsample", Key>,
  o: InitChoice,
): Float64Array {
  const { n, dim } = ws;
  if (typeof o.init !== "string") return Float64Array.from(o.init);
  if (o.init === "random") return randomInit(ws, k, keys.init);
  if (o.miniBatch !== undefined && n > 3 * Math.max(o.miniBatch, k)) {
    // scikit-learn's MiniBatchKMeans initialises on a random subset of 3 * max(batch, k) points.
    const size = 3 * Math.max(o.miniBatch, k);
    const perm = rng.permutation(keys.subsample, n).subarray(0, size);
    const sub = new Float32Array(size * dim);
    for (let r = 0; r < size; r++) sub.set(ws.x.subarray(perm[r]! * dim, perm[r]! * dim + dim), r * dim);
    const subWs = new Workspace(sub, size, dim, k, o.localTrials, o.kernel);
    return kmeansPlusPlus(subWs, k, keys.init, {
      localTrials: o.localTrials,
      accelerate: o.accelerate,
      onStep: o.onStep,
    });
  }
  return kmeansPlusPlus(ws, k, keys.init, { localTrials: o.localTrials, accelerate: o.accelerate, onStep: o.onStep });
}

/** Nearest-centre labels of all points for the centres loaded in the workspace. */
function labelAll(ws: Workspace): Int32Array {
  const labels = new Int32Array(ws.n);
  const all = allIndices(ws.n);
  ws.nearest(all, ws.n, (from, m) => {
    for (let r = 0; r < m; r++) labels[from + r] = ws.best[r]!;
  });
  return labels;
}

interface Checked {
  k: number;
  nInit: number;
  maxIter: number;
  tol: number;
  localTrials: number;
  init: KMeansInit;
  accelerate: boolean;
  seedKey: Key;
}

/** Validate data and options (BAD_INPUT naming the field) and fill in the defaults. */
function checkOptions(fn: string, data: Float32Array, n: number, dim: number, options: KMeansOptions): Checked {
  const k = options.k;
  checkPoints(fn, "data", data, n, dim);
  checkK(fn, k, n);
  const nInit = options.nInit ?? 1;
  checkPositiveInt(fn, "nInit", nInit);
  const maxIter = options.maxIter ?? 300;
  checkPositiveInt(fn, "maxIter", maxIter);
  const tol = options.tol ?? 1e-4;
  if (!(tol >= 0 && Number.isFinite(tol))) {
    throw new TavtError("BAD_INPUT", `${fn}: tol must be a finite number >= 0, got ${tol}`, { field: "tol" });
  }
  const localTrials = options.localTrials ?? defaultLocalTrials(k);
  checkPositiveInt(fn, "localTrials", localTrials);
  if (options.miniBatch !== undefined) checkPositiveInt(fn, "miniBatch", options.miniBatch);
  const init = options.init ?? "k-means++";
  if (typeof init !== "string") {
    if (init.length !== k * dim) {
      throw new TavtError(
        "BAD_INPUT",
        `${fn}: init centres have ${init.length} values but [k=${k}, dim=${dim}] needs ${k * dim} (dims mismatch)`,
        { field: "init" },
      );
    }
    checkPoints(fn, "init", init, k, dim);
  } else if (init !== "k-means++" && init !== "random") {
    throw new TavtError("BAD_INPUT", `${fn}: init must be "k-means++", "random" or centres [k, dim], got "${init}"`, {
      field: "init",
    });
  }
  const seedKey = rng.key(options.seed ?? 0);
  return { k, nInit, maxIter, tol, localTrials, init, accelerate: options.accelerate ?? true, seedKey };
}

/** The keys of run `run`: its initialisation, mini-batches and mini-batch initialisation subsample. */
function runKeys(seedKey: Key, run: number) {
  return rng.splitNamed(rng.foldIn(seedKey, run), ["init", "batches", "subsample"]);
}

/**
 * The initial centres ([k, dim]) that run `run` (default 0) of `kmeans` with the same data and options starts from:
 * k-means++ (as scikit-learn's `kmeans_plusplus`), random points, or the given centres.
 *
 * @param data - The points, row-major float32 `[n, dim]`.
 * @param n - The number of points.
 * @param dim - Their dimension.
 * @param options - The `kmeans` options, and `run`: which of the `nInit` runs (0 by default).
 * @returns The initial centres, row-major `[k, dim]`.
 * @throws `TavtError` (from `@tavt/core`) `BAD_INPUT` for non-finite values, k > n, mismatched sizes or bad options.
 */
export function initCenters(
  data: Float32Array,
  n: number,
  dim: number,
  options: KMeansOptions & { run?: number },
): Float32Array {
  const c = checkOptions("initCenters", data, n, dim, options);
  const ws = new Workspace(data, n, dim, c.k, c.init === "k-means++" ? c.localTrials : 0, options.kernel);
  const centres = initialCentres(ws, c.k, runKeys(c.seedKey, options.run ?? 0), {
    init: c.init,
    localTrials: c.localTrials,
    accelerate: c.accelerate,
    miniBatch: options.miniBatch,
    kernel: options.kernel,
  });
  return Float32Array.from(centres);
}

/**
 * k-means clustering of `n` points of dimension `dim` (row-major float32 `data`, [n, dim]) into `options.k` clusters:
 * k-means++ (greedy, as scikit-learn) or random or given initial centres, then Lloyd iterations (or mini-batch steps
 * when `miniBatch` is set), `nInit` times from different seeds, keeping the run with the lowest inertia.
 * Seeded and deterministic. Throws TavtError BAD_INPUT for non-finite values, k > n or mismatched sizes.
 *
 * @param data - The points, row-major float32 `[n, dim]`.
 * @param n - The number of points.
 * @param dim - Their dimension.
 * @param options - `k`, and optionally `seed`, `nInit`, `maxIter`, `tol`, `init`, `miniBatch`, `onProgress`.
 * @returns The centres `[k, dim]`, each point's label, the inertia and the iterations of the best run.
 * @throws `TavtError` (from `@tavt/core`) `BAD_INPUT` for non-finite values (naming the row and column), k > n or mismatched sizes.
 * @example
 * ```ts
 * const r = kmeans(new Float32Array([0, 0, 0, 1, 9, 9, 9, 8]), 4, 2, { k: 2, seed: 0 });
 * console.log(r.labels, r.inertia); // the two pairs in two clusters
 * ```
 */
export function kmeans(data: Float32Array, n: number, dim: number, options: KMeansOptions): KMeansResult {
  const { k, nInit, maxIter, tol, localTrials, init, accelerate, seedKey } = checkOptions(
    "kmeans",
    data,
    n,
    dim,
    options,
  );
  const progress = options.onProgress;
  const ws = new Workspace(data, n, dim, k, init === "k-means++" ? localTrials : 0, options.kernel);
  const tolAbs = tol * meanVariance(data, n, dim);

  let best: KMeansResult | null = null;
  for (let run = 0; run < nInit; run++) {
    const keys = runKeys(seedKey, run);
    const initial = initialCentres(ws, k, keys, {
      init,
      localTrials,
      accelerate,
      miniBatch: options.miniBatch,
      kernel: options.kernel,
      onStep: progress ? (step) => progress({ phase: "init", run, runs: nInit, step, of: k }) : undefined,
    });
    let centres: Float64Array;
    let iterations: number;
    let converged: boolean;
    let labels: Int32Array;
    if (options.miniBatch !== undefined) {
      const r = miniBatch(ws, initial, k, keys.batches, {
        batchSize: options.miniBatch,
        maxIter,
        maxNoImprovement: options.maxNoImprovement ?? 10,
        reassignmentRatio: 0.01,
        onStep: progress
          ? (step, of, batchInertia) => progress({ phase: "mini-batch", run, runs: nInit, step, of, batchInertia })
          : undefined,
      });
      centres = r.centres;
      iterations = r.steps;
      converged = r.converged;
      ws.setCentres(centres, k);
      labels = labelAll(ws);
    } else {
      const r = lloyd(ws, initial, k, {
        maxIter,
        tolAbs,
        accelerate,
        onIteration: progress
          ? (iteration, changed, shift) => progress({ phase: "iteration", run, runs: nInit, iteration, changed, shift })
          : undefined,
      });
      centres = r.centres;
      iterations = r.iterations;
      converged = r.converged;
      labels = r.labels;
    }
    const inertia = inertiaOf(ws.x, n, dim, centres, labels);
    progress?.({ phase: "run-done", run, runs: nInit, inertia, iterations });
    if (best === null || inertia < best.inertia) {
      best = {
        centers: Float32Array.from(centres),
        labels,
        inertia,
        iterations,
        converged,
        nInitUsed: nInit,
        bestRun: run,
        k,
        dim,
      };
    }
  }
  return best!;
}
