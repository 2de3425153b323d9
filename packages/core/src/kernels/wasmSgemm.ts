import { tf } from "../tf";
import { bindWasmKernels, type WasmBackendLike, type WasmKernels } from "./wasmModule";
import { JOB_BATCH, JOB_SGEMM, type SgemmPool, sgemmPool, sgemmPoolError } from "./wasmSgemmWorkers";

/**
 * Starts the product's worker threads for the active wasm backend (initBackend calls this, so that a failure shows in
 * the backend report rather than silently later). Returns how many threads the products run on and, where workers
 * were asked for but could not start, why; null where core's kernels cannot run here (no WebAssembly SIMD).
 */
export function startWasmThreads(backend: unknown): { threads: number; error: string | null } | null {
  const sg = bindWasmKernels((backend as WasmBackendLike).wasm);
  if (!sg) return null;
  const pool = sgemmPool(sg.exports.workspaceFloats());
  return { threads: pool ? pool.size + 1 : 1, error: sgemmPoolError() };
}

/**
 * BatchMatMul on tfjs-backend-wasm with the SIMD product of wasm/sgemm.c, in place on tfjs's heap: every transpose
 * form, batched and broadcast batches, one call. Returns null where the product cannot run here (no SIMD, a dtype
 * other than float32), and the caller uses tfjs's own kernel.
 */
export function wasmBatchMatMul(
  a: tf.TensorInfo,
  b: tf.TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
  backend: unknown,
): tf.TensorInfo | null {
  if (a.dtype !== "float32" || b.dtype !== "float32") return null;
  const be = backend as WasmBackendLike;
  const sg = bindWasmKernels(be.wasm);
  if (!sg) return null;
  const ra = a.shape.length;
  const rb = b.shape.length;
  const m = transposeA ? a.shape[ra - 1]! : a.shape[ra - 2]!;
  const k = transposeA ? a.shape[ra - 2]! : a.shape[ra - 1]!;
  const kb = transposeB ? b.shape[rb - 1]! : b.shape[rb - 2]!;
  const n = transposeB ? b.shape[rb - 2]! : b.shape[rb - 1]!;
  if (k !== kb) {
    throw new Error(`wasmBatchMatMul: inner dimensions differ: a [${a.shape}] and b [${b.shape}]`);
  }
  const batchA = a.shape.slice(0, -2);
  const batchB = b.shape.slice(0, -2);
  const outer = tf.backend_util.assertAndGetBroadcastShape(batchA, batchB);
  const count = outer.reduce((p, d) => p * d, 1);
  const out = be.makeOutput([...outer, m, n], "float32");
  if (count === 0 || m === 0 || n === 0) return out;
  const cPtr = be.getMemoryOffset(out.dataId);
  if (k === 0) {
    new Float32Array(sg.memory.buffer, cPtr, count * m * n).fill(0);
    return out;
  }
  const aPtr = be.getMemoryOffset(a.dataId);
  const bPtr = be.getMemoryOffset(b.dataId);
  // Element (i, k) of A lives at i*ars + k*acs within its matrix; likewise B's (k, j) at k*brs + j*bcs.
  const [ars, acs] = transposeA ? [1, m] : [k, 1];
  const [brs, bcs] = transposeB ? [1, k] : [n, 1];
  const countA = batchA.reduce((p, d) => p * d, 1);
  const countB = batchB.reduce((p, d) => p * d, 1);
  const flops = 2 * count * m * n * k;
  const pool = flops >= MIN_THREADED_FLOPS ? sgemmPool(sg.exports.workspaceFloats()) : null;
  if ((countB === 1 && countA === count && !transposeA) || count === 1) {
    // One b for every item and a's matrices stacked row after row (or a single item): one [count*m, k] . [k, n]
    // product (count is 1 when a is transposed here).
    const rows = countB === 1 && countA === count && !transposeA ? count * m : m;
    const p = [n, k, aPtr, ars, acs, bPtr, brs, bcs, cPtr, n] as const;
    if (pool && rows >= 2 * MR) splitRows(sg, pool, rows, ...p);
    else sg.exports.sgemm(rows, ...p, sg.work);
    return out;
  }
  // Broadcast batches: the float offset of each item's a and b matrix.
  const strideA = broadcastStrides(batchA, outer);
  const strideB = broadcastStrides(batchB, outer);
  const aOff = new Int32Array(count);
  const bOff = new Int32Array(count);
  for (let t = 0; t < count; t++) {
    let rest = t;
    let oa = 0;
    let ob = 0;
    for (let d = outer.length - 1; d >= 0; d--) {
      const i = rest % outer[d]!;
      rest = Math.floor(rest / outer[d]!);
      oa += i * strideA[d]!;
      ob += i * strideB[d]!;
    }
    aOff[t] = oa * m * k;
    bOff[t] = ob * k * n;
  }
  const item = { m, n, k, ars, acs, brs, bcs };
  const mine = pool ? Math.min(count - 1, Math.max(1, Math.round(count * mainShare(pool.size)))) : count;
  const started =
    pool && mine < count ? postItems(sg, pool, item, mine, count, aPtr, countA, aOff, bPtr, countB, bOff) : [];
  const t0 = performance.now();
  runItems(sg, item, 0, mine, aPtr, aOff, bPtr, bOff, cPtr);
  if (pool && started.length > 0) collect(sg, pool, started, cPtr, performance.now() - t0, mine);
  return out;
}

