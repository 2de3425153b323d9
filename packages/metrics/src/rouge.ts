/** ROUGE-L as pycocoevalcap's `Rouge()`. */
export interface RougeResult {
  /** Mean of the per item scores. */
  corpus: number;
  items: number[];
}

const BETA = 1.2;

/**
 * Length of the longest common subsequence of two token lists (pycocoevalcap `my_lcs`).
 *
 * @param a - The first token list.
 * @param b - The second token list.
 * @returns The length of their longest common subsequence.
 */
export function lcsLength(a: readonly string[], b: readonly string[]): number {
  const [long, short] = a.length < b.length ? [b, a] : [a, b];
  const m = short.length;
  let prev = new Int32Array(m + 1);
  let cur = new Int32Array(m + 1);
  for (let i = 1; i <= long.length; i++) {
    const w = long[i - 1];
    for (let j = 1; j <= m; j++) {
      if (w === short[j - 1]) cur[j] = prev[j - 1]! + 1;
      else cur[j] = prev[j]! > cur[j - 1]! ? prev[j]! : cur[j - 1]!;
    }
    [prev, cur] = [cur, prev];
  }
  return prev[m]!;
}

/**
 * ROUGE-L of one candidate against its references: max LCS precision and max LCS recall over the references,
 * combined as F with beta = 1.2 (the two maxima may come from different references, as in coco-caption).
 * Tokens are `split(" ")`, so an empty caption is one empty token, as in Python.
 *
 * @param candidate - One tokenized caption.
 * @param refs - Its tokenized references.
 * @returns ROUGE-L in [0, 1].
 */
export function rougeLItem(candidate: string, refs: readonly string[]): number {
  const c = candidate.split(" ");
  let precMax = 0;
  let recMax = 0;
  for (const ref of refs) {
    const r = ref.split(" ");
    const lcs = lcsLength(r, c);
    const prec = lcs / c.length;
    const rec = lcs / r.length;
    if (prec > precMax) precMax = prec;
    if (rec > recMax) recMax = rec;
  }
  if (precMax === 0 || recMax === 0) return 0;
  return ((1 + BETA ** 2) * precMax * recMax) / (recMax + BETA ** 2 * precMax);
}

/**
 * ROUGE-L for a corpus: per item scores and their mean.
 *
 * @param refs - The references of each item, already tokenized.
 * @param cands - One candidate per item, in the same order.
 * @returns `corpus`: the mean; `items`: ROUGE-L of each item (beta 1.2).
 */
export function rougeL(refs: readonly (readonly string[])[], cands: readonly string[]): RougeResult {
  const items = cands.map((c, i) => rougeLItem(c, refs[i]!));
  let sum = 0;
  for (const s of items) sum += s;
  return { corpus: items.length ? sum / items.length : Number.NaN, items };
}
