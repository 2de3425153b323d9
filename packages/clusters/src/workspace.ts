import { createHeap, type KernelChoice, type Kernels } from "./kernels/kernels";

/** Rows per kernel call: large enough to amortise the call, small enough that its buffers stay in cache. */
const BLOCK = 512;

const align = (n: number) => Math.ceil(n / 16) * 16;
const roundUp4 = (n: number) => Math.ceil(n / 4) * 4;

/**
 * The data [N, D] and k-means buffers in one memory the kernels compute over, with block-wise drivers:
 * `nearest` (nearest and second-nearest centre of listed points), `dots` (dot products with the centres) and
 * `assignedDistances` (distance of listed points to their labelled centre).
 */
export class Workspace {
  readonly n: number;
  readonly dim: number;
  /** Centre capacity, rounded up to a multiple of 4 (the kernels' column block). */
  readonly kp: number;
  readonly kind: "wasm" | "js";
  /** The data, row-major [N, D] (float32, in the workspace memory). */
  readonly x: Float32Array;
  /** Squared norms of the data rows. */
  readonly xn: Float32Array;
  /** Labels read by `assignedDistances` (int32 [N]). */
  readonly labels: Int32Array;
  /** Centres row-major [kp, D] and transposed [D, kp], and their squared norms [kp]. */
  readonly c: Float32Array;
  readonly ct: Float32Array;
  readonly cn: Float32Array;
  /** Results of the last block: nearest centre, its squared distance and the second-nearest squared distance. */
  readonly best: Int32Array;
  readonly d1: Float32Array;
  readonly d2: Float32Array;
  /** Dot products of the last block, [BLOCK, kp]. */
  readonly dp: Float32Array;
  /** Outputs of `assignedDistances` for the last block. */
  readonly out: Float32Array;
  /** k-means++ state: squared distance of each point to its nearest chosen centre, and that centre. */
  readonly closest: Float64Array;
  readonly owner: Int32Array;
  /** k-means++: per chosen centre, the squared distance below which its points cannot improve. */
  readonly limit: Float64Array;
  /** k-means++: candidates' squared distances of the last step, [N, lp]. */
  readonly ppOut: Float32Array;
  /** k-means++ candidate slots per step, a multiple of 4. */
  readonly lp: number;
  /** How many centres are loaded. */
  k = 0;
  private readonly z: Float32Array;
  private readonly zn: Float32Array;
  private readonly gain: Float64Array;
  private readonly kernels: Kernels;
  private readonly idx: Int32Array;
  private readonly off: Record<
    | "x"
    | "xn"
    | "labels"
    | "c"
    | "ct"
    | "cn"
    | "idx"
    | "dp"
    | "best"
    | "d1"
    | "d2"
    | "out"
    | "closest"
    | "owner"
    | "limit"
    | "ppOut"
    | "z"
    | "zn"
    | "gain",
    number
  >;

  /**
   * `centreCapacity`: most centres loaded at once; `trials`: k-means++ candidates per step (0 when no k-means++ runs
   * on this workspace).
   */
  constructor(
    data: Float32Array,
    n: number,
    dim: number,
    centreCapacity: number,
    trials: number,
    kernel: KernelChoice = "auto",
  ) {
    this.n = n;
    this.dim = dim;
    this.kp = roundUp4(Math.max(centreCapacity, 4));
    this.lp = trials > 0 ? roundUp4(trials) : 0;
    const pp = this.lp > 0;
    const sizes = {
      x: n * dim * 4,
      xn: n * 4,
      labels: n * 4,
      c: this.kp * dim * 4,
      ct: this.kp * dim * 4,
      cn: this.kp * 4,
      idx: BLOCK * 4,
      dp: BLOCK * this.kp * 4,
      best: BLOCK * 4,
      d1: BLOCK * 4,
      d2: BLOCK * 4,
      out: BLOCK * 4,
      closest: pp ? n * 8 : 0,
      owner: pp ? n * 4 : 0,
      limit: pp ? this.kp * 8 : 0,
      ppOut: n * this.lp * 4,
      z: this.lp * dim * 4,
      zn: this.lp * 4,
      gain: this.lp * 8,
    };
    let at = 64;
    const off = {} as Record<keyof typeof sizes, number>;
    for (const [name, size] of Object.entries(sizes) as [keyof typeof sizes, number][]) {
      off[name] = at;
      at = align(at + size);
    }
    this.off = off;
    const heap = createHeap(at, kernel);
    this.kind = heap.kind;
    this.kernels = heap.kernels;
    const b = heap.buffer;
    this.x = new Float32Array(b, off.x, n * dim);
    this.x.set(data.length === n * dim ? data : data.subarray(0, n * dim));
    this.xn = new Float32Array(b, off.xn, n);
    this.refreshNorms(0, n);
    this.labels = new Int32Array(b, off.labels, n);
    this.c = new Float32Array(b, off.c, this.kp * dim);
    this.ct = new Float32Array(b, off.ct, this.kp * dim);
    this.cn = new Float32Array(b, off.cn, this.kp);
    this.idx = new Int32Array(b, off.idx, BLOCK);
    this.dp = new Float32Array(b, off.dp, BLOCK * this.kp);
    this.best = new Int32Array(b, off.best, BLOCK);
    this.d1 = new Float32Array(b, off.d1, BLOCK);
    this.d2 = new Float32Array(b, off.d2, BLOCK);
    this.out = new Float32Array(b, off.out, BLOCK);
    this.closest = new Float64Array(b, off.closest, pp ? n : 0);
    this.owner = new Int32Array(b, off.owner, pp ? n : 0);
    this.limit = new Float64Array(b, off.limit, pp ? this.kp : 0);
    this.ppOut = new Float32Array(b, off.ppOut, n * this.lp);
    this.z = new Float32Array(b, off.z, this.lp * dim);
    this.zn = new Float32Array(b, off.zn, this.lp);
    this.gain = new Float64Array(b, off.gain, this.lp);
  }

