import { pySplit } from "./text";

/**
 * Interns words and n-grams to dense integer ids: two n-grams get the same id exactly when their word tuples are
 * equal (Python's tuple keys in pycocoevalcap). Unigrams are words; an n-gram's id is looked up from its
 * (n-1)-gram prefix id and its last word's id.
 */
export class NgramIndex {
  private readonly words = new Map<string, number>();
  /** Open-addressing table (prefix id, word id) -> n-gram id; -1 marks an empty slot. */
  private keys = new Int32Array(2 * (1 << 18)).fill(-1);
  private values = new Int32Array(1 << 18);
  private used = 0;
  /** n of each n-gram id. */
  readonly order: number[] = [];
  /** Per-id scratch counts for `precook` (always zero between calls). */
  scratch = new Int32Array(1 << 16);

  get size(): number {
    return this.order.length;
  }

  word(w: string): number {
    let id = this.words.get(w);
    if (id === undefined) {
      id = this.order.length;
      this.order.push(1);
      this.words.set(w, id);
    }
    return id;
  }

  private slot(prefix: number, word: number): number {
    const mask = this.values.length - 1;
    let h = (Math.imul(prefix, 0x9e3779b1) ^ Math.imul(word, 0x85ebca77)) & mask;
    const keys = this.keys;
    while (keys[2 * h] !== -1 && (keys[2 * h] !== prefix || keys[2 * h + 1] !== word)) h = (h + 1) & mask;
    return h;
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldValues = this.values;
    this.keys = new Int32Array(oldKeys.length * 2).fill(-1);
    this.values = new Int32Array(oldValues.length * 2);
    for (let i = 0; i < oldValues.length; i++) {
      if (oldKeys[2 * i] === -1) continue;
      const h = this.slot(oldKeys[2 * i]!, oldKeys[2 * i + 1]!);
      this.keys[2 * h] = oldKeys[2 * i]!;
      this.keys[2 * h + 1] = oldKeys[2 * i + 1]!;
      this.values[h] = oldValues[i]!;
    }
  }

  extend(prefix: number, word: number): number {
    let h = this.slot(prefix, word);
    if (this.keys[2 * h] !== -1) return this.values[h]!;
    if (2 * (this.used + 1) > this.values.length) {
      this.grow();
      h = this.slot(prefix, word);
    }
    const id = this.order.length;
    this.order.push(this.order[prefix]! + 1);
    this.keys[2 * h] = prefix;
    this.keys[2 * h + 1] = word;
    this.values[h] = id;
    this.used++;
    return id;
  }
}

/** n-gram counts of one sentence: distinct ids (in Python's dict order: by n, then position) and counts. */
export interface NgramCounts {
  /** Number of words. */
  length: number;
  ids: Int32Array;
  counts: Int32Array;
}

/** pycocoevalcap `precook(s, n)`: counts of all 1..n-grams of `s.split()`. */
export function precook(s: string, index: NgramIndex, n = 4): NgramCounts {
  const words = pySplit(s);
  const len = words.length;
  // chain[k][i]: id of the (k+1)-gram starting at word i.
  const ids: number[] = [];
  let prev: number[] = [];
  for (let i = 0; i < len; i++) prev.push(index.word(words[i]!));
  const unigrams = prev;
  for (let k = 0; k < n && prev.length > 0; k++) {
    if (k > 0) {
      const next: number[] = [];
      for (let i = 0; i + k < len; i++) next.push(index.extend(prev[i]!, unigrams[i + k]!));
      prev = next;
    }
    for (const id of prev) ids.push(id);
  }
  if (index.size > index.scratch.length) {
    const grown = new Int32Array(Math.max(index.size, 2 * index.scratch.length));
    index.scratch = grown;
  }
  const scratch = index.scratch;
  const distinct: number[] = [];
  for (const id of ids) if (scratch[id]!++ === 0) distinct.push(id);
  const out = Int32Array.from(distinct);
  const counts = new Int32Array(out.length);
  for (let g = 0; g < out.length; g++) {
    counts[g] = scratch[out[g]!]!;
    scratch[out[g]!] = 0;
  }
  return { length: len, ids: out, counts };
}
