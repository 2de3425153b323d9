import { allIndices, type Workspace } from "./workspace";

export interface LloydOptions {
  maxIter: number;
  /** Absolute tolerance on the sum of squared centre shifts. */
  tolAbs: number;
  accelerate: boolean;
  onIteration?: (iteration: number, changed: number, shift: number) => void;
}

export interface LloydResult {
  centres: Float64Array;
  labels: Int32Array;
  iterations: number;
  converged: boolean;
}

/** Half the distance from each centre to its nearest other centre (Hamerly's s). */
function halfNearestCentre(c: Float64Array, k: number, dim: number, out: Float64Array): void {
  out.fill(Number.POSITIVE_INFINITY);
  for (let a = 0; a < k; a++) {
    for (let b = a + 1; b < k; b++) {
      let s = 0;
      for (let d = 0; d < dim; d++) {
        const diff = c[a * dim + d]! - c[b * dim + d]!;
        s += diff * diff;
      }
      if (s < out[a]!) out[a] = s;
      if (s < out[b]!) out[b] = s;
    }
  }
  for (let a = 0; a < k; a++) out[a] = Math.sqrt(out[a]!) / 2;
}

/**
 * Lloyd's algorithm from the given centres, iteration by iteration as scikit-learn's `_kmeans_single_lloyd`:
 * assign every point to its nearest centre, move each centre to the mean of its points (an empty cluster takes the
 * point farthest from its centre, which leaves its old cluster), stop when no label changes or when the sum of
 * squared centre shifts is at most `tolAbs`; if stopped by the tolerance, assign once more to the final centres.
 *
 * With `accelerate`, Hamerly's bounds (2010) skip the points whose nearest centre provably did not change: an upper
 * bound u on the distance to the own centre and a lower bound l on the distance to any other; u <= max(l, s) means
 * the label stands. The iterates are those of plain Lloyd. Centre sums are float64 and updated by label changes only.
 */
