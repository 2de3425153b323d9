import { WordTable } from "./intern";

/**
 * Interns words and n-grams to dense integer ids: two n-grams get the same id exactly when their word tuples are
 * equal (Python's tuple keys in pycocoevalcap). Unigrams are words; an n-gram's id is looked up from its
 * (n-1)-gram prefix id and its last word's id in an open-addressing table of int pairs (no string keys).
 */
export class NgramIndex {
  private readonly words = new WordTable();
  /** word table id -> n-gram id of the unigram. */
  private readonly wordIds: number[] = [];
  /** n-gram table, 3 ints a slot: prefix id + 1 (0 marks an empty slot), last word id, n-gram id. */
  private slots: Int32Array;
  private used = 0;
  /** n of each n-gram id (first `size` entries valid). */
  order = new Uint8Array(1 << 16);
  size = 0;

  private readonly expected: number;

  /** `expected`: a guess of the number of distinct n-grams (sizes the table once instead of growing it). */
  constructor(expected = 1 << 16) {
    this.expected = expected;
    this.slots = new Int32Array(0);
  }

  private newId(n: number): number {
    if (this.size === this.order.length) {
      const grown = new Uint8Array(2 * this.order.length);
      grown.set(this.order);
      this.order = grown;
    }
    this.order[this.size] = n;
    return this.size++;
  }

  /** Id of the unigram `s.slice(start, end)` (created on first sight). */
  wordAt(s: string, start: number, end: number): number {
    const w = this.words.wordAt(s, start, end);
    if (w === this.wordIds.length) this.wordIds.push(this.newId(1));
    return this.wordIds[w]!;
  }

  /** Id of the unigram `w`. */
  word(w: string): number {
    return this.wordAt(w, 0, w.length);
  }

  private grow(): void {
    const old = this.slots;
    const cap = (old.length / 3) * 2;
    const mask = cap - 1;
    const slots = new Int32Array(3 * cap);
    for (let i = 0; i < old.length; i += 3) {
      const p = old[i]!;
      if (p === 0) continue;
      const w = old[i + 1]!;
      let h = (Math.imul(p, 0x9e3779b1) ^ Math.imul(w, 0x85ebca77)) & mask;
      while (slots[3 * h] !== 0) h = (h + 1) & mask;
      slots[3 * h] = p;
      slots[3 * h + 1] = w;
      slots[3 * h + 2] = old[i + 2]!;
    }
    this.slots = slots;
  }

  /** Id of the n-gram `prefix` + `word` (created on first sight). */
  extend(prefix: number, word: number): number {
    const p = prefix + 1;
    return this.lookup(p, word, Math.imul(p, 0x9e3779b1) ^ Math.imul(word, 0x85ebca77));
  }

  private lookup(p: number, word: number, hash: number): number {
    if (this.slots.length === 0) {
      // Allocated on first use: cooking for BLEU alone never needs it.
      let cap = 1 << 16;
      while (cap < 2 * this.expected) cap *= 2;
      this.slots = new Int32Array(3 * cap);
    }
    const slots = this.slots;
    const mask = slots.length / 3 - 1;
    let h = hash & mask;
    for (;;) {
      const q = slots[3 * h]!;
      if (q === 0) break;
      if (q === p && slots[3 * h + 1] === word) return slots[3 * h + 2]!;
      h = (h + 1) & mask;
    }
    if (3 * 2 * (this.used + 1) > slots.length) {
      this.grow();
      return this.lookup(p, word, hash);
    }
    const id = this.newId(this.order[p - 1]! + 1);
    slots[3 * h] = p;
    slots[3 * h + 1] = word;
    slots[3 * h + 2] = id;
    this.used++;
    return id;
  }
}

