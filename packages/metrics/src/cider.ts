import { type CookedCorpus, cookCorpus } from "./ngrams";

/** CIDEr-D as pycocoevalcap's `Cider()`. */
export interface CiderResult {
  /** Mean of the per item scores. */
  corpus: number;
  items: number[];
}

/** Options of {@link ciderD}. */
export interface CiderOptions {
  /** Largest n-gram order (default 4). */
  n?: number;
  /** Standard deviation of the Gaussian length penalty (default 6). */
  sigma?: number;
}

/**
 * CIDEr-D as coco-caption's cider_scorer: document frequencies counted over the references of the evaluated set
 * (an n-gram counts once per item), idf = log(N) - log(max(1, df)), tf-idf vectors per n-gram order, cosine with
 * clipping min(hyp, ref) * ref, Gaussian length penalty exp(-(d^2) / (2 sigma^2)), mean over orders, mean over
 * references, times 10. The length used in the penalty is coco-caption's (bigram count), reproduced exactly.
 *
 * @param refs - The references of each item, already tokenized; the document frequencies come from all of them,
 *   so score a whole test split at once.
 * @param cands - One candidate per item, in the same order.
 * @param options - `n` (largest n-gram order, default 4) and `sigma` (length penalty, default 6).
 * @returns `corpus`: the mean CIDEr-D; `items`: the score of each item.
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
  if (n !== cooked.n) throw new RangeError(`cider: the corpus was cooked with n = ${cooked.n}, not ${n}`);
  const sigma = options.sigma ?? 6;
  const { index, itemStart, offsets, ids, counts, localStart, order } = cooked;
  const global = cooked.global;
  const df = cooked.docFreq;
  if (!global || !df) throw new RangeError("cider: the corpus was cooked without document frequencies");
  const nItems = itemStart.length - 1;
  const nSentences = offsets.length - 1;
  let most = 0;
  for (let i = 0; i < nItems; i++) most = Math.max(most, localStart[i + 1]! - localStart[i]!);
  // idf = log(N) - log(max(1, df)); an n-gram without a corpus-wide id has df 0 or 1 (see cookCorpus).
  const refLen = Math.log(nItems);
  const idfRare = refLen - Math.log(1);
  const idf = new Float64Array(index.size);
  for (let id = 0; id < idf.length; id++) idf[id] = refLen - Math.log(Math.max(1, df[id]!));
  // counts2vec of every sentence: tf-idf weights aligned with `ids`, the norm per order, and coco-caption's
  // "length": the summed counts of the order-2 n-grams (its `n == 1` index), kept as is.
  const weights = new Float64Array(offsets[nSentences]!);
  const norms = new Float64Array(nSentences * n);
  const lens = new Float64Array(nSentences);
  for (let item = 0; item < nItems; item++) {
    const l0 = localStart[item]!;
    for (let s = itemStart[item]!; s < itemStart[item + 1]!; s++) {
      let length = 0;
      for (let g = offsets[s]!; g < offsets[s + 1]!; g++) {
        const id = l0 + ids[g]!;
        const k = order[id]! - 1;
        const gid = global[id]!;
        const w = counts[g]! * (gid < 0 ? idfRare : idf[gid]!);
        weights[g] = w;
        norms[s * n + k]! += w ** 2;
        if (k === 1) length += counts[g]!;
      }
      for (let k = 0; k < n; k++) norms[s * n + k] = Math.sqrt(norms[s * n + k]!);
      lens[s] = length;
    }
  }
  const penaltyDen = 2 * sigma ** 2;
  const items: number[] = [];
  const val = new Float64Array(n);
  const score = new Float64Array(n);
  const dense = new Float64Array(most);
  for (let i = 0; i < nItems; i++) {
    const first = itemStart[i]!;
    const hyp = itemStart[i + 1]! - 1;
    const l0 = localStart[i]!;
    const h0 = offsets[hyp]!;
    const h1 = offsets[hyp + 1]!;
    score.fill(0);
    for (let r = first; r < hyp; r++) {
      const delta = lens[hyp]! - lens[r]!;
      const penalty = Math.E ** (-(delta ** 2) / penaltyDen);
      val.fill(0);
      // Clipped dot product: scatter the reference's weights by id, read them at the hypothesis' n-grams.
      const r0 = offsets[r]!;
      const r1 = offsets[r + 1]!;
      for (let g = r0; g < r1; g++) dense[ids[g]!] = weights[g]!;
      for (let g = h0; g < h1; g++) {
        const id = ids[g]!;
        const rw = dense[id]!;
        val[order[l0 + id]! - 1]! += Math.min(weights[g]!, rw) * rw;
      }
      for (let g = r0; g < r1; g++) dense[ids[g]!] = 0;
      for (let k = 0; k < n; k++) {
        let v = val[k]!;
        const hn = norms[hyp * n + k]!;
        const rn = norms[r * n + k]!;
        if (hn !== 0 && rn !== 0) v /= hn * rn;
        score[k]! += v * penalty;
      }
    }
    let mean = 0;
    for (let k = 0; k < n; k++) mean += score[k]!;
    mean /= n;
    items.push((mean / (hyp - first)) * 10);
  }
  let sum = 0;
  for (const s of items) sum += s;
  return { corpus: items.length ? sum / items.length : Number.NaN, items };
}
