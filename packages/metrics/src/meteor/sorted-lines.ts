/**
 * A file of line pairs (a word line, then its value line), as Meteor's english.synsets, read in place from its
 * bytes: words are found by binary search over the line starts, with no string per line and no Map. Only for an
 * ASCII file with "\n" line ends whose word lines are strictly increasing (byte order); `from` returns undefined
 * for anything else, and the caller reads the file as text instead.
 */
export class SortedLinePairs {
  private constructor(
    private readonly bytes: Uint8Array,
    /** Start of line k; line k ends (before its "\n") at lineStart[k + 1] - 1. */
    private readonly lineStart: Int32Array,
    /** Number of (word, value) pairs: as BufferedReader pairs lines, a last unpaired line is ignored. */
    readonly size: number,
  ) {}

  static from(bytes: Uint8Array): SortedLinePairs | undefined {
    const len = bytes.length;
    let lines = 0;
    for (let i = 0; i < len; i++) {
      const b = bytes[i]!;
      if (b === 0x0a) lines++;
      else if (b === 0x0d || b >= 0x80) return undefined;
    }
    const last = len > 0 && bytes[len - 1] !== 0x0a; // a last line without "\n"
    if (last) lines++;
    const lineStart = new Int32Array(lines + 1);
    let k = 1;
    for (let i = 0; i < len; i++) if (bytes[i] === 0x0a) lineStart[k++] = i + 1;
    if (last) lineStart[lines] = len + 1;
    const pairs = lines >> 1;
    const table = new SortedLinePairs(bytes, lineStart, pairs);
    for (let p = 1; p < pairs; p++) if (table.compareLines(2 * (p - 1), 2 * p) >= 0) return undefined;
    return table;
  }

  /** Pair index of `word`, or -1. */
  find(word: string): number {
    let lo = 0;
    let hi = this.size - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const c = this.compareWord(word, 2 * mid);
      if (c === 0) return mid;
      if (c < 0) hi = mid - 1;
      else lo = mid + 1;
    }
    return -1;
  }

  /** Start and end (exclusive) of the value line of pair `p` in `bytes`. */
  valueStart(p: number): number {
    return this.lineStart[2 * p + 1]!;
  }

  valueEnd(p: number): number {
    return this.lineStart[2 * p + 2]! - 1;
  }

  byte(i: number): number {
    return this.bytes[i]!;
  }

  /** Text of bytes [start, end) (ASCII). */
  text(start: number, end: number): string {
    let s = "";
    for (let i = start; i < end; i++) s += String.fromCharCode(this.bytes[i]!);
    return s;
  }

  /** Sign of `word` compared with line k, by UTF-16 code unit against byte. */
  private compareWord(word: string, k: number): number {
    const bytes = this.bytes;
    const a = this.lineStart[k]!;
    const n = this.lineStart[k + 1]! - 1 - a;
    const m = word.length;
    const len = m < n ? m : n;
    for (let i = 0; i < len; i++) {
      const d = word.charCodeAt(i) - bytes[a + i]!;
      if (d !== 0) return d;
    }
    return m - n;
  }

  private compareLines(k: number, l: number): number {
    const bytes = this.bytes;
    const a = this.lineStart[k]!;
    const n = this.lineStart[k + 1]! - 1 - a;
    const b = this.lineStart[l]!;
    const m = this.lineStart[l + 1]! - 1 - b;
    const len = m < n ? m : n;
    for (let i = 0; i < len; i++) {
      const d = bytes[a + i]! - bytes[b + i]!;
      if (d !== 0) return d;
    }
    return n - m;
  }
}
