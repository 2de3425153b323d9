/**
 * The candidate matches of one alignment, struct-of-arrays in pooled typed arrays. Match m joins `length[m]`
 * reference words at `start[m]` to `matchLength[m]` test words at `matchStart[m]`; `module[m]` is the index of
 * the module that made it. After `index()`, the matches starting at reference position j are
 * `byStart[first[j] .. first[j + 1])`, in the order they were added.
 */
export class MatchSet {
  count = 0;
  referenceLength = 0;
  start = new Int32Array(1 << 12);
  length = new Int32Array(1 << 12);
  matchStart = new Int32Array(1 << 12);
  matchLength = new Int32Array(1 << 12);
  module = new Int32Array(1 << 12);
  first = new Int32Array(1 << 9);
  byStart = new Int32Array(1 << 12);
  private cursor = new Int32Array(1 << 9);

  reset(referenceLength: number): void {
    this.count = 0;
    this.referenceLength = referenceLength;
    if (this.first.length < referenceLength + 1) {
      this.first = new Int32Array(2 * (referenceLength + 1));
      this.cursor = new Int32Array(2 * (referenceLength + 1));
    }
  }

  add(start: number, length: number, matchStart: number, matchLength: number, module: number): void {
    if (this.count === this.start.length) this.grow();
    const m = this.count++;
    this.start[m] = start;
    this.length[m] = length;
    this.matchStart[m] = matchStart;
    this.matchLength[m] = matchLength;
    this.module[m] = module;
  }

  /** Group the matches by reference position (a stable counting sort). */
  index(): void {
    const n = this.referenceLength;
    const first = this.first;
    first.fill(0, 0, n + 1);
    for (let m = 0; m < this.count; m++) first[this.start[m]! + 1]!++;
    for (let j = 0; j < n; j++) first[j + 1]! += first[j];
    const cursor = this.cursor;
    cursor.set(first.subarray(0, n));
    for (let m = 0; m < this.count; m++) this.byStart[cursor[this.start[m]!]!++] = m;
  }

  private grow(): void {
    const n = 2 * this.start.length;
    const grow = (a: Int32Array) => {
      const b = new Int32Array(n);
      b.set(a);
      return b;
    };
    this.start = grow(this.start);
    this.length = grow(this.length);
    this.matchStart = grow(this.matchStart);
    this.matchLength = grow(this.matchLength);
    this.module = grow(this.module);
    this.byStart = new Int32Array(n);
  }
}

/**
 * Pools are sized up front so that growing them (which makes V8 recompile the code using them) is rare.
 *
 * Partial alignments of one search, struct-of-arrays in pooled typed arrays (Meteor's PartialAlignment objects:
 * a path is an index). A path's matches are the fixed ones plus a linked list of the ones the search added;
 * its used words are bit sets in `used` (w1 words for the test, then w2 for the reference, at `usedAt[path]`).
 */
class Paths {
  count = 0;
  matches1 = new Int32Array(1 << 13);
  matches2 = new Int32Array(1 << 13);
  chunks = new Int32Array(1 << 13);
  idx = new Int32Array(1 << 13);
  lastMatchEnd = new Int32Array(1 << 13);
  distance = new Float64Array(1 << 13);
  head = new Int32Array(1 << 13);
  usedAt = new Int32Array(1 << 13);
  used = new Int32Array(1 << 15);
  usedTop = 0;
  /** Added matches: node -> match, reference position, next node (-1 ends a list). */
  nodeMatch = new Int32Array(1 << 13);
  nodePos = new Int32Array(1 << 13);
  nodeNext = new Int32Array(1 << 13);
  nodeCount = 0;
  /** The beam at the current position and the next one (path indices; swapped each step). */
  listA = new Int32Array(1 << 12);
  listB = new Int32Array(1 << 12);
  /** Sort scratch. */
  keys = new Float64Array(1 << 11);
  keys2 = new Float64Array(1 << 11);
  order = new Int32Array(1 << 11);

  reset(): void {
    this.count = 0;
    this.usedTop = 0;
    this.nodeCount = 0;
  }

