import { TavtError } from "@tavt/core";
import type { KernelChoice } from "./kernels/kernels";
import { checkPoints } from "./validate";
import { allIndices, Workspace } from "./workspace";

/** Each point's nearest centre and its squared distance. */
export interface AssignResult {
  /** Index of each point's nearest centre (the first one on ties). */
  labels: Int32Array;
  /** Squared distance of each point to that centre. */
  distances: Float32Array;
}

/** How many centres of dimension `dim` a row-major array holds; BAD_INPUT if it is not a whole number of rows. */
function centreCount(fn: string, centers: Float32Array, dim: number): number {
  const k = centers.length / dim;
  if (!(Number.isInteger(k) && k >= 1)) {
    throw new TavtError(
      "BAD_INPUT",
      `${fn}: centers have ${centers.length} values, not a positive multiple of dim=${dim} (dims mismatch)`,
      { field: "centers" },
    );
  }
  return k;
}

/**
 * Nearest centre of each of `n` points (`data` [n, dim]) among the centres (`centers` [k, dim]).
 *
 * @param data - The points, row-major float32 `[n, dim]`.
 * @param n - The number of points.
 * @param dim - Their dimension.
 * @param centers - The centres, row-major `[k, dim]`.
 * @param options - `kernel`: WebAssembly or plain JavaScript distances.
 * @returns Each point's nearest centre (the first on ties) and its squared distance.
 * @throws `TavtError` (from `@tavt/core`) `BAD_INPUT` when `centers` is not a whole number of rows of `dim`, or for
 *   mismatched sizes or non-finite values.
 */
export function assign(
  data: Float32Array,
  n: number,
  dim: number,
  centers: Float32Array,
  options: { kernel?: KernelChoice } = {},
): AssignResult {
  const k = centreCount("assign", centers, dim);
  checkPoints("assign", "data", data, n, dim);
  checkPoints("assign", "centers", centers, k, dim);
  const ws = new Workspace(data, n, dim, k, 0, options.kernel);
  ws.setCentres(centers, k);
  const labels = new Int32Array(n);
  const distances = new Float32Array(n);
  const all = allIndices(n);
  ws.nearest(all, n, (from, m) => {
    for (let r = 0; r < m; r++) {
      labels[from + r] = ws.best[r]!;
      distances[from + r] = ws.d1[r]!;
    }
  });
  return { labels, distances };
}

/**
 * The labels of `assign` (scikit-learn's `predict`).
 *
 * @param data - The points, row-major float32 `[n, dim]`.
 * @param n - The number of points.
 * @param dim - Their dimension.
 * @param centers - The centres, row-major `[k, dim]` (a `kmeans` result's `centers`).
 * @param options - `kernel`: WebAssembly or plain JavaScript distances.
 * @returns Each point's nearest centre (the first on ties).
 */
export function predict(
  data: Float32Array,
  n: number,
  dim: number,
  centers: Float32Array,
  options: { kernel?: KernelChoice } = {},
): Int32Array {
  return assign(data, n, dim, centers, options).labels;
}

/**
 * All squared distances ||x_i - c_j||^2, [n, k] row-major, in the expanded form ||x||^2 - 2 x.c + ||c||^2 with the
 * dot products from the blocked kernel (clamped at 0).
 *
 * @param data - The points, row-major float32 `[n, dim]`.
 * @param n - The number of points.
 * @param dim - Their dimension.
 * @param centers - The centres, row-major `[k, dim]`.
 * @param options - `kernel`: WebAssembly or plain JavaScript distances.
 * @returns The squared distances, row-major `[n, k]`.
 * @throws `TavtError` (from `@tavt/core`) `BAD_INPUT` when `centers` is not a whole number of rows of `dim`, or for
 *   mismatched sizes or non-finite values.
 */
export function squaredDistances(
  data: Float32Array,
  n: number,
  dim: number,
  centers: Float32Array,
  options: { kernel?: KernelChoice } = {},
): Float32Array {
  const k = centreCount("squaredDistances", centers, dim);
  checkPoints("squaredDistances", "data", data, n, dim);
  checkPoints("squaredDistances", "centers", centers, k, dim);
  const ws = new Workspace(data, n, dim, k, 0, options.kernel);
  ws.setCentres(centers, k);
  const out = new Float32Array(n * k);
  const all = allIndices(n);
  const { kp, xn, cn } = ws;
  ws.dots(all, n, (from, m) => {
    const dp = ws.dp;
    for (let r = 0; r < m; r++) {
      const i = from + r;
      for (let j = 0; j < k; j++) {
        const v = xn[i]! + cn[j]! - 2 * dp[r * kp + j]!;
        out[i * k + j] = v > 0 ? v : 0;
      }
    }
  });
  return out;
}