/** A product smaller than this (in flops, 2mnk) runs on the main thread alone: about 0.1 ms of work. */
const MIN_THREADED_FLOPS = 2e6;
/** Rows of the kernel's register tile (wasm/sgemm.c): thread boundaries fall on multiples of it. */
const MR = 4;

interface Item {
  m: number;
  n: number;
  k: number;
  ars: number;
  acs: number;
  brs: number;
  bcs: number;
}

/** A worker's share: its output rows or items land at shared byte offset `c` and go to heap byte offset `to`. */
interface Started {
  worker: number;
  c: number;
  floats: number;
  to: number;
  /** Rows or items it computes. */
  units: number;
}

/**
 * Rows [0, mine) on the main thread in place; the rest split between the workers, which read copies of a's rows they
 * need and all of b from the shared memory and write their rows there; the main thread copies them into c after.
 */
function splitRows(
  sg: WasmKernels,
  pool: SgemmPool,
  m: number,
  n: number,
  k: number,
  aPtr: number,
  ars: number,
  acs: number,
  bPtr: number,
  brs: number,
  bcs: number,
  cPtr: number,
  ldc: number,
): void {
  const mine = Math.min(m - MR, Math.max(MR, Math.round((m * mainShare(pool.size)) / MR) * MR));
  const per = Math.ceil((m - mine) / pool.size / MR) * MR;
  const heap = new Float32Array(sg.memory.buffer);
  // The floats of a the workers read (rows mine..m-1 in any transpose form), of b, and of their output rows.
  const aLo = mine * ars;
  const aHi = (m - 1) * ars + (k - 1) * acs + 1;
  const bLen = (k - 1) * brs + (n - 1) * bcs + 1;
  const cLen = (m - mine) * ldc;
  pool.ensure(4 * (aHi - aLo + bLen + cLen));
  const aAt = pool.base;
  const bAt = aAt + 4 * (aHi - aLo);
  const cAt = bAt + 4 * bLen;
  const shared = new Float32Array(pool.memory.buffer);
  shared.set(heap.subarray(aPtr / 4 + aLo, aPtr / 4 + aHi), aAt / 4);
  shared.set(heap.subarray(bPtr / 4, bPtr / 4 + bLen), bAt / 4);
  const started: Started[] = [];
  for (let w = 0, r0 = mine; r0 < m; w++, r0 += per) {
    const rows = Math.min(per, m - r0);
    const c = cAt + 4 * (r0 - mine) * ldc;
    pool.post(w, JOB_SGEMM, [rows, n, k, aAt + 4 * (r0 - mine) * ars, ars, acs, bAt, brs, bcs, c, ldc, pool.work(w)]);
    started.push({ worker: w, c, floats: rows * ldc, to: cPtr + 4 * r0 * ldc, units: rows });
  }
  const t0 = performance.now();
  sg.exports.sgemm(mine, n, k, aPtr, ars, acs, bPtr, brs, bcs, cPtr, ldc, sg.work);
  collect(sg, pool, started, 0, performance.now() - t0, mine);
}

/** Items [from, to) of a batched product on the main thread, in place (offsets copied to tfjs's heap). */
function runItems(
  sg: WasmKernels,
  p: Item,
  from: number,
  to: number,
  aPtr: number,
  aOff: Int32Array,
  bPtr: number,
  bOff: Int32Array,
  cPtr: number,
): void {
  const count = to - from;
  if (count <= 0) return;
  const offsets = sg.malloc(count * 8);
  try {
    const view = new Int32Array(sg.memory.buffer, offsets, count * 2);
    view.set(aOff.subarray(from, to), 0);
    view.set(bOff.subarray(from, to), count);
    sg.exports.sgemmBatch(
      count,
      p.m,
      p.n,
      p.k,
      aPtr,
      offsets,
      p.ars,
      p.acs,
      bPtr,
      offsets + count * 4,
      p.brs,
      p.bcs,
      cPtr + 4 * from * p.m * p.n,
      sg.work,
    );
  } finally {
    sg.free(offsets);
  }
}