export function lloyd(ws: Workspace, init: Float64Array, k: number, o: LloydOptions): LloydResult {
  const { n, dim, x } = ws;
  const labels = ws.labels;
  labels.fill(-1);
  const upper = new Float64Array(n);
  const lower = new Float64Array(n);
  const sums = new Float64Array(k * dim);
  const counts = new Float64Array(k);
  let centres = Float64Array.from(init);
  let next = new Float64Array(k * dim);
  const shift = new Float64Array(k);
  const half = new Float64Array(k);
  const all = allIndices(n);
  const pending = new Int32Array(n);
  let iterations = 0;
  let strict = false;
  let converged = false;

  const move = (i: number, from: number, to: number) => {
    const xo = i * dim;
    if (from >= 0) {
      counts[from]! -= 1;
      const so = from * dim;
      for (let d = 0; d < dim; d++) sums[so + d]! -= x[xo + d];
    }
    counts[to]! += 1;
    const so = to * dim;
    for (let d = 0; d < dim; d++) sums[so + d]! += x[xo + d];
  };

  /** Assign labels for the current centres; returns how many changed. */
  const assign = (full: boolean): number => {
    let changed = 0;
    ws.setCentres(centres, k);
    const visitNearest = (list: Int32Array) => (from: number, m: number) => {
      for (let r = 0; r < m; r++) {
        const i = list[from + r]!;
        const b = ws.best[r]!;
        upper[i] = Math.sqrt(ws.d1[r]!);
        lower[i] = Math.sqrt(ws.d2[r]!);
        const a = labels[i]!;
        if (b !== a) {
          move(i, a, b);
          labels[i] = b;
          changed++;
        }
      }
    };
    if (full) {
      ws.nearest(all, n, visitNearest(all));
      return changed;
    }
    halfNearestCentre(centres, k, dim, half);
    let count = 0;
    for (let i = 0; i < n; i++) {
      const h = half[labels[i]!]!;
      const l = lower[i]!;
      if (upper[i]! > (l > h ? l : h)) pending[count++] = i;
    }
    // Tighten the upper bound to the exact distance, then test again.
    let still = 0;
    ws.assignedDistances(pending, count, (from, m) => {
      for (let r = 0; r < m; r++) {
        const i = pending[from + r]!;
        const u = Math.sqrt(ws.out[r]!);
        upper[i] = u;
        const h = half[labels[i]!]!;
        const l = lower[i]!;
        if (u > (l > h ? l : h)) pending[still++] = i;
      }
    });
    ws.nearest(pending, still, visitNearest(pending));
    return changed;
  };

  for (let it = 0; it < o.maxIter; it++) {
    const changed = assign(it === 0 || !o.accelerate);
    iterations = it + 1;

    // New centres: means of the clusters; empty clusters take the points farthest from their centres.
    const empty: number[] = [];
    for (let j = 0; j < k; j++) {
      const cnt = counts[j]!;
      if (cnt > 0) for (let d = 0; d < dim; d++) next[j * dim + d] = sums[j * dim + d]! / cnt;
      else {
        empty.push(j);
        for (let d = 0; d < dim; d++) next[j * dim + d] = centres[j * dim + d]!;
      }
    }
    if (empty.length > 0) relocateEmpty(ws, empty, sums, counts, next, centres, k);

    let total = 0;
    let max1 = 0;
    let max2 = 0;
    let argMax = -1;
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let d = 0; d < dim; d++) {
        const diff = next[j * dim + d]! - centres[j * dim + d]!;
        s += diff * diff;
      }
      total += s;
      const p = Math.sqrt(s);
      shift[j] = p;
      if (p > max1) {
        max2 = max1;
        max1 = p;
        argMax = j;
      } else if (p > max2) max2 = p;
    }
    if (o.accelerate) {
      for (let i = 0; i < n; i++) {
        const a = labels[i]!;
        upper[i]! += shift[a];
        lower[i]! -= a === argMax ? max2 : max1;
      }
    }
    [centres, next] = [next, centres];
    o.onIteration?.(iterations, changed, total);
    if (changed === 0) {
      strict = true;
      converged = true;
      break;
    }
    if (total <= o.tolAbs) {
      converged = true;
      break;
    }
  }
  if (!strict) assign(!o.accelerate);
  return { centres, labels: Int32Array.from(labels), iterations, converged };
}

/**
 * scikit-learn's `_relocate_empty_clusters_dense`: the points farthest from their centres become the centres of the
 * empty clusters (farthest first) and leave their old clusters' means; labels are untouched (the next assignment
 * moves them). Points whose cluster would be left empty are passed over.
 */
function relocateEmpty(
  ws: Workspace,
  empty: number[],
  sums: Float64Array,
  counts: Float64Array,
  next: Float64Array,
  centres: Float64Array,
  k: number,
): void {
  const { n, dim, x } = ws;
  ws.setCentres(centres, k);
  const far = new Float64Array(n);
  const all = allIndices(n);
  ws.assignedDistances(all, n, (from, m) => {
    for (let r = 0; r < m; r++) far[from + r] = ws.out[r]!;
  });
  const order = Array.from(all).sort((a, b) => far[b]! - far[a]! || a - b);
  const left = Float64Array.from(counts);
  const adjSums = Float64Array.from(sums);
  let t = 0;
  for (const e of empty) {
    while (t < order.length && left[ws.labels[order[t]!]!]! <= 1) t++;
    if (t >= order.length) break;
    const i = order[t++]!;
    const old = ws.labels[i]!;
    left[old]! -= 1;
    for (let d = 0; d < dim; d++) {
      adjSums[old * dim + d]! -= x[i * dim + d];
      next[old * dim + d] = adjSums[old * dim + d]! / left[old]!;
      next[e * dim + d] = x[i * dim + d]!;
    }
  }
}
