/**
 * Interns words to dense ids 0, 1, 2, ... in order of first sight. `wordAt` finds a word inside a longer string
 * from its UTF-16 units, so tokenizing and looking up need no substring per token (an open-addressing table on an
 * FNV-1a hash; a word's string is built once, when it is first seen).
 */
export class WordTable {
  /** slot -> word id + 1, 0 when empty. */
  private slots = new Int32Array(1 << 16);
  private hashes = new Int32Array(1 << 16);
  /** id -> word. */
  readonly strings: string[] = [];

  get size(): number {
    return this.strings.length;
  }

  /** Id of the word `s.slice(start, end)`. */
  wordAt(s: string, start: number, end: number): number {
    let hash = 0x811c9dc5 | 0;
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ s.charCodeAt(i), 0x01000193);
    const slots = this.slots;
    const mask = slots.length - 1;
    let h = (hash ^ (hash >>> 15)) & mask;
    const len = end - start;
    for (;;) {
      const v = slots[h]!;
      if (v === 0) break;
      if (this.hashes[h] === hash) {
        const w = this.strings[v - 1]!;
        if (w.length === len) {
          let i = 0;
          while (i < len && w.charCodeAt(i) === s.charCodeAt(start + i)) i++;
          if (i === len) return v - 1;
        }
      }
      h = (h + 1) & mask;
    }
    const id = this.strings.length;
    this.strings.push(start === 0 && end === s.length ? s : s.slice(start, end));
    slots[h] = id + 1;
    this.hashes[h] = hash;
    if (2 * this.strings.length > slots.length) this.grow();
    return id;
  }

  /** Id of a whole word. */
  word(w: string): number {
    return this.wordAt(w, 0, w.length);
  }

  private grow(): void {
    const oldSlots = this.slots;
    const oldHashes = this.hashes;
    const cap = oldSlots.length * 2;
    const mask = cap - 1;
    this.slots = new Int32Array(cap);
    this.hashes = new Int32Array(cap);
    for (let i = 0; i < oldSlots.length; i++) {
      const v = oldSlots[i]!;
      if (v === 0) continue;
      const hash = oldHashes[i]!;
      let h = (hash ^ (hash >>> 15)) & mask;
      while (this.slots[h] !== 0) h = (h + 1) & mask;
      this.slots[h] = v;
      this.hashes[h] = hash;
    }
  }
}
