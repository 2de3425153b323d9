/** A match of `length` words at `start` in the reference to `matchLength` words at `matchStart` in the test. */
export interface Match {
  start: number;
  length: number;
  matchStart: number;
  matchLength: number;
  /** Index of the module (position in the module list) that made the match. */
  module: number;
}

/**
 * Partial alignments of one search, struct-of-arrays in pooled typed arrays (Meteor's PartialAlignment objects:
 * a path is an index). A path's matches are the fixed ones plus a linked list of the ones the search added;
 * its used words are bit sets in `used` (w1 words for the test, then w2 for the reference, at `usedAt[path]`).
 */
class Paths {
  count = 0;
  matches1 = new Int32Array(256);
  matches2 = new Int32Array(256);
  chunks = new Int32Array(256);
  idx = new Int32Array(256);
  lastMatchEnd = new Int32Array(256);
  distance = new Float64Array(256);
  head = new Int32Array(256);
  usedAt = new Int32Array(256);
  used = new Int32Array(1024);
  usedTop = 0;
  /** Added matches: node -> match, reference position, next node (-1 ends a list). */
  nodeMatch: Match[] = [];
  nodePos = new Int32Array(256);
  nodeNext = new Int32Array(256);
  nodeCount = 0;
  /** Sort scratch. */
  keys = new Float64Array(256);
  order: number[] = [];

