import { type Key, rng } from "@tavt/core";
import { randomIndices, uniform53 } from "./random";
import type { Workspace } from "./workspace";

export interface MiniBatchOptions {
  batchSize: number;
  /** Epochs: the run makes at most ceil(maxIter * n / batchSize) steps. */
  maxIter: number;
  maxNoImprovement: number;
  /** Centres whose count falls below this fraction of the largest count are re-seeded from the batch. */
  reassignmentRatio: number;
  onStep?: (step: number, steps: number, batchInertia: number) => void;
}

export interface MiniBatchResult {
  centres: Float64Array;
  steps: number;
  converged: boolean;
}

/**
 * The state of mini-batch k-means (Sculley 2010, as scikit-learn's `MiniBatchKMeans`): centres, per-centre counts
 * and the smoothed batch inertia that decides when to stop. `step` takes one batch of rows of the workspace, wherever
 * they came from (sampled in memory, or a chunk of a file read in pieces).
 */
export class MiniBatchState {
  readonly centres: Float64Array;
  readonly k: number;
  readonly dim: number;
  readonly counts: Float64Array;
  readonly sums: Float64Array;
  readonly got: Float64Array;
  private readonly alpha: number;
  private readonly reassignmentRatio: number;
  private readonly maxNoImprovement: number;
  private ewa = Number.NaN;
  private best = Number.POSITIVE_INFINITY;
  private noImprovement = 0;
  private sinceReassign = 0;

  /** `n`: points in the whole data set (sets the smoothing of the batch inertia, 2 b / (n + 1) as scikit-learn). */
  constructor(
    init: Float64Array,
    k: number,
    dim: number,
    n: number,
    batchSize: number,
    o: { reassignmentRatio: number; maxNoImprovement: number },
  ) {
    this.centres = Float64Array.from(init);
    this.k = k;
    this.dim = dim;
    this.counts = new Float64Array(k);
    this.sums = new Float64Array(k * dim);
    this.got = new Float64Array(k);
    this.alpha = Math.min(1, (2 * batchSize) / (n + 1));
    this.reassignmentRatio = o.reassignmentRatio;
    this.maxNoImprovement = o.maxNoImprovement;
  }

  /**
   * One step on the rows `batch[0..b-1]` of the workspace: assign each to its nearest centre and move each centre to
   * the running mean of all points it has been given (per-centre learning rate 1/count); every ~10 k / b steps,
   * re-seed starved centres from random batch points. Returns the mean squared distance of the batch (before the
   * move) and whether the smoothed batch inertia has not improved for `maxNoImprovement` steps.
   */
  step(ws: Workspace, batch: Int32Array, b: number, key: Key): { batchInertia: number; stop: boolean } {
    const { k, dim, centres, counts, sums, got } = this;
    const x = ws.x;
    ws.setCentres(centres, k);
    sums.fill(0);
    got.fill(0);
    let inertia = 0;
    ws.nearest(batch, b, (from, m) => {
      for (let r = 0; r < m; r++) {
        const i = batch[from + r]!;
        const j = ws.best[r]!;
        inertia += ws.d1[r]!;
        got[j]! += 1;
        const so = j * dim;
        const xo = i * dim;
        for (let d = 0; d < dim; d++) sums[so + d]! += x[xo + d];
      }
    });
    for (let j = 0; j < k; j++) {
      const g = got[j]!;
      if (g === 0) continue;
      const total = counts[j]! + g;
      for (let d = 0; d < dim; d++) {
        centres[j * dim + d] = (centres[j * dim + d]! * counts[j]! + sums[j * dim + d]!) / total;
      }
      counts[j] = total;
    }
    // Re-seed starved centres from random batch points, as scikit-learn does every ~10 k / b steps.
    this.sinceReassign++;
    if (this.reassignmentRatio > 0 && this.sinceReassign > (10 * k) / b) {
      this.sinceReassign = 0;
      let max = 0;
      for (let j = 0; j < k; j++) if (counts[j]! > max) max = counts[j]!;
      const starved: number[] = [];
      for (let j = 0; j < k; j++) if (counts[j]! < this.reassignmentRatio * max) starved.push(j);
      const take = starved.slice(0, Math.floor(0.5 * b));
      if (take.length > 0) {
        let minKept = Number.POSITIVE_INFINITY;
        for (let j = 0; j < k; j++) if (!take.includes(j) && counts[j]! < minKept) minKept = counts[j]!;
        const picks = uniform53(rng.foldIn(key, "reassign"), take.length);
        take.forEach((j, t) => {
          const i = batch[Math.floor(picks[t]! * b)]!;
          for (let d = 0; d < dim; d++) centres[j * dim + d] = x[i * dim + d]!;
          counts[j] = Number.isFinite(minKept) ? minKept : 0;
        });
      }
    }
    const batchInertia = inertia / b;
    this.ewa = Number.isNaN(this.ewa) ? batchInertia : this.ewa * (1 - this.alpha) + batchInertia * this.alpha;
    let stop = false;
    if (this.ewa < this.best) {
      this.best = this.ewa;
      this.noImprovement = 0;
    } else if (++this.noImprovement >= this.maxNoImprovement) {
      stop = true;
    }
    return { batchInertia, stop };
  }
}

/**
 * Mini-batch k-means over data held in the workspace: each step draws `batchSize` points with replacement and makes
 * one `MiniBatchState` step. Stops when the exponentially weighted batch inertia has not improved for
 * `maxNoImprovement` steps.
 */
export function miniBatch(
  ws: Workspace,
  init: Float64Array,
  k: number,
  key: Key,
  o: MiniBatchOptions,
): MiniBatchResult {
  const { n, dim } = ws;
  const b = o.batchSize;
  const steps = Math.ceil((o.maxIter * n) / b);
  const state = new MiniBatchState(init, k, dim, n, b, o);
  let step = 0;
  let converged = false;
  for (; step < steps; step++) {
    const sk = rng.foldIn(key, step);
    const batch = randomIndices(sk, b, n);
    const { batchInertia, stop } = state.step(ws, batch, b, sk);
    o.onStep?.(step + 1, steps, batchInertia);
    if (stop) {
      converged = true;
      step++;
      break;
    }
  }
  return { centres: state.centres, steps: step, converged };
}
