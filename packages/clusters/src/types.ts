import type { KernelChoice } from "./kernels/kernels";

/** A progress report from `kmeans` (and `buildAuditorySpace`); libraries never print, callers may. */
export type KMeansProgress =
  | { phase: "init"; run: number; runs: number; step: number; of: number }
  | {
      phase: "iteration";
      run: number;
      runs: number;
      iteration: number;
      /** Points whose label changed in this iteration. */
      changed: number;
      /** Sum over centres of the squared centre shift (compared with the tolerance). */
      shift: number;
    }
  | { phase: "mini-batch"; run: number; runs: number; step: number; of: number; batchInertia: number }
  | { phase: "run-done"; run: number; runs: number; inertia: number; iterations: number };

/** How the first centres are chosen. */
export type KMeansInit = "k-means++" | "random" | Float32Array | Float64Array;

/** Options of `kmeans`: K, seed, restarts, initialisation, iterations, tolerance, mini-batch, progress. */
export interface KMeansOptions {
  /** Number of clusters (1 <= k <= n). */
  k: number;
  /** Seed of every random choice (k-means++ draws, restarts, mini-batches). Default 0. */
  seed?: number;
  /** Restarts from different initialisations; the run with the lowest inertia is kept. Default 1. */
  nInit?: number;
  /** "k-means++" (default; the greedy variant of scikit-learn), "random" (k distinct points), or centres [k, D]. */
  init?: KMeansInit;
  /** Candidates per k-means++ step; default 2 + floor(ln k) as scikit-learn. */
  localTrials?: number;
  /** Most Lloyd iterations per run (or epochs over the data with `miniBatch`). Default 300. */
  maxIter?: number;
  /**
   * Relative tolerance: a run stops when the sum of squared centre shifts is at most tol times the mean of the
   * per-feature variances of the data (scikit-learn's semantics). Default 1e-4.
   */
  tol?: number;
  /** Mini-batch k-means with batches of this many points (for large N); full-batch Lloyd when absent. */
  miniBatch?: number;
  /** Mini-batch: stop after this many steps without improvement of the smoothed batch inertia. Default 10. */
  maxNoImprovement?: number;
  /**
   * Skip distance computations the triangle inequality proves unnecessary (Hamerly's bounds in Lloyd, pruned
   * k-means++). The iterates are those of plain Lloyd; false computes every distance. Default true.
   */
  accelerate?: boolean;
  /** "auto" (WebAssembly SIMD where supported), "wasm" or "js". */
  kernel?: KernelChoice;
  onProgress?: (p: KMeansProgress) => void;
}

/** What `kmeans` returns: the centres `[k, dim]`, each point's label, the inertia and the iterations. */
export interface KMeansResult {
  /** Centres, row-major [k, dim]. */
  centers: Float32Array;
  /** Index of each point's nearest centre. */
  labels: Int32Array;
  /** Sum of squared distances of the points to their centres (accumulated in float64). */
  inertia: number;
  /** Lloyd iterations (or mini-batch steps) of the kept run. */
  iterations: number;
  /** Whether the kept run met the tolerance (or its labels stopped changing) before maxIter. */
  converged: boolean;
  /** Number of runs made (nInit) and which one was kept. */
  nInitUsed: number;
  bestRun: number;
  k: number;
  dim: number;
}
