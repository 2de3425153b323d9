import { pySplit } from "./text";

/** Interns n-grams as strings: words are joined by a space, which never occurs inside a `str.split()` token. */
export interface NgramCounts {
  /** Number of words. */
  length: number;
  /** n-gram -> count, for n = 1..maxN; `order` gives each key's n. */
  counts: Map<string, number>;
}

/** pycocoevalcap `precook(s, n)`: counts of all 1..n-grams of `s.split()`. */
export function precook(s: string, n = 4): NgramCounts {
  const words = pySplit(s);
  const counts = new Map<string, number>();
  const len = words.length;
  for (let i = 0; i < len; i++) {
    let key = words[i]!;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    const top = Math.min(n, len - i);
    for (let k = 2; k <= top; k++) {
      key = `${key} ${words[i + k - 1]!}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return { length: len, counts };
}

/** n of an n-gram key made by `precook` (number of words in it). */
export function ngramOrder(key: string): number {
  let n = 1;
  for (let i = 0; i < key.length; i++) if (key.charCodeAt(i) === 0x20) n++;
  return n;
}
