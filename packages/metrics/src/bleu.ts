import { type CookedCorpus, cookCorpus } from "./ngrams";

/** BLEU-1..4 for a corpus, as pycocoevalcap's `Bleu(4)`. */
export interface BleuResult {
  /** Corpus BLEU-n, n = 1..4 (index 0 is BLEU-1). */
  corpus: [number, number, number, number];
  /** Per item BLEU-n: `items[n-1][i]` for the i-th id. */
  items: [number[], number[], number[], number[]];
}

const SMALL = 1e-9;
const TINY = 1e-15;

/**
 * BLEU as coco-caption's bleu_scorer with option "closest": corpus level from summed clipped n-gram matches,
 * effective reference length = the reference length closest to the candidate's (ties: the shorter), brevity
 * penalty exp(1 - r/c) when c < r, and its smoothing constants (tiny = 1e-15 on matches, small = 1e-9 on
 * guesses). Per item scores use the same formula on one item. Captions are split on whitespace.
 *
 * @param refs - The references of each item, already tokenized (words separated by spaces).
 * @param cands - One candidate per item, in the same order.
 * @param n - The largest n-gram order; only 4 is supported.
 * @returns `corpus`: BLEU-1..4 of the whole set; `items`: the same per item.
 * @throws RangeError when `n` is not 4.
 */
export function bleu(refs: readonly (readonly string[])[], cands: readonly string[], n = 4): BleuResult {
  if (n !== 4) throw new RangeError("bleu: only n = 4 is supported (BLEU-1..4)");
  return bleuCooked(cookCorpus(refs, cands, n, false));
}

/** BLEU-1..4 of a corpus already cooked (shared with CIDEr by `score`). */
export function bleuCooked(cooked: CookedCorpus): BleuResult {
  const n = 4;
  const { itemStart, lengths, offsets, ids, counts, localStart, order } = cooked;
  const items: [number[], number[], number[], number[]] = [[], [], [], []];
  const totalCorrect = [0, 0, 0, 0];
  const totalGuess = [0, 0, 0, 0];
  let totalTest = 0;
  let totalRef = 0;
  // Max count of each (item-local) n-gram over the current item's references (zeroed again after each item).
  let most = 0;
  for (let i = 0; i + 1 < localStart.length; i++) most = Math.max(most, localStart[i + 1]! - localStart[i]!);
  const maxCounts = new Int32Array(most);
  const correct = [0, 0, 0, 0];
  const guess = [0, 0, 0, 0];
  const nItems = itemStart.length - 1;
  for (let idx = 0; idx < nItems; idx++) {
    const first = itemStart[idx]!;
    const cand = itemStart[idx + 1]! - 1;
    // cook_refs: the max count of each n-gram over the references.
    for (let g = offsets[first]!; g < offsets[cand]!; g++) {
      const id = ids[g]!;
      if (counts[g]! > maxCounts[id]!) maxCounts[id] = counts[g]!;
    }
    // cook_test, with option "closest": the reference length closest to the test length (ties: the shorter).
    const testLen = lengths[cand]!;
    let refLen = first < cand ? lengths[first]! : Number.NaN;
    let best = Math.abs(refLen - testLen);
    for (let r = first + 1; r < cand; r++) {
      const l = lengths[r]!;
      const d = Math.abs(l - testLen);
      if (d < best || (d === best && l < refLen)) {
        best = d;
        refLen = l;
      }
    }
    correct.fill(0);
    for (let g = offsets[cand]!; g < offsets[cand + 1]!; g++) {
      const id = ids[g]!;
      const m = maxCounts[id]!;
      if (m > 0) correct[order[localStart[idx]! + id]! - 1]! += Math.min(m, counts[g]!);
    }
    for (let g = offsets[first]!; g < offsets[cand]!; g++) maxCounts[ids[g]!] = 0;
    for (let k = 0; k < n; k++) guess[k] = Math.max(0, testLen - k);
    totalTest += testLen;
    totalRef += refLen;
    let b = 1;
    for (let k = 0; k < n; k++) {
      totalCorrect[k]! += correct[k];
      totalGuess[k]! += guess[k];
      b *= (correct[k]! + TINY) / (guess[k]! + SMALL);
      items[k]!.push(b ** (1 / (k + 1)));
    }
    const ratio = (testLen + TINY) / (refLen + SMALL);
    if (ratio < 1) {
      const bp = Math.exp(1 - 1 / ratio);
      for (let k = 0; k < n; k++) items[k]![idx]! *= bp;
    }
  }
  const corpus: [number, number, number, number] = [0, 0, 0, 0];
  let b = 1;
  for (let k = 0; k < n; k++) {
    b *= (totalCorrect[k]! + TINY) / (totalGuess[k]! + SMALL);
    corpus[k] = b ** (1 / (k + 1));
  }
  const ratio = (totalTest + TINY) / (totalRef + SMALL);
  if (ratio < 1) {
    const bp = Math.exp(1 - 1 / ratio);
    for (let k = 0; k < n; k++) corpus[k]! *= bp;
  }
  return { corpus, items };
}