  reset(): void {
    this.count = 0;
    this.usedTop = 0;
    this.nodeCount = 0;
    this.nodeMatch.length = 0;
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

  addNode(p: number, m: Match, pos: number): void {
    const n = this.nodeCount++;
    if (n === this.nodePos.length) {
      const pos2 = new Int32Array(2 * n);
      pos2.set(this.nodePos);
      this.nodePos = pos2;
      const next2 = new Int32Array(2 * n);
      next2.set(this.nodeNext);
      this.nodeNext = next2;
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
 * extends), since those decide which alignment wins. Returns the best path's match at each reference position.
 */
export function resolve(
  matches: readonly (readonly Match[])[],
  fixed: readonly (Match | null)[],
  testLength: number,
  weights: readonly number[],
  beamSize: number,
): (Match | null)[] {
  const P = pool;
  P.reset();
  const n = matches.length;
  const w1 = (testLength + 31) >>> 5;
  const words = w1 + ((n + 31) >>> 5);
  // Bounds of the three ranking fields, so that a path's rank fits one exact double (else sort with a comparator).
  let distanceBound = 1;
  for (const list of matches) for (const m of list) distanceBound += Math.abs(m.start - m.matchStart);
  const matchBound = testLength + n + 1;
  const chunkBound = n + 2;

  const start = P.alloc(-1, words);
  for (let j = 0; j < n; j++) {
    const m = fixed[j];
    if (m != null) setUsed(P, start, w1, m);
  }
  let nextPaths: number[] = [start];
  for (let current = 0; current <= n; current++) {
    const paths = nextPaths;
    nextPaths = [];
    sortPaths(P, paths, matchBound, chunkBound, distanceBound);
    for (let rank = 0; rank < beamSize && rank < paths.length; rank++) {
      const path = paths[rank]!;
      if (current === n) {
        if (P.lastMatchEnd[path] !== -1) P.chunks[path]!++;
        nextPaths.push(path);
        continue;
      }
      const at = P.usedAt[path]!;
      if ((P.used[at + w1 + (current >>> 5)]! >>> (current & 31)) & 1) {
        if (current < P.idx[path]!) {
          nextPaths.push(path);
        } else {
          const m = matchAt(P, path, P.idx[path]!, fixed);
          if (m != null) {
            const w = weights[m.module]!;
            P.matches1[path] = Math.trunc(P.matches1[path]! + m.matchLength * w);
            P.matches2[path] = Math.trunc(P.matches2[path]! + m.length * w);
            if (P.lastMatchEnd[path] !== -1 && m.matchStart !== P.lastMatchEnd[path]) P.chunks[path]!++;
            P.idx[path] = m.start + m.length;
            P.lastMatchEnd[path] = m.matchStart + m.matchLength;
            P.distance[path]! += Math.abs(m.start - m.matchStart);
            nextPaths.push(path);
          }
        }
        continue;
      }
      for (const m of matches[current]!) {
        if (isUsed(P, path, w1, m)) continue;
        const next = P.alloc(path, words);
        setUsed(P, next, w1, m);
        P.addNode(next, m, current);
        const w = weights[m.module]!;
        P.matches1[next] = Math.trunc(P.matches1[next]! + m.matchLength * w);
        P.matches2[next] = Math.trunc(P.matches2[next]! + m.length * w);
        if (P.lastMatchEnd[next] !== -1 && m.matchStart !== P.lastMatchEnd[next]) P.chunks[next]!++;
        P.idx[next] = m.start + m.length;
        P.lastMatchEnd[next] = m.matchStart + m.matchLength;
        // Meteor adds this distance to the path being extended, not to the new one; kept as is.
        P.distance[path]! += Math.abs(m.start - m.matchStart);
        nextPaths.push(next);
      }
      if (P.lastMatchEnd[path] !== -1) {
        P.chunks[path]!++;
        P.lastMatchEnd[path] = -1;
      }
      P.idx[path]!++;
      nextPaths.push(path);
    }
    if (nextPaths.length === 0) nextPaths.push(paths[0]!);
  }
  sortPaths(P, nextPaths, matchBound, chunkBound, distanceBound);
  const best = nextPaths[0]!;
  const out = fixed.slice();
  for (let node = P.head[best]!; node !== -1; node = P.nodeNext[node]!) out[P.nodePos[node]!] = P.nodeMatch[node]!;
  P.nodeMatch.length = 0;
  return out;
}

/** The path's match at reference position `pos` (added by the search, else the fixed one). */
function matchAt(P: Paths, path: number, pos: number, fixed: readonly (Match | null)[]): Match | null | undefined {
  for (let node = P.head[path]!; node !== -1; node = P.nodeNext[node]!)
    if (P.nodePos[node] === pos) return P.nodeMatch[node]!;
  return fixed[pos];
}

function isUsed(P: Paths, path: number, w1: number, m: Match): boolean {
  const at = P.usedAt[path]!;
  const used = P.used;
  for (let i = m.start; i < m.start + m.length; i++) if ((used[at + w1 + (i >>> 5)]! >>> (i & 31)) & 1) return true;
  for (let i = m.matchStart; i < m.matchStart + m.matchLength; i++)
    if ((used[at + (i >>> 5)]! >>> (i & 31)) & 1) return true;
  return false;
}

function setUsed(P: Paths, path: number, w1: number, m: Match): void {
  const at = P.usedAt[path]!;
  const used = P.used;
  for (let i = m.start; i < m.start + m.length; i++) used[at + w1 + (i >>> 5)]! |= 1 << (i & 31);
  for (let i = m.matchStart; i < m.matchStart + m.matchLength; i++) used[at + (i >>> 5)]! |= 1 << (i & 31);
}

/**
 * Stable sort of paths by PARTIAL_COMPARE_TOTAL: each path's (fewer matched words, chunks, distance, position)
 * packed into one exact double and sorted natively; a comparator when the bounds do not fit 2^53.
 */
function sortPaths(P: Paths, paths: number[], matchBound: number, chunkBound: number, distanceBound: number): void {
  const len = paths.length;
  if (len < 2) return;
  if ((matchBound + 1) * chunkBound * distanceBound * len > Number.MAX_SAFE_INTEGER) {
    const byRank = (x: number, y: number): number => {
      const matchDiff = P.matches1[y]! + P.matches2[y]! - (P.matches1[x]! + P.matches2[x]!);
      if (matchDiff > 0) return 1;
      if (matchDiff < 0) return -1;
      const chunkDiff = P.chunks[x]! - P.chunks[y]!;
      if (chunkDiff !== 0) return chunkDiff;
      return P.distance[x]! - P.distance[y]!;
    };
    paths.sort(byRank);
    return;
  }
  if (P.keys.length < len) P.keys = new Float64Array(2 * len);
  const keys = P.keys.subarray(0, len);
  for (let i = 0; i < len; i++) {
    const p = paths[i]!;
    const rank =
      ((matchBound - (P.matches1[p]! + P.matches2[p]!)) * chunkBound + P.chunks[p]!) * distanceBound + P.distance[p]!;
    keys[i] = rank * len + i;
  }
  keys.sort();
  const order = P.order;
  for (let i = 0; i < len; i++) order[i] = paths[i]!;
  for (let i = 0; i < len; i++) paths[i] = order[keys[i]! % len]!;
}
