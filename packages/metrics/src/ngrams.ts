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

  private buf = new Int32Array(256);
  private chainBuf = new Int32Array(64);

  /** Reusable scratch of at least `size` ints (contents undefined). */
  buffer(size: number): Int32Array {
    if (this.buf.length < size) this.buf = new Int32Array(2 * size);
    return this.buf;
  }

  chainBuffer(size: number): Int32Array {
    if (this.chainBuf.length < size) this.chainBuf = new Int32Array(2 * size);
    return this.chainBuf;
  }

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
  // ids of all k-grams, k = 1..n, in Python's order (by k, then start position); `chain` holds the previous k.
  const ids = index.buffer(n * len);
  const chain = index.chainBuffer(len);
  let total = 0;
  for (let i = 0; i < len; i++) {
    chain[i] = index.word(words[i]!);
    ids[total++] = chain[i]!;
  }
  for (let k = 1; k < n && k < len; k++) {
    for (let i = 0; i + k < len; i++) {
      chain[i] = index.extend(chain[i]!, ids[i + k]!);
      ids[total++] = chain[i]!;
    }
  }
  if (index.size > index.scratch.length) index.scratch = new Int32Array(Math.max(index.size, 2 * index.scratch.length));
  const scratch = index.scratch;
  let distinct = 0;
  for (let g = 0; g < total; g++) {
    const id = ids[g]!;
    if (scratch[id]!++ === 0) ids[distinct++] = id;
  }
  const out = ids.slice(0, distinct);
  const counts = new Int32Array(distinct);
  for (let g = 0; g < distinct; g++) {
    counts[g] = scratch[out[g]!]!;
    scratch[out[g]!] = 0;
  }
  return { length: len, ids: out, counts };
}

/** A corpus cooked once for BLEU and CIDEr: n-gram counts of every reference and candidate. */
export interface CookedCorpus {
  index: NgramIndex;
  refs: NgramCounts[][];
  cands: NgramCounts[];
}

export function cookCorpus(refs: readonly (readonly string[])[], cands: readonly string[], n = 4): CookedCorpus {
  const index = new NgramIndex();
  const r: NgramCounts[][] = [];
  const c: NgramCounts[] = [];
  for (let i = 0; i < cands.length; i++) {
    r.push(refs[i]!.map((x) => precook(x, index, n)));
    c.push(precook(cands[i]!, index, n));
  }
  return { index, refs: r, cands: c };
}
