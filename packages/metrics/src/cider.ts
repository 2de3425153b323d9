import { type CookedCorpus, cookCorpus, type NgramCounts } from "./ngrams";

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

/** tf-idf vector of one sentence: weights aligned with `ids` (ascending), norms and coco-caption's length. */
interface Vec {
  ids: Int32Array;
  weights: Float64Array;
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
  return ciderCooked(cookCorpus(refs, cands, options.n ?? 4), options);
}

/** CIDEr-D of a corpus already cooked (shared with BLEU by `score`). */
export function ciderCooked(cooked: CookedCorpus, options: CiderOptions = {}): CiderResult {
  const n = options.n ?? 4;
  const sigma = options.sigma ?? 6;
  const { index } = cooked;
  const crefs = cooked.refs;
  const ctest = cooked.cands;
  const order = index.order;
  // compute_doc_freq: number of items whose references contain the n-gram.
  const df = new Float64Array(index.size);
  const seenIn = new Int32Array(index.size).fill(-1);
  crefs.forEach((rs, item) => {
    for (const { ids } of rs)
      for (let g = 0; g < ids.length; g++) {
        const id = ids[g]!;
        if (seenIn[id] !== item) {
          seenIn[id] = item;
          df[id]!++;
        }
      }
  });
  const refLen = Math.log(crefs.length);
  const idf = new Float64Array(index.size);
  for (let id = 0; id < idf.length; id++) idf[id] = refLen - Math.log(Math.max(1, df[id]!));
  const counts2vec = ({ ids, counts }: NgramCounts): Vec => {
    const weights = new Float64Array(ids.length);
    const norm = new Array<number>(n).fill(0);
    let length = 0;
    for (let g = 0; g < ids.length; g++) {
      const id = ids[g]!;
      const k = order[id]! - 1;
      const w = counts[g]! * idf[id]!;
      weights[g] = w;
      norm[k]! += w ** 2;
      if (k === 1) length += counts[g]!;
    }
    for (let k = 0; k < n; k++) norm[k] = Math.sqrt(norm[k]!);
    return { ids, weights, norm, length };
  };
  const penaltyDen = 2 * sigma ** 2;
  const items: number[] = [];
  const val = new Array<number>(n);
  const dense = new Float64Array(index.size);
  for (let i = 0; i < ctest.length; i++) {
    const hyp = counts2vec(ctest[i]!);
    const score = new Array<number>(n).fill(0);
    for (const r of crefs[i]!) {
      const ref = counts2vec(r);
      const delta = hyp.length - ref.length;
      const penalty = Math.E ** (-(delta ** 2) / penaltyDen);
      val.fill(0);
      // Clipped dot product: scatter the reference's weights by id, read them at the hypothesis' n-grams.
      for (let g = 0; g < ref.ids.length; g++) dense[ref.ids[g]!] = ref.weights[g]!;
      for (let g = 0; g < hyp.ids.length; g++) {
        const id = hyp.ids[g]!;
        const rw = dense[id]!;
        val[order[id]! - 1]! += Math.min(hyp.weights[g]!, rw) * rw;
      }
      for (let g = 0; g < ref.ids.length; g++) dense[ref.ids[g]!] = 0;
      for (let k = 0; k < n; k++) {
        let v = val[k]!;
        if (hyp.norm[k] !== 0 && ref.norm[k] !== 0) v /= hyp.norm[k]! * ref.norm[k]!;
        score[k]! += v * penalty;
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
