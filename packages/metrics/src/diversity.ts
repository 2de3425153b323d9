import { MetricsInputError } from "./errors";
import type { Candidates, References } from "./io";
import { tokenize } from "./tokenizer";

/**
 * How varied a set of generated captions is, beside how long the references are: the numbers that show template
 * collapse (one sentence for every video), which n-gram scores can hide.
 */
export interface CaptionDiversity {
  /** Captioned videos. */
  videos: number;
  /** Distinct caption strings (after coco-caption tokenization). */
  distinctCaptions: number;
  /** distinctCaptions / videos, in [0, 1]: 1 when every video gets its own sentence. */
  distinctShare: number;
  /** Distinct words over all captions. */
  vocabulary: number;
  /** Mean words per caption. */
  meanLength: number;
  /** Mean words per reference sentence (every reference of the same videos); NaN without references. */
  referenceLength: number;
  /** Distinct words over the references of the same videos; NaN without references. */
  referenceVocabulary: number;
}

/**
 * Diversity of the captions `cands` (video id -> caption), with the references of the same videos for scale. Text
 * is tokenized as the COCO caption evaluation does (PTB tokens, lower case, punctuation dropped), so the counts are
 * over the words the scores see. Throws a MetricsInputError for an empty set or a caption id without references
 * (when `refs` is given).
 *
 * @param cands - Generated captions, `{ id: caption }`.
 * @param refs - Optional references of the same ids, for the reference length and vocabulary.
 * @returns Distinct captions and their share, vocabulary, mean length, and the references' length and vocabulary.
 * @throws {@link MetricsInputError} for an empty set, or an id without references when `refs` is given.
 */
export function captionDiversity(cands: Candidates, refs?: References): CaptionDiversity {
  const ids = Object.keys(cands);
  if (ids.length === 0) throw new MetricsInputError("captionDiversity: no captions given", { field: "candidates" });
  const distinct = new Set<string>();
  const words = new Set<string>();
  let length = 0;
  for (const id of ids) {
    const t = tokenize(cands[id]!);
    distinct.add(t);
    const w = t === "" ? [] : t.split(" ");
    length += w.length;
    for (const x of w) words.add(x);
  }
  let referenceLength = Number.NaN;
  let referenceVocabulary = Number.NaN;
  if (refs) {
    const refWords = new Set<string>();
    let total = 0;
    let sentences = 0;
    for (const id of ids) {
      const r = refs[id];
      if (!r || r.length === 0) {
        throw new MetricsInputError(`captionDiversity: caption "${id}" has no references`, { id });
      }
      for (const s of r) {
        const t = tokenize(s);
        const w = t === "" ? [] : t.split(" ");
        total += w.length;
        sentences++;
        for (const x of w) refWords.add(x);
      }
    }
    referenceLength = total / sentences;
    referenceVocabulary = refWords.size;
  }
  return {
    videos: ids.length,
    distinctCaptions: distinct.size,
    distinctShare: distinct.size / ids.length,
    vocabulary: words.size,
    meanLength: length / ids.length,
    referenceLength,
    referenceVocabulary,
  };
}