/** Copies a and b whole into the shared memory and starts items [from, count) on the workers. */
function postItems(
  sg: WasmKernels,
  pool: SgemmPool,
  p: Item,
  from: number,
  count: number,
  aPtr: number,
  countA: number,
  aOff: Int32Array,
  bPtr: number,
  countB: number,
  bOff: Int32Array,
): Started[] {
  const aLen = countA * p.m * p.k;
  const bLen = countB * p.k * p.n;
  const cLen = (count - from) * p.m * p.n;
  const oLen = 2 * (count - from);
  pool.ensure(4 * (aLen + bLen + cLen + oLen));
  const aAt = pool.base;
  const bAt = aAt + 4 * aLen;
  const cAt = bAt + 4 * bLen;
  const oAt = cAt + 4 * cLen;
  const heap = new Float32Array(sg.memory.buffer);
  const shared = new Float32Array(pool.memory.buffer);
  shared.set(heap.subarray(aPtr / 4, aPtr / 4 + aLen), aAt / 4);
  shared.set(heap.subarray(bPtr / 4, bPtr / 4 + bLen), bAt / 4);
  const offsets = new Int32Array(pool.memory.buffer, oAt, oLen);
  const per = Math.ceil((count - from) / pool.size);
  const started: Started[] = [];
  for (let w = 0, t0 = from; t0 < count; w++, t0 += per) {
    const items = Math.min(per, count - t0);
    const o = oAt + 4 * 2 * (t0 - from);
    offsets.set(aOff.subarray(t0, t0 + items), 2 * (t0 - from));
    offsets.set(bOff.subarray(t0, t0 + items), 2 * (t0 - from) + items);
    const c = cAt + 4 * (t0 - from) * p.m * p.n;
    pool.post(w, JOB_BATCH, [
      items,
      p.m,
      p.n,
      p.k,
      aAt,
      o,
      p.ars,
      p.acs,
      bAt,
      o + 4 * items,
      p.brs,
      p.bcs,
      c,
      pool.work(w),
    ]);
    started.push({ worker: w, c, floats: items * p.m * p.n, to: 4 * t0 * p.m * p.n, units: items });
  }
  return started;
}

/**
 * How much slower a worker computes a row or item than the main thread (1 = as fast), as a running average of the
 * products so far: the main thread reads tfjs's tensors where they were just written, a worker reads copies, and
 * other work on the machine can slow either. The split follows it so that both finish together; which thread
 * computes an element never changes its value.
 */
let workerCost = 1;

/** The main thread's share of a product split with `workers` workers, so that all finish at once. */
function mainShare(workers: number): number {
  return workerCost / (workerCost + workers);
}

/**
 * Waits for each worker, copies its output from the shared memory to tfjs's heap (at `to` + `cPtr`), and updates
 * `workerCost` from the main thread's time `mainMs` for `mainUnits` rows or items and the workers' own times.
 */
function collect(
  sg: WasmKernels,
  pool: SgemmPool,
  started: Started[],
  cPtr: number,
  mainMs: number,
  mainUnits: number,
): void {
  let ratio = 0;
  let timed = 0;
  for (const s of started) {
    const ms = pool.wait(s.worker);
    if (ms > 0.2 && mainMs > 0.2) {
      ratio += ms / s.units / (mainMs / mainUnits);
      timed++;
    }
  }
  if (timed > 0) workerCost = Math.min(4, Math.max(0.25, 0.8 * workerCost + 0.2 * (ratio / timed)));
  const heap = new Float32Array(sg.memory.buffer);
  const shared = new Float32Array(pool.memory.buffer);
  for (const s of started) heap.set(shared.subarray(s.c / 4, s.c / 4 + s.floats), (cPtr + s.to) / 4);
}

/** Per output batch axis, the matrix-index stride of an operand whose batch shape broadcasts to `outer` (0 where it broadcasts). */
function broadcastStrides(batch: number[], outer: number[]): number[] {
  const strides = new Array<number>(outer.length).fill(0);
  let stride = 1;
  for (let d = batch.length - 1; d >= 0; d--) {
    const od = outer.length - batch.length + d;
    strides[od] = batch[d] === 1 ? 0 : stride;
    stride *= batch[d]!;
  }
  return strides;
}
