/**
 * Which words of a test sentence share a WordNet synset with a given reference word, for the aligner's synonym
 * module. Synset ids are renumbered densely once per word type, so the test sentence's synsets are marked in typed
 * arrays (position bit masks, 31 positions a block) and a reference word type's partners are looked up once per
 * test sentence (and block).
 */
export class SynonymIndex {
  /** word id -> dense synset ids of the word and its base forms. */
  private readonly synsetsOfWord: Int32Array[] = [];
  /** Synset id -> dense id: open addressing on the ids (keys + 1 so that 0 marks an empty slot). */
  private denseKeys = new Int32Array(1 << 18);
  private denseValues = new Int32Array(1 << 18);
  private denseSize = 0;
  private serial = 0;
  private current: object | undefined;
  private currentBase = -1;
  /** (Sized for all of WordNet 3.0's 117,659 synsets and 32k word types; they grow past that.)
   * dense synset -> serial of the test sentence that marked it, and the positions (bit mask) having it. */
  private synStamp = new Int32Array(1 << 17);
  private synMask = new Int32Array(1 << 17);
  /** word id -> serial of the test sentence its mask was computed for, and that mask. */
  private wordStamp = new Int32Array(1 << 15);
  private wordMask = new Int32Array(1 << 15);

  /** Register word id `id` (ids come in order 0, 1, 2, ...) with its synsets. */
  addWord(id: number, synsets: readonly number[]): void {
    const d = new Int32Array(synsets.length);
    for (let k = 0; k < synsets.length; k++) d[k] = this.denseId(synsets[k]!);
    this.synsetsOfWord[id] = d;
  }

  private denseId(synset: number): number {
    // Synset ids are non-negative int32 (Integer.parseInt of WordNet offsets); anything else goes by its string.
    if (!(synset >= 0 && synset < 0x7fffffff && Number.isInteger(synset))) return this.otherId(synset);
    const key = synset + 1;
    let keys = this.denseKeys;
    let mask = keys.length - 1;
    let h = (Math.imul(key, 0x9e3779b1) >>> 0) & mask;
    for (;;) {
      const k = keys[h]!;
      if (k === key) return this.denseValues[h]!;
      if (k === 0) break;
      h = (h + 1) & mask;
    }
    if (2 * (this.denseSize + 1) > keys.length) {
      this.growDense();
      keys = this.denseKeys;
      mask = keys.length - 1;
      h = (Math.imul(key, 0x9e3779b1) >>> 0) & mask;
      while (keys[h] !== 0) h = (h + 1) & mask;
    }
    keys[h] = key;
    this.denseValues[h] = this.denseSize;
    return this.denseSize++;
  }

  private readonly others = new Map<number, number>();

  /** Dense id of a synset id outside the int32 range (NaN from a malformed file, ...), numbered like the others. */
  private otherId(synset: number): number {
    let v = this.others.get(synset);
    if (v === undefined) {
      v = this.denseSize++;
      this.others.set(synset, v);
    }
    return v;
  }

  private growDense(): void {
    const oldKeys = this.denseKeys;
    const oldValues = this.denseValues;
    const cap = 2 * oldKeys.length;
    const mask = cap - 1;
    this.denseKeys = new Int32Array(cap);
    this.denseValues = new Int32Array(cap);
    for (let i = 0; i < oldKeys.length; i++) {
      const key = oldKeys[i]!;
      if (key === 0) continue;
      let h = (Math.imul(key, 0x9e3779b1) >>> 0) & mask;
      while (this.denseKeys[h] !== 0) h = (h + 1) & mask;
      this.denseKeys[h] = key;
      this.denseValues[h] = oldValues[i]!;
    }
  }

  /** Test positions per block: masks are 31-bit, so longer sentences are marked block by block. */
  static readonly BLOCK = 31;

  /**
   * Mark the synsets of test words `base .. base + BLOCK - 1` (word ids); `key` identifies the sentence, so
   * repeated calls for the same sentence and block are free.
   */
  begin(key: object, wordIds: Int32Array, base: number): void {
    if (key === this.current && base === this.currentBase) return;
    this.current = key;
    this.currentBase = base;
    this.serial++;
    if (this.synStamp.length < this.denseSize) {
      this.synStamp = grown(this.synStamp, this.denseSize);
      this.synMask = grown(this.synMask, this.denseSize);
    }
    if (this.wordStamp.length < this.synsetsOfWord.length) {
      this.wordStamp = grown(this.wordStamp, this.synsetsOfWord.length);
      this.wordMask = grown(this.wordMask, this.synsetsOfWord.length);
    }
    const end = Math.min(wordIds.length, base + SynonymIndex.BLOCK);
    for (let i = base; i < end; i++) {
      const ds = this.synsetsOfWord[wordIds[i]!]!;
      for (let k = 0; k < ds.length; k++) {
        const d = ds[k]!;
        if (this.synStamp[d] !== this.serial) {
          this.synStamp[d] = this.serial;
          this.synMask[d] = 0;
        }
        this.synMask[d]! |= 1 << (i - base);
      }
    }
  }

  /** Bit mask of the positions (from `base`) in the current test block whose synsets meet those of word `id`. */
  partners(id: number): number {
    if (id >= this.wordStamp.length) {
      this.wordStamp = grown(this.wordStamp, id + 1);
      this.wordMask = grown(this.wordMask, id + 1);
    }
    if (this.wordStamp[id] === this.serial) return this.wordMask[id]!;
    const ds = this.synsetsOfWord[id]!;
    // Synsets first seen after `begin` (numbered past the marked range) cannot be in the test sentence.
    const marked = this.synStamp.length;
    let mask = 0;
    for (let k = 0; k < ds.length; k++) {
      const d = ds[k]!;
      if (d < marked && this.synStamp[d] === this.serial) mask |= this.synMask[d]!;
    }
    this.wordStamp[id] = this.serial;
    this.wordMask[id] = mask;
    return mask;
  }
}

function grown(a: Int32Array, size: number) {
  const b = new Int32Array(Math.max(2 * a.length, size));
  b.set(a);
  return b;
}