  /** A new path: a copy of `from` (all fields and used bits), or an empty one when `from` is -1. */
  alloc(from: number, words: number): number {
    if (this.count === this.matches1.length) this.growPaths();
    if (this.usedTop + words > this.used.length) {
      const grown = new Int32Array(2 * (this.usedTop + words));
      grown.set(this.used);
      this.used = grown;
    }
    const p = this.count++;
    const at = this.usedTop;
    this.usedTop += words;
    this.usedAt[p] = at;
    if (from < 0) {
      this.matches1[p] = 0;
      this.matches2[p] = 0;
      this.chunks[p] = 0;
      this.idx[p] = 0;
      this.lastMatchEnd[p] = -1;
      this.distance[p] = 0;
      this.head[p] = -1;
      this.used.fill(0, at, at + words);
    } else {
      this.matches1[p] = this.matches1[from]!;
      this.matches2[p] = this.matches2[from]!;
      this.chunks[p] = this.chunks[from]!;
      this.idx[p] = this.idx[from]!;
      this.lastMatchEnd[p] = this.lastMatchEnd[from]!;
      this.distance[p] = this.distance[from]!;
      this.head[p] = this.head[from]!;
      this.used.copyWithin(at, this.usedAt[from]!, this.usedAt[from]! + words);
    }
    return p;
  }

  addNode(p: number, m: number, pos: number): void {
    const n = this.nodeCount++;
    if (n === this.nodePos.length) {
      const pos2 = new Int32Array(2 * n);
      pos2.set(this.nodePos);
      this.nodePos = pos2;
      const next2 = new Int32Array(2 * n);
      next2.set(this.nodeNext);
      this.nodeNext = next2;
      const match2 = new Int32Array(2 * n);
      match2.set(this.nodeMatch);
      this.nodeMatch = match2;
    }
    this.nodeMatch[n] = m;
    this.nodePos[n] = pos;
    this.nodeNext[n] = this.head[p]!;
    this.head[p] = n;
  }

  private growPaths(): void {
    const n = 2 * this.matches1.length;
    const grow = <T extends Int32Array | Float64Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(n);
      b.set(a);
      return b;
    };
    this.matches1 = grow(this.matches1);
    this.matches2 = grow(this.matches2);
    this.chunks = grow(this.chunks);
    this.idx = grow(this.idx);
    this.lastMatchEnd = grow(this.lastMatchEnd);
    this.distance = grow(this.distance);
    this.head = grow(this.head);
    this.usedAt = grow(this.usedAt);
  }
}

const pool = new Paths();

/**
 * Meteor 1.5's Aligner.resolve: a beam search over reference positions, starting from the fixed matches, that
 * at each position either takes one of the matches starting there (if its words are free) or skips it. Paths are
 * ranked by PARTIAL_COMPARE_TOTAL (more weighted matched words, then fewer chunks, then less distance; a stable
 * sort, as Java's). Reproduces Meteor's integer arithmetic (weighted counts are Java ints, so a 0.5-weighted
 * single-word match adds nothing) and its in-place updates (the distance of a new path is added to the path it
 * extends), since those decide which alignment wins. `fixed[j]` is the fixed match at j or -1; the best path's
 * match at each reference position (or -1) is written to `out`.
 */
