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
 */
export function bleu(refs: readonly (readonly string[])[], cands: readonly string[], n = 4): BleuResult {
  if (n !== 4) throw new RangeError("bleu: only n = 4 is supported (BLEU-1..4)");
  return bleuCooked(cookCorpus(refs, cands, n));
}

/** BLEU-1..4 of a corpus already cooked (shared with CIDEr by `score`). */
export function bleuCooked(cooked: CookedCorpus): BleuResult {
  const n = 4;
  const { index } = cooked;
  const items: [number[], number[], number[], number[]] = [[], [], [], []];
  const totalCorrect = [0, 0, 0, 0];
  const totalGuess = [0, 0, 0, 0];
  let totalTest = 0;
  let totalRef = 0;
  let maxCounts = new Int32Array(1024);
  for (let idx = 0; idx < cooked.cands.length; idx++) {
    // cook_refs: reference lengths and the max count of each n-gram over the references.
    const refLens: number[] = [];
    const touched: number[] = [];
    for (const { length, ids, counts } of cooked.refs[idx]!) {
      refLens.push(length);
      if (index.size > maxCounts.length) {
        const grown = new Int32Array(Math.max(index.size, maxCounts.length * 2));
        grown.set(maxCounts);
        maxCounts = grown;
      }
      for (let g = 0; g < ids.length; g++) {
        const id = ids[g]!;
        if (maxCounts[id] === 0) touched.push(id);
        if (counts[g]! > maxCounts[id]!) maxCounts[id] = counts[g]!;
      }
    }
    // cook_test
    const test = cooked.cands[idx]!;
    const testLen = test.length;
    let refLen = refLens[0]!;
    let best = Math.abs(refLen - testLen);
    for (let r = 1; r < refLens.length; r++) {
      const l = refLens[r]!;
      const d = Math.abs(l - testLen);
      if (d < best || (d === best && l < refLen)) {
        best = d;
        refLen = l;
      }
    }
    const correct = [0, 0, 0, 0];
    for (let g = 0; g < test.ids.length; g++) {
      const id = test.ids[g]!;
      const m = id < maxCounts.length ? maxCounts[id]! : 0;
      if (m > 0) correct[index.order[id]! - 1]! += Math.min(m, test.counts[g]!);
    }
    for (const id of touched) maxCounts[id] = 0;
    const guess = [0, 1, 2, 3].map((k) => Math.max(0, testLen - k));
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