  /**
   * Recompute the squared norms of rows `from..from+rows-1` after their data in `x` was overwritten (a workspace
   * reused for successive chunks of a file).
   */
  refreshNorms(from: number, rows: number): void {
    const { x, xn, dim } = this;
    for (let i = from; i < from + rows; i++) {
      let s = 0;
      const o = i * dim;
      for (let d = 0; d < dim; d++) s += x[o + d]! * x[o + d]!;
      xn[i] = s;
    }
  }

  /**
   * One k-means++ step (see `ppStep` in assembly/kernels.ts): squared distances of every point not ruled out by
   * `limit[owner[i]]` to the `count` candidates (rows of `candidates`, [count, D]) into `ppOut`, and each candidate's
   * total gain (decrease of the potential) into `gains`. Returns how many points were computed.
   */
  plusPlusStep(candidates: Float64Array, count: number, gains: Float64Array): number {
    const { dim, lp, z, zn } = this;
    z.fill(0);
    zn.fill(0);
    for (let l = 0; l < count; l++) {
      let s = 0;
      for (let d = 0; d < dim; d++) {
        const v = Math.fround(candidates[l * dim + d]!);
        z[l * dim + d] = v;
        s += v * v;
      }
      zn[l] = s;
    }
    this.gain.fill(0);
    const o = this.off;
    const computed = this.kernels.ppStep(
      o.x,
      this.n,
      dim,
      o.z,
      count,
      lp,
      o.zn,
      o.xn,
      o.closest,
      o.owner,
      o.limit,
      o.ppOut,
      o.gain,
    );
    for (let l = 0; l < count; l++) gains[l] = this.gain[l]!;
    return computed;
  }

  /** Load `k` centres (row-major [k, D], float32 or float64) for the kernels. */
  setCentres(centres: Float32Array | Float64Array, k: number): void {
    const { dim, kp, c, ct, cn } = this;
    this.k = k;
    ct.fill(0);
    cn.fill(Number.POSITIVE_INFINITY); // padding columns are never nearest
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let d = 0; d < dim; d++) {
        const v = Math.fround(centres[j * dim + d]!);
        c[j * dim + d] = v;
        ct[d * kp + j] = v;
        s += v * v;
      }
      cn[j] = s;
    }
  }

  /** Copy up to BLOCK point indices into the kernels' index buffer, padded to a multiple of 4 with the last one. */
  private load(list: Int32Array, from: number, m: number): number {
    const idx = this.idx;
    for (let r = 0; r < m; r++) idx[r] = list[from + r]!;
    const padded = roundUp4(m);
    for (let r = m; r < padded; r++) idx[r] = list[from + m - 1]!;
    return padded;
  }

  /**
   * Nearest loaded centre of each listed point, block by block: `visit(from, m)` reads `best`, `d1`, `d2` for rows
   * 0..m-1 (points list[from..from+m-1]).
   */
  nearest(list: Int32Array, count: number, visit: (from: number, m: number) => void): void {
    const o = this.off;
    for (let from = 0; from < count; from += BLOCK) {
      const m = Math.min(BLOCK, count - from);
      const padded = this.load(list, from, m);
      this.kernels.dots(o.x, o.idx, padded, o.ct, this.kp, roundUp4(this.k), this.dim, o.dp);
      this.kernels.nearest2(o.dp, o.idx, m, this.kp, this.k, o.xn, o.cn, o.best, o.d1, o.d2);
      visit(from, m);
    }
  }

  /** Dot products of listed points with the loaded centres: `visit(from, m)` reads `dp` ([m, kp]). */
  dots(list: Int32Array, count: number, visit: (from: number, m: number) => void): void {
    const o = this.off;
    for (let from = 0; from < count; from += BLOCK) {
      const m = Math.min(BLOCK, count - from);
      const padded = this.load(list, from, m);
      this.kernels.dots(o.x, o.idx, padded, o.ct, this.kp, roundUp4(this.k), this.dim, o.dp);
      visit(from, m);
    }
  }

  /** Squared distance of listed points to their centre `labels[i]`: `visit(from, m)` reads `out`. */
  assignedDistances(list: Int32Array, count: number, visit: (from: number, m: number) => void): void {
    const o = this.off;
    for (let from = 0; from < count; from += BLOCK) {
      const m = Math.min(BLOCK, count - from);
      this.load(list, from, m);
      this.kernels.distAssigned(o.x, o.idx, m, o.c, o.labels, this.dim, o.out);
      visit(from, m);
    }
  }
}

/** 0, 1, ..., n-1. */
export function allIndices(n: number): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}
