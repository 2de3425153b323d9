/** One word's dependence on sound against sight over a set of generated captions (the paper's Figure 10). */
export interface WordModality {
  word: string;
  /** Times the word was generated. */
  count: number;
  /** Mean over its occurrences of the audio gate alpha_av and the visual gate alpha_va (each a mean over d, eq. 4). */
  alphaAv: number;
  alphaVa: number;
  /** Mean over its occurrences of psi = alpha_av / alpha_va (eq. 7): above 1 leans on sound, below 1 on sight. */
  ratio: number;
}

/** What `wordModality` reads of a caption: its words and per-word gates. */
export interface GatedCaption {
  words: readonly string[];
  alphaAv: readonly number[];
  alphaVa: readonly number[];
}

/**
 * Words ranked by their mean alpha_av / alpha_va over generated captions (Figure 10: which words depend on sound and
 * which on sight), most audio-leaning first. Words generated fewer than `minCount` times and special tokens
 * (`<eos>`, `<unk>`, ...) are left out; captions without gates (single-stream models) add nothing.
 *
 * @param captions - Generated captions with their words and per-word gates.
 * @param minCount - The fewest times a word must be generated to be ranked (3 by default).
 * @returns The words with their count, mean gates and mean ratio, most audio-leaning first.
 */
export function wordModality(captions: readonly GatedCaption[], minCount = 3): WordModality[] {
  const acc = new Map<string, { count: number; av: number; va: number; ratio: number }>();
  for (const c of captions) {
    if (c.alphaAv.length === 0) continue;
    c.words.forEach((word, i) => {
      const av = c.alphaAv[i];
      const va = c.alphaVa[i];
      if (av === undefined || va === undefined || /^<.*>$/.test(word)) return;
      const a = acc.get(word) ?? { count: 0, av: 0, va: 0, ratio: 0 };
      a.count++;
      a.av += av;
      a.va += va;
      a.ratio += av / va;
      acc.set(word, a);
    });
  }
  return [...acc.entries()]
    .filter(([, a]) => a.count >= minCount)
    .map(([word, a]) => ({
      word,
      count: a.count,
      alphaAv: a.av / a.count,
      alphaVa: a.va / a.count,
      ratio: a.ratio / a.count,
    }))
    .sort((x, y) => y.ratio - x.ratio || x.word.localeCompare(y.word));
}
