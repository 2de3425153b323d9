import { ngramOrder, precook } from "./ngrams";

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
  const items: [number[], number[], number[], number[]] = [[], [], [], []];
  const totalCorrect = [0, 0, 0, 0];
  const totalGuess = [0, 0, 0, 0];
  let totalTest = 0;
  let totalRef = 0;
  for (let idx = 0; idx < cands.length; idx++) {
    // cook_refs: reference lengths and the max count of each n-gram over the references.
    const refLens: number[] = [];
    const maxCounts = new Map<string, number>();
    for (const ref of refs[idx]!) {
      const { length, counts } = precook(ref, n);
      refLens.push(length);
      for (const [g, c] of counts) {
        const m = maxCounts.get(g);
        if (m === undefined || c > m) maxCounts.set(g, c);
      }
    }
    // cook_test
    const test = precook(cands[idx]!, n);
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
    for (const [g, c] of test.counts) {
      const m = maxCounts.get(g);
      if (m !== undefined) correct[ngramOrder(g) - 1]! += Math.min(m, c);
    }
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
