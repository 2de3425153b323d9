import { WordTable } from "./intern";

/** ROUGE-L as pycocoevalcap's `Rouge()`. */
export interface RougeResult {
  /** Mean of the per item scores. */
  corpus: number;
  items: number[];
}

const BETA = 1.2;

/** Length of the longest common subsequence of two token lists (pycocoevalcap `my_lcs`). */
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

/** ROUGE-L for a corpus: per item scores and their mean (as `rougeLItem`, on interned word ids). */
export function rougeL(refs: readonly (readonly string[])[], cands: readonly string[]): RougeResult {
  const table = new WordTable();
  const ids = new IdBuffers();
  const items: number[] = [];
  for (let idx = 0; idx < cands.length; idx++) {
    const cLen = ids.split(cands[idx]!, table, 0);
    let precMax = 0;
    let recMax = 0;
    for (const ref of refs[idx]!) {
      const rLen = ids.split(ref, table, 1);
      const lcs = ids.lcs(rLen, cLen);
      const prec = lcs / cLen;
      const rec = lcs / rLen;
      if (prec > precMax) precMax = prec;
      if (rec > recMax) recMax = rec;
    }
    items.push(
      precMax === 0 || recMax === 0 ? 0 : ((1 + BETA ** 2) * precMax * recMax) / (recMax + BETA ** 2 * precMax),
    );
  }
  let sum = 0;
  for (const s of items) sum += s;
  return { corpus: items.length ? sum / items.length : Number.NaN, items };
}

/** Reusable buffers: the word ids of a candidate (0) and of a reference (1), and the two LCS rows. */
class IdBuffers {
  words: [Int32Array, Int32Array] = [new Int32Array(256), new Int32Array(256)];
  prev = new Int32Array(256);
  cur = new Int32Array(256);

  /** Word ids of `s.split(" ")` (empty tokens included, as Python) into buffer `slot`; returns their number. */
  split(s: string, table: WordTable, slot: 0 | 1): number {
    if (this.words[slot].length < s.length + 1) this.words[slot] = new Int32Array(2 * (s.length + 1));
    const out = this.words[slot];
    let n = 0;
    let start = 0;
    for (let i = 0; i <= s.length; i++) {
      if (i === s.length || s.charCodeAt(i) === 0x20) {
        out[n++] = table.wordAt(s, start, i);
        start = i + 1;
      }
    }
    return n;
  }

  /** LCS length of the reference (buffer 1, `rLen` ids) and the candidate (buffer 0, `cLen` ids). */
  lcs(rLen: number, cLen: number): number {
    const [long, short, nl, m] =
      rLen < cLen ? [this.words[0], this.words[1], cLen, rLen] : [this.words[1], this.words[0], rLen, cLen];
    if (this.prev.length < m + 1) {
      this.prev = new Int32Array(2 * (m + 1));
      this.cur = new Int32Array(2 * (m + 1));
    }
    let prev = this.prev;
    let cur = this.cur;
    prev.fill(0, 0, m + 1);
    cur.fill(0, 0, m + 1);
    for (let i = 1; i <= nl; i++) {
      const w = long[i - 1];
      for (let j = 1; j <= m; j++) {
        if (w === short[j - 1]) cur[j] = prev[j - 1]! + 1;
        else cur[j] = prev[j]! > cur[j - 1]! ? prev[j]! : cur[j - 1]!;
      }
      [prev, cur] = [cur, prev];
    }
    return prev[m]!;
  }
}