export function resolve(
  ms: MatchSet,
  fixed: Int32Array,
  testLength: number,
  weights: readonly number[],
  beamSize: number,
  out: Int32Array,
): void {
  const P = pool;
  P.reset();
  const n = ms.referenceLength;
  const { start: mStart, length: mLength, matchStart: mMatchStart, matchLength: mMatchLength, module: mModule } = ms;
  const { first, byStart } = ms;
  const w1 = (testLength + 31) >>> 5;
  const words = w1 + ((n + 31) >>> 5);
  // Bounds of the three ranking fields, so that a path's rank fits one exact double (else sort with a comparator).
  let distanceBound = 1;
  for (let m = 0; m < ms.count; m++) distanceBound += Math.abs(mStart[m]! - mMatchStart[m]!);
  const matchBound = testLength + n + 1;
  const chunkBound = n + 2;

  const startPath = P.alloc(-1, words);
  for (let j = 0; j < n; j++) if (fixed[j]! >= 0) setUsed(P, startPath, w1, ms, fixed[j]!);
  let paths = P.listA;
  let nextPaths = P.listB;
  let count = 0;
  let nextCount = 0;
  nextPaths[nextCount++] = startPath;
  for (let current = 0; current <= n; current++) {
    const swap = paths;
    paths = nextPaths;
    count = nextCount;
    nextPaths = swap;
    nextCount = 0;
    sortPaths(P, paths, count, matchBound, chunkBound, distanceBound);
    // Room for every path kept plus all it can spawn here.
    const spawn = current < n ? first[current + 1]! - first[current]! : 0;
    const room = (Math.min(beamSize, count) * (spawn + 1)) | 0;
    if (room > nextPaths.length) {
      const grownList = new Int32Array(2 * room);
      grownList.set(nextPaths);
      nextPaths = grownList;
    }
    for (let rank = 0; rank < beamSize && rank < count; rank++) {
      const path = paths[rank]!;
      if (current === n) {
        if (P.lastMatchEnd[path] !== -1) P.chunks[path]!++;
        nextPaths[nextCount++] = path;
        continue;
      }
      const at = P.usedAt[path]!;
      if ((P.used[at + w1 + (current >>> 5)]! >>> (current & 31)) & 1) {
        if (current < P.idx[path]!) {
          nextPaths[nextCount++] = path;
        } else {
          const m = matchAt(P, path, P.idx[path]!, fixed, n);
          if (m >= 0) {
            const w = weights[mModule[m]!]!;
            P.matches1[path] = Math.trunc(P.matches1[path]! + mMatchLength[m]! * w);
            P.matches2[path] = Math.trunc(P.matches2[path]! + mLength[m]! * w);
            if (P.lastMatchEnd[path] !== -1 && mMatchStart[m] !== P.lastMatchEnd[path]) P.chunks[path]!++;
            P.idx[path] = mStart[m]! + mLength[m]!;
            P.lastMatchEnd[path] = mMatchStart[m]! + mMatchLength[m]!;
            P.distance[path]! += Math.abs(mStart[m]! - mMatchStart[m]!);
            nextPaths[nextCount++] = path;
          }
        }
        continue;
      }
      for (let q = first[current]!; q < first[current + 1]!; q++) {
        const m = byStart[q]!;
        if (isUsed(P, path, w1, ms, m)) continue;
        const next = P.alloc(path, words);
        setUsed(P, next, w1, ms, m);
        P.addNode(next, m, current);
        const w = weights[mModule[m]!]!;
        P.matches1[next] = Math.trunc(P.matches1[next]! + mMatchLength[m]! * w);
        P.matches2[next] = Math.trunc(P.matches2[next]! + mLength[m]! * w);
        if (P.lastMatchEnd[next] !== -1 && mMatchStart[m] !== P.lastMatchEnd[next]) P.chunks[next]!++;
        P.idx[next] = mStart[m]! + mLength[m]!;
        P.lastMatchEnd[next] = mMatchStart[m]! + mMatchLength[m]!;
        // Meteor adds this distance to the path being extended, not to the new one; kept as is.
        P.distance[path]! += Math.abs(mStart[m]! - mMatchStart[m]!);
        nextPaths[nextCount++] = next;
      }
      if (P.lastMatchEnd[path] !== -1) {
        P.chunks[path]!++;
        P.lastMatchEnd[path] = -1;
      }
      P.idx[path]!++;
      nextPaths[nextCount++] = path;
    }
    if (nextCount === 0) nextPaths[nextCount++] = paths[0]!;
  }
  sortPaths(P, nextPaths, nextCount, matchBound, chunkBound, distanceBound);
  // Keep the lists (grown ones too) for the next search.
  P.listA = paths;
  P.listB = nextPaths;
  const best = nextPaths[0]!;
  out.set(fixed.subarray(0, n));
  for (let node = P.head[best]!; node !== -1; node = P.nodeNext[node]!) out[P.nodePos[node]!] = P.nodeMatch[node]!;
}

/** The path's match at reference position `pos` (added by the search, else the fixed one), or -1. */
function matchAt(P: Paths, path: number, pos: number, fixed: Int32Array, n: number): number {
  for (let node = P.head[path]!; node !== -1; node = P.nodeNext[node]!)
    if (P.nodePos[node] === pos) return P.nodeMatch[node]!;
  return pos < n ? fixed[pos]! : -1;
}

