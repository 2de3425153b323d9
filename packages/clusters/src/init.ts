import { type Key, rng } from "@tavt/core";
import { randomIndices, uniform53 } from "./random";
import type { Workspace } from "./workspace";

export interface PlusPlusOptions {
  /** Candidates drawn per step (scikit-learn: 2 + floor(ln k)). */
  localTrials: number;
  /** Skip points the triangle inequality proves no candidate can bring closer. */
  accelerate: boolean;
  onStep?: (step: number) => void;
}

/**
 * The k-means++ candidates per step scikit-learn uses: 2 + floor(ln k).
 *
 * @param k - The number of clusters.
 * @returns 2 + floor(ln k).
 */
export function defaultLocalTrials(k: number): number {
  return 2 + Math.floor(Math.log(k));
}

/** First index i with cum[i] >= v (numpy's searchsorted, side "left"), clipped to the last index. */
function searchSorted(cum: Float64Array, v: number): number {
  let lo = 0;
  let hi = cum.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cum[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return Math.min(lo, cum.length - 1);
}

/**
 * Greedy k-means++ (Arthur and Vassilvitskii 2007, in scikit-learn's `_kmeans_plusplus` form): the first centre is a
 * uniformly random point; each next one is the best of `localTrials` points drawn with probability proportional to
 * their squared distance to the nearest chosen centre, "best" meaning the lowest resulting potential.
 *
 * Acceleration (exact): a point x whose nearest centre is c_j at distance d_x cannot get closer to a candidate z with
 * ||z - c_j|| >= 2 d_x, so such points are skipped without changing the result (this pays in low dimension; in high
 * dimension distances concentrate and few points are skipped). Distances and gains come from the fused `ppStep` kernel.
 * Returns the centres, row-major [k, D] in float64.
 */
export function kmeansPlusPlus(ws: Workspace, k: number, key: Key, o: PlusPlusOptions): Float64Array {
  const { n, dim, x, closest, owner, limit, lp } = ws;
  const L = Math.max(1, Math.min(o.localTrials, n, lp));
  const centres = new Float64Array(k * dim);
  const keys = rng.splitNamed(key, ["first", "draws"]);
  const first = randomIndices(keys.first, 1, n)[0]!;
  for (let d = 0; d < dim; d++) centres[d] = x[first * dim + d]!;

  // Squared distances to the first centre: one step with the first centre as the only candidate.
  owner.fill(0);
  limit.fill(-1);
  closest.fill(Number.POSITIVE_INFINITY);
  const gains = new Float64Array(L);
  ws.plusPlusStep(centres, 1, gains);
  const out = ws.ppOut;
  for (let i = 0; i < n; i++) closest[i] = out[i * lp]!;
  o.onStep?.(1);

  const cum = new Float64Array(n);
  const candidates = new Float64Array(L * dim);
  for (let c = 1; c < k; c++) {
    let pot = 0;
    for (let i = 0; i < n; i++) {
      pot += closest[i]!;
      cum[i] = pot;
    }
    const u = uniform53(rng.foldIn(keys.draws, c), L);
    for (let l = 0; l < L; l++) {
      const id = searchSorted(cum, u[l]! * pot);
      for (let d = 0; d < dim; d++) candidates[l * dim + d] = x[id * dim + d]!;
    }
    // limit[j] = (min_l ||z_l - c_j|| / 2)^2: points of centre j no nearer than that cannot move.
    for (let j = 0; j < c; j++) {
      if (!o.accelerate) {
        limit[j] = -1;
        continue;
      }
      let best = Number.POSITIVE_INFINITY;
      for (let l = 0; l < L; l++) {
        let s = 0;
        for (let d = 0; d < dim; d++) {
          const diff = candidates[l * dim + d]! - centres[j * dim + d]!;
          s += diff * diff;
        }
        if (s < best) best = s;
      }
      limit[j] = best / 4;
    }
    ws.plusPlusStep(candidates, L, gains);
    // The candidate with the lowest resulting potential (pot - gain), the first on ties.
    let bestL = 0;
    for (let l = 1; l < L; l++) if (pot - gains[l]! < pot - gains[bestL]!) bestL = l;
    for (let d = 0; d < dim; d++) centres[c * dim + d] = candidates[bestL * dim + d]!;
    for (let i = 0; i < n; i++) {
      const ci = closest[i]!;
      if (ci <= limit[owner[i]!]!) continue;
      const v = out[i * lp + bestL]!;
      if (v < ci) {
        closest[i] = v;
        owner[i] = c;
      }
    }
    o.onStep?.(c + 1);
  }
  return centres;
}

/** k distinct points chosen uniformly at random (scikit-learn's init="random"). */
export function randomInit(ws: Workspace, k: number, key: Key): Float64Array {
  const { dim, x } = ws;
  const perm = rng.permutation(key, ws.n);
  const centres = new Float64Array(k * dim);
  for (let j = 0; j < k; j++) for (let d = 0; d < dim; d++) centres[j * dim + d] = x[perm[j]! * dim + d]!;
  return centres;
}
