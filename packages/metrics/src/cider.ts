import { ngramOrder, precook } from "./ngrams";

/** CIDEr-D as pycocoevalcap's `Cider()`. */
export interface CiderResult {
  /** Mean of the per item scores. */
  corpus: number;
  items: number[];
}

export interface CiderOptions {
  /** Largest n-gram order (default 4). */
  n?: number;
  /** Standard deviation of the Gaussian length penalty (default 6). */
  sigma?: number;
}

interface Vec {
  /** n-gram -> tf-idf weight, one map per order. */
  vec: Map<string, number>[];
  norm: number[];
  /** coco-caption's "length": the summed counts of the order-2 n-grams (its `n == 1` index), kept as is. */
  length: number;
}

/**
 * CIDEr-D as coco-caption's cider_scorer: document frequencies counted over the references of the evaluated set
 * (an n-gram counts once per item), idf = log(N) - log(max(1, df)), tf-idf vectors per n-gram order, cosine with
 * clipping min(hyp, ref) * ref, Gaussian length penalty exp(-(d^2) / (2 sigma^2)), mean over orders, mean over
 * references, times 10. The length used in the penalty is coco-caption's (bigram count), reproduced exactly.
 */
export function ciderD(
  refs: readonly (readonly string[])[],
  cands: readonly string[],
  options: CiderOptions = {},
): CiderResult {
  const n = options.n ?? 4;
  const sigma = options.sigma ?? 6;
  const crefs = refs.map((rs) => rs.map((r) => precook(r, n).counts));
  const ctest = cands.map((c) => precook(c, n).counts);
  // compute_doc_freq
  const df = new Map<string, number>();
  for (const rs of crefs) {
    const seen = new Set<string>();
    for (const counts of rs) for (const g of counts.keys()) seen.add(g);
    for (const g of seen) df.set(g, (df.get(g) ?? 0) + 1);
  }
  const refLen = Math.log(crefs.length);
  const logDf = new Map<string, number>();
  const counts2vec = (cnts: Map<string, number>): Vec => {
    const vec: Map<string, number>[] = [];
    const norm: number[] = [];
    for (let k = 0; k < n; k++) {
      vec.push(new Map());
      norm.push(0);
    }
    let length = 0;
    for (const [g, tf] of cnts) {
      let l = logDf.get(g);
      if (l === undefined) {
        l = Math.log(Math.max(1, df.get(g) ?? 0));
        logDf.set(g, l);
      }
      const k = ngramOrder(g) - 1;
      const w = tf * (refLen - l);
      vec[k]!.set(g, w);
      norm[k]! += w ** 2;
      if (k === 1) length += tf;
    }
    for (let k = 0; k < n; k++) norm[k] = Math.sqrt(norm[k]!);
    return { vec, norm, length };
  };
  const penaltyDen = 2 * sigma ** 2;
  const items: number[] = [];
  for (let i = 0; i < ctest.length; i++) {
    const hyp = counts2vec(ctest[i]!);
    const score = new Array<number>(n).fill(0);
    for (const r of crefs[i]!) {
      const ref = counts2vec(r);
      const delta = hyp.length - ref.length;
      const penalty = Math.E ** (-(delta ** 2) / penaltyDen);
      for (let k = 0; k < n; k++) {
        let val = 0;
        const rv = ref.vec[k]!;
        for (const [g, h] of hyp.vec[k]!) {
          const rw = rv.get(g) ?? 0;
          val += Math.min(h, rw) * rw;
        }
        if (hyp.norm[k] !== 0 && ref.norm[k] !== 0) val /= hyp.norm[k]! * ref.norm[k]!;
        score[k]! += val * penalty;
      }
    }
    let mean = 0;
    for (let k = 0; k < n; k++) mean += score[k]!;
    mean /= n;
    items.push((mean / crefs[i]!.length) * 10);
  }
  let sum = 0;
  for (const s of items) sum += s;
  return { corpus: items.length ? sum / items.length : Number.NaN, items };
}