function isUsed(P: Paths, path: number, w1: number, ms: MatchSet, m: number): boolean {
  const at = P.usedAt[path]!;
  const used = P.used;
  const s = ms.start[m]!;
  for (let i = s; i < s + ms.length[m]!; i++) if ((used[at + w1 + (i >>> 5)]! >>> (i & 31)) & 1) return true;
  const t = ms.matchStart[m]!;
  for (let i = t; i < t + ms.matchLength[m]!; i++) if ((used[at + (i >>> 5)]! >>> (i & 31)) & 1) return true;
  return false;
}

function setUsed(P: Paths, path: number, w1: number, ms: MatchSet, m: number): void {
  const at = P.usedAt[path]!;
  const used = P.used;
  const s = ms.start[m]!;
  for (let i = s; i < s + ms.length[m]!; i++) used[at + w1 + (i >>> 5)]! |= 1 << (i & 31);
  const t = ms.matchStart[m]!;
  for (let i = t; i < t + ms.matchLength[m]!; i++) used[at + (i >>> 5)]! |= 1 << (i & 31);
}
/**
 * Stable sort of paths by PARTIAL_COMPARE_TOTAL: each path's (fewer matched words, chunks, distance, position)
 * packed into one exact double and sorted natively (position in the low bits); a comparator when the bounds do not fit 2^53.
 */
function sortPaths(
  P: Paths,
  paths: Int32Array,
  len: number,
  matchBound: number,
  chunkBound: number,
  distanceBound: number,
): void {
  if (len < 2) return;
  let slots = 1;
  while (slots < len) slots *= 2;
  if ((matchBound + 1) * chunkBound * distanceBound * slots > Number.MAX_SAFE_INTEGER) {
    const byRank = (x: number, y: number): number => {
      const matchDiff = P.matches1[y]! + P.matches2[y]! - (P.matches1[x]! + P.matches2[x]!);
      if (matchDiff > 0) return 1;
      if (matchDiff < 0) return -1;
      const chunkDiff = P.chunks[x]! - P.chunks[y]!;
      if (chunkDiff !== 0) return chunkDiff;
      return P.distance[x]! - P.distance[y]!;
    };
    const list = Array.from(paths.subarray(0, len)).sort(byRank);
    for (let i = 0; i < len; i++) paths[i] = list[i]!;
    return;
  }
  if (P.keys.length < len) {
    P.keys = new Float64Array(2 * len);
    P.keys2 = new Float64Array(2 * len);
    P.order = new Int32Array(2 * len);
  }
  const keys = P.keys;
  for (let i = 0; i < len; i++) {
    const p = paths[i]!;
    const rank =
      ((matchBound - (P.matches1[p]! + P.matches2[p]!)) * chunkBound + P.chunks[p]!) * distanceBound + P.distance[p]!;
    keys[i] = rank * slots + i;
  }
  if (len <= 48) {
    // Insertion sort of the (distinct) keys: cheapest for a short list.
    for (let i = 1; i < len; i++) {
      const k = keys[i]!;
      let j = i - 1;
      while (j >= 0 && keys[j]! > k) {
        keys[j + 1] = keys[j]!;
        j--;
      }
      keys[j + 1] = k;
    }
  } else mergeSort(P, len);
  const order = P.order;
  for (let i = 0; i < len; i++) order[i] = paths[i]!;
  const inv = 1 / slots;
  for (let i = 0; i < len; i++) {
    const k = keys[i]!;
    paths[i] = order[k - Math.floor(k * inv) * slots]!;
  }
}

/** Bottom-up merge sort of `P.keys[0 .. len)` (through `P.keys2`; copied back when it ends there). */
function mergeSort(P: Paths, len: number): void {
  let src = P.keys;
  let dst = P.keys2;
  for (let width = 1; width < len; width *= 2) {
    for (let lo = 0; lo < len; lo += 2 * width) {
      const mid = Math.min(lo + width, len);
      const hi = Math.min(lo + 2 * width, len);
      let a = lo;
      let b = mid;
      let o = lo;
      while (a < mid && b < hi) dst[o++] = src[a]! <= src[b]! ? src[a++]! : src[b++]!;
      while (a < mid) dst[o++] = src[a++]!;
      while (b < hi) dst[o++] = src[b++]!;
    }
    const t = src;
    src = dst;
    dst = t;
  }
  if (src !== P.keys) for (let i = 0; i < len; i++) P.keys[i] = src[i]!;
}
