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
 * Mini-batch k-means (Sculley 2010) as scikit-learn's `MiniBatchKMeans`: each step draws `batchSize` points with
 * replacement, assigns them to the nearest centre and moves each centre to the running mean of all points it has been
 * given (per-centre learning rate 1/count). Centres that get too few points are re-seeded from random batch points.
 * Stops when the exponentially weighted batch inertia has not improved for `maxNoImprovement` steps.
 */
export function miniBatch(
  ws: Workspace,
  init: Float64Array,
  k: number,
  key: Key,
  o: MiniBatchOptions,
): MiniBatchResult {
  const { n, dim, x } = ws;
  const b = o.batchSize;
  const steps = Math.ceil((o.maxIter * n) / b);
  const centres = Float64Array.from(init);
  const counts = new Float64Array(k);
  const sums = new Float64Array(k * dim);
  const got = new Float64Array(k);
  const alpha = Math.min(1, (2 * b) / (n + 1));
  let ewa = Number.NaN;
  let best = Number.POSITIVE_INFINITY;
  let noImprovement = 0;
  let sinceReassign = 0;
  let step = 0;
  let converged = false;
  for (; step < steps; step++) {
    const sk = rng.foldIn(key, step);
    const batch = randomIndices(sk, b, n);
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
    sinceReassign++;
    if (o.reassignmentRatio > 0 && sinceReassign > (10 * k) / b) {
      sinceReassign = 0;
      let max = 0;
      for (let j = 0; j < k; j++) if (counts[j]! > max) max = counts[j]!;
      const starved: number[] = [];
      for (let j = 0; j < k; j++) if (counts[j]! < o.reassignmentRatio * max) starved.push(j);
      const take = starved.slice(0, Math.floor(0.5 * b));
      if (take.length > 0) {
        let minKept = Number.POSITIVE_INFINITY;
        for (let j = 0; j < k; j++) if (!take.includes(j) && counts[j]! < minKept) minKept = counts[j]!;
        const picks = uniform53(rng.foldIn(sk, "reassign"), take.length);
        take.forEach((j, t) => {
          const i = batch[Math.floor(picks[t]! * b)]!;
          for (let d = 0; d < dim; d++) centres[j * dim + d] = x[i * dim + d]!;
          counts[j] = Number.isFinite(minKept) ? minKept : 0;
        });
      }
    }
    const batchInertia = inertia / b;
    o.onStep?.(step + 1, steps, batchInertia);
    ewa = Number.isNaN(ewa) ? batchInertia : ewa * (1 - alpha) + batchInertia * alpha;
    if (ewa < best) {
      best = ewa;
      noImprovement = 0;
    } else if (++noImprovement >= o.maxNoImprovement) {
      converged = true;
      step++;
      break;
    }
  }
  return { centres, steps: step, converged };
}