/** Python `str.isspace()` for one UTF-16 code unit (what `str.split()` splits on). */
function isPyWhitespace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f);
  if (c < 0x85) return false;
  return (
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

/**
 * n-gram counts of a corpus, cooked once (pycocoevalcap `precook` of every reference and candidate) and shared by
 * BLEU and CIDEr. Sentences are numbered item by item: item i's references, then its candidate. n-grams get
 * item-local ids 0, 1, ... (equal n-grams of one item, equal ids), so per-item work runs on small arrays; with
 * `global`, each local id also maps to a corpus-wide id (CIDEr's document frequencies). Sentence s owns
 * `ids/counts[offsets[s] .. offsets[s+1])`: its distinct local ids in Python's dict order (by n, then first
 * position) and their counts.
 */
export interface CookedCorpus {
  index: NgramIndex;
  /** Largest n-gram order. */
  n: number;
  /** Item i's references are sentences itemStart[i] .. itemStart[i+1]-2; its candidate is itemStart[i+1]-1. */
  itemStart: Int32Array;
  /** Words per sentence. */
  lengths: Int32Array;
  offsets: Int32Array;
  ids: Int32Array;
  counts: Int32Array;
  /** Item i's local id l is entry localStart[i] + l of `order` and `global`. */
  localStart: Int32Array;
  /** n of each local n-gram. */
  order: Uint8Array;
  /**
   * With `global`: the corpus-wide id (in `index`) of each local n-gram, or -1 for one that provably occurs in
   * the references of at most one item (its prefix or suffix does), so its document frequency is 0 or 1.
   */
  global?: Int32Array;
  /** With `global`: document frequency of each corpus-wide id (items whose references contain the n-gram). */
  docFreq?: Float64Array;
}

/** Open-addressing table (prefix local id + 1, word id) -> local id, emptied per item by a stamp. */
class LocalTable {
  private cap = 1 << 12;
  private stamp = new Int32Array(this.cap).fill(-1);
  private prefix = new Int32Array(this.cap);
  private word = new Int32Array(this.cap);
  private value = new Int32Array(this.cap);
  private item = 0;
  count = 0;

  begin(item: number): void {
    this.item = item;
    this.count = 0;
  }

  /** Local id of (p, w) and whether it is new (`this.fresh`). */
  fresh = false;

  get(p: number, w: number): number {
    const mask = this.cap - 1;
    let h = (Math.imul(p, 0x9e3779b1) ^ Math.imul(w, 0x85ebca77)) & mask;
    for (;;) {
      if (this.stamp[h] !== this.item) break;
      if (this.prefix[h] === p && this.word[h] === w) {
        this.fresh = false;
        return this.value[h]!;
      }
      h = (h + 1) & mask;
    }
    if (2 * (this.count + 1) > this.cap) {
      this.grow();
      return this.get(p, w);
    }
    this.stamp[h] = this.item;
    this.prefix[h] = p;
    this.word[h] = w;
    this.value[h] = this.count;
    this.fresh = true;
    return this.count++;
  }

  private grow(): void {
    const { stamp, prefix, word, value } = this;
    this.cap *= 2;
    const mask = this.cap - 1;
    this.stamp = new Int32Array(this.cap).fill(-1);
    this.prefix = new Int32Array(this.cap);
    this.word = new Int32Array(this.cap);
    this.value = new Int32Array(this.cap);
    for (let i = 0; i < stamp.length; i++) {
      if (stamp[i] !== this.item) continue;
      let h = (Math.imul(prefix[i]!, 0x9e3779b1) ^ Math.imul(word[i]!, 0x85ebca77)) & mask;
      while (this.stamp[h] === this.item) h = (h + 1) & mask;
      this.stamp[h] = this.item;
      this.prefix[h] = prefix[i]!;
      this.word[h] = word[i]!;
      this.value[h] = value[i]!;
    }
  }
}

function growInt(a: Int32Array, size: number) {
  const b = new Int32Array(Math.max(2 * a.length, size));
  b.set(a);
  return b;
}

/**
 * pycocoevalcap `precook(s, n)` for every sentence: counts of all 1..n-grams of `s.split()`. `global`: also count
 * document frequencies (CIDEr; BLEU needs none): level by level, an n-gram gets a corpus-wide id only when its
 * prefix and suffix each occur in the references of two or more items, since no n-gram is in more items' references
 * than its prefix or its suffix is; the others have a document frequency of 0 or 1, which CIDEr treats alike.
 */
export function cookCorpus(
  refs: readonly (readonly string[])[],
  cands: readonly string[],
  n = 4,
  global = true,
): CookedCorpus {
  let sentences = cands.length;
  let chars = 0;
  for (let i = 0; i < cands.length; i++) {
    const rs = refs[i]!;
    sentences += rs.length;
    chars += cands[i]!.length;
    for (let r = 0; r < rs.length; r++) chars += rs[r]!.length;
  }
  // Sized for about n/64 corpus-wide n-grams per char (English captions: ~5 chars a word, most n-grams repeat
  // across references, and those in one item only get no corpus-wide id); the table grows if that is short.
  const index = new NgramIndex(Math.ceil((chars * n) / 64));
  const local = new LocalTable();
  const itemStart = new Int32Array(cands.length + 1);
  const localStart = new Int32Array(cands.length + 1);
  const lengths = new Int32Array(sentences);
  const offsets = new Int32Array(sentences + 1);
  // Sized from English captions (about 0.65 distinct n-grams per sentence and char, 0.45 new local ones per
  // char); the buffers double when that is short.
  let ids = new Int32Array(Math.max(1024, chars));
  let counts = new Int32Array(ids.length);
  let order = new Uint8Array(Math.max(1024, chars >> 1));
  // Per local n-gram (with `global`): local ids of its prefix and suffix (-1 for words), last word, in references.
  let prefixOf = new Int32Array(global ? order.length : 0);
  let suffixOf = new Int32Array(prefixOf.length);
  let wordOf = new Int32Array(prefixOf.length);
  let inRefs = new Uint8Array(prefixOf.length);
  let scratch = new Int32Array(1 << 12);
  let chain = new Int32Array(64);
  let grams = new Int32Array(256);
  let sent = 0;
  let total = 0;
  let base = 0;
  /** A new local n-gram: its order and (with `global`) how it is built. */
  const created = (id: number, k: number, prefix: number, suffix: number, word: number): void => {
    const at = base + id;
    if (at >= order.length) {
      const o = new Uint8Array(2 * order.length);
      o.set(order);
      order = o;
      if (global) {
        prefixOf = growInt(prefixOf, o.length);
        suffixOf = growInt(suffixOf, o.length);
        wordOf = growInt(wordOf, o.length);
        const r = new Uint8Array(o.length);
        r.set(inRefs);
        inRefs = r;
      }
    }
    order[at] = k;
    if (global) {
      prefixOf[at] = prefix;
      suffixOf[at] = suffix;
      wordOf[at] = word;
    }
  };
  const cook = (s: string, isRef: boolean): void => {
    // Words (Python split()) as unigram ids; `chain` holds the local ids of the k-grams starting at each position.
    let len = 0;
    let start = -1;
    const slen = s.length;
    if (grams.length < (n + 1) * (slen + 1)) grams = new Int32Array(2 * (n + 1) * (slen + 1));
    for (let i = 0; i <= slen; i++) {
      const ws = i === slen || isPyWhitespace(s.charCodeAt(i));
      if (ws) {
        if (start >= 0) {
          if (len === chain.length) chain = growInt(chain, 2 * len);
          const w = index.wordAt(s, start, i);
          grams[n * slen + len] = w; // the sentence's word ids, kept after the k-gram ids
          const id = local.get(0, w);
          if (local.fresh) created(id, 1, -1, -1, w);
          chain[len++] = id;
          start = -1;
        }
      } else if (start < 0) start = i;
    }
    const wordsAt = n * slen;
    let g = 0;
    for (let i = 0; i < len; i++) grams[g++] = chain[i]!;
    for (let k = 1; k < n && k < len; k++) {
      for (let i = 0; i + k < len; i++) {
        const w = grams[wordsAt + i + k]!;
        const id = local.get(chain[i]! + 1, w);
        if (local.fresh) created(id, k + 1, chain[i]!, chain[i + 1]!, w);
        chain[i] = id;
        grams[g++] = id;
      }
    }
    if (local.count > scratch.length) scratch = growInt(scratch, local.count);
    if (total + g > ids.length) {
      ids = growInt(ids, total + g);
      counts = growInt(counts, ids.length);
    }
    if (global && isRef) for (let q = 0; q < g; q++) inRefs[base + grams[q]!] = 1;
    let distinct = total;
    for (let q = 0; q < g; q++) {
      const id = grams[q]!;
      if (scratch[id]!++ === 0) ids[distinct++] = id;
    }
    for (let q = total; q < distinct; q++) {
      const id = ids[q]!;
      counts[q] = scratch[id]!;
      scratch[id] = 0;
    }
    lengths[sent] = len;
    total = distinct;
    offsets[++sent] = total;
  };
  for (let i = 0; i < cands.length; i++) {
    itemStart[i] = sent;
    localStart[i] = base;
    local.begin(i);
    const rs = refs[i]!;
    for (let r = 0; r < rs.length; r++) cook(rs[r]!, true);
    cook(cands[i]!, false);
    base += local.count;
  }
  itemStart[cands.length] = sent;
  localStart[cands.length] = base;
  let globalIds: Int32Array | undefined;
  let docFreq: Float64Array | undefined;
  if (global) {
    // Document frequencies level by level (local ids are distinct within an item, so each item counts once).
    globalIds = new Int32Array(base).fill(-1);
    docFreq = new Float64Array(Math.max(1024, 2 * index.size));
    for (let at = 0; at < base; at++)
      if (order[at] === 1) {
        globalIds[at] = wordOf[at]!;
        if (inRefs[at]) docFreq[wordOf[at]!]!++;
      }
    for (let k = 2; k <= n; k++) {
      for (let item = 0; item < cands.length; item++) {
        const l0 = localStart[item]!;
        for (let at = l0; at < localStart[item + 1]!; at++) {
          if (order[at] !== k) continue;
          const p = globalIds[l0 + prefixOf[at]!]!;
          const q = globalIds[l0 + suffixOf[at]!]!;
          if (p < 0 || q < 0 || docFreq[p]! < 2 || docFreq[q]! < 2) continue;
          const g = index.extend(p, wordOf[at]!);
          globalIds[at] = g;
          if (g >= docFreq.length) {
            const d = new Float64Array(2 * g);
            d.set(docFreq);
            docFreq = d;
          }
          if (inRefs[at]) docFreq[g]!++;
        }
      }
    }
  }
  return {
    index,
    n,
    itemStart,
    lengths,
    offsets,
    ids,
    counts,
    localStart,
    order,
    global: globalIds,
    docFreq,
  };
}
