import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { WASM_KERNELS_SHARED_BASE64 } from "./wasmKernelsModule";
import "./webassemblyTypes";
import { threadSetting } from "./threadSetting";

/**
 * Worker threads for the wasm backend's matrix products. tfjs-backend-wasm runs single-threaded in Node (its
 * threaded build is browser-only), so core's product (wasmSgemm.ts) gives part of each large product to workers: each
 * runs the same SIMD code (the shared-memory build of wasm/sgemm.c) on copies of the operands in one shared
 * WebAssembly.Memory, while the main thread computes its own part in place on tfjs's heap. Every output element is
 * summed in the same order whichever thread computes it, so results do not depend on the thread count.
 *
 * The main thread hands a job over through a SharedArrayBuffer and blocks in Atomics.wait until the worker is done;
 * tfjs kernels are synchronous, so there is nothing else it could do meanwhile.
 */

/** What sets the thread count, for the backend report (the browser build has none to set). */
export const THREADS_SETTING = "TAVT_WASM_THREADS";

/** What a worker runs: 1 = sgemm (12 arguments), 2 = sgemmBatch (14 arguments); 0 stops it. */
export const JOB_SGEMM = 1;
export const JOB_BATCH = 2;

/**
 * A worker's control block, int32: [0] jobs posted, [1] jobs done, [2] job kind, [3..16] the job's arguments,
 * [17] the worker's state (0 starting, 1 ready, 2 failed to instantiate the module, 3 dead: its job threw or the
 * thread is exiting), [18] how long its last job took, in microseconds (the main thread balances the next split
 * with it).
 */
const CONTROL_INTS = 19;
const STATE = 17;
const DEAD = 3;
const ELAPSED = 18;
/** How long the pool waits for its workers to start before it runs without them. */
const START_TIMEOUT_MS = 20_000;

/**
 * How long a thread polls before it sleeps: a worker for its next job, the main thread for a worker to finish.
 * Waking a sleeping thread costs a few hundred microseconds on a virtual machine; polling costs only a core that
 * tfjs-backend-wasm (single-threaded) leaves idle anyway.
 */
const SPIN_MS = 5;

/** How long the main thread waits for a worker before it gives up with an error (a crashed or stuck worker). */
const WORKER_TIMEOUT_MS = 120_000;

const WORKER_SOURCE = `
const { workerData } = require("node:worker_threads");
const { module, memory, control } = workerData;
const ctl = new Int32Array(control);
// A thread that exits (or is terminated) says so, and wakes a main thread waiting for its job.
process.on("exit", () => {
  Atomics.store(ctl, 17, 3);
  Atomics.add(ctl, 1, 1);
  Atomics.notify(ctl, 1);
});
let ex;
try {
  ex = new WebAssembly.Instance(module, { env: { memory } }).exports;
  Atomics.store(ctl, 17, 1);
} catch (e) {
  Atomics.store(ctl, 17, 2);
}
Atomics.notify(ctl, 17);
let seen = 0;
while (ex) {
  // Poll for the next job for a while before sleeping: waking a sleeping thread took about 0.4 ms per product here,
  // as long as a small product itself, and a training step posts products every few milliseconds.
  const idle = performance.now();
  for (let i = 0; Atomics.load(ctl, 0) === seen; i++) {
    if ((i & 1023) === 0 && performance.now() - idle > ${SPIN_MS}) {
      Atomics.wait(ctl, 0, seen);
      break;
    }
  }
  seen = Atomics.load(ctl, 0);
  const kind = ctl[2];
  if (kind === 0) break;
  const a = ctl.subarray(3);
  const t0 = performance.now();
  try {
    if (kind === 1) ex.sgemm(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11]);
    else if (kind === 2) ex.sgemmBatch(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12], a[13]);
    else throw new Error("unknown job " + kind);
  } catch (e) {
    // a job that throws (a WebAssembly trap) leaves this thread unusable: say so, wake the main thread, stop
    Atomics.store(ctl, 17, 3);
    Atomics.store(ctl, 1, seen);
    Atomics.notify(ctl, 1);
    break;
  }
  ctl[18] = Math.round((performance.now() - t0) * 1000);
  Atomics.store(ctl, 1, seen);
  Atomics.notify(ctl, 1);
}
`;

interface PoolWorker {
  worker: Worker;
  control: Int32Array;
  /** Byte offset of this worker's packing workspace in the shared memory. */
  work: number;
}

export interface SgemmPool {
  /** The shared memory the workers compute in. */
  readonly memory: WebAssembly.Memory;
  readonly size: number;
  /** Byte offset of the first byte free for operands (after the workers' workspaces). */
  readonly base: number;
  /** Grows the shared memory so that `bytes` bytes from `base` exist. */
  ensure(bytes: number): void;
  /** Byte offset of worker i's workspace. */
  work(i: number): number;
  /** Starts a job on worker i (arguments as for the wasm export; pointers are byte offsets in `memory`). */
  post(i: number, kind: number, args: number[]): void;
  /**
   * Blocks until worker i has finished its job; returns how long the job took, in milliseconds. Throws at once where
   * the worker died (its job threw, or the thread exited); the pool is then broken and the next `sgemmPool` call
   * starts a new one.
   */
  wait(i: number): number;
  /** Whether a worker has died (the pool must not be used again). */
  readonly broken: boolean;
}

const PAGE = 65536;

/**
 * The thread count the wasm products use: TAVT_WASM_THREADS where set (1 = the main thread alone), else the
 * machine's parallelism, at most 4. Throws on a value that is not a positive integer.
 */
export function wasmThreadCount(env: Record<string, string | undefined> = process.env): number {
  return threadSetting(env, Math.max(1, Math.min(4, availableParallelism())));
}

let pool: SgemmPool | null | undefined;
/** Why the pool could not start (null while it has not been tried or started fine). */
let poolError: string | null = null;

/** The reason the wasm products run without worker threads, if they could not start; null otherwise. */
export function sgemmPoolError(): string | null {
  return poolError;
}

let terminate: (() => void) | null = null;
/** The thread count initBackend chose (from its env); undefined until then, when TAVT_WASM_THREADS decides. */
let configured: number | undefined;

/** Sets the thread count of the wasm products (initBackend does, from TAVT_WASM_THREADS); restarts the pool. */
export function configureWasmThreads(threads: number): void {
  if (threads === configured) return;
  resetSgemmPool();
  configured = threads;
}

/** Stops the workers and forgets the pool, so the next product reads TAVT_WASM_THREADS again (tests use this). */
export function resetSgemmPool(): void {
  terminate?.();
  terminate = null;
  pool = undefined;
  poolError = null;
}

/** The worker pool, started on first use; null with one thread or where workers or shared memory are missing. */
export function sgemmPool(workspaceFloats: number): SgemmPool | null {
  if (pool?.broken) resetSgemmPool(); // a worker died: start a fresh pool rather than wait on it
  if (pool !== undefined) return pool;
  const threads = configured ?? wasmThreadCount();
  pool = null;
  if (threads < 2) return pool;
  try {
    pool = startPool(threads - 1, workspaceFloats * 4);
  } catch (e) {
    poolError = e instanceof Error ? e.message : String(e);
  }
  return pool;
}

function startPool(size: number, workBytes: number): SgemmPool {
  const text = atob(WASM_KERNELS_SHARED_BASE64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  const module = new WebAssembly.Module(bytes);
  const base = Math.ceil((size * workBytes) / PAGE) * PAGE;
  const memory = new WebAssembly.Memory({ initial: base / PAGE + 256, maximum: 65536, shared: true });
  const workers: PoolWorker[] = [];
  for (let i = 0; i < size; i++) {
    const control = new SharedArrayBuffer(CONTROL_INTS * 4);
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { module, memory, control } });
    worker.unref(); // an idle worker never keeps the process alive
    const ctl = new Int32Array(control);
    worker.on("error", () => {}); // a failed start shows in the state word below
    worker.on("exit", () => Atomics.store(ctl, STATE, DEAD)); // seen between kernels, where the thread says nothing
    workers.push({ worker, control: ctl, work: i * workBytes });
  }
  const t0 = Date.now();
  for (const w of workers) {
    while (Atomics.load(w.control, STATE) === 0 && Date.now() - t0 < START_TIMEOUT_MS) {
      Atomics.wait(w.control, STATE, 0, 100);
    }
    const state = Atomics.load(w.control, STATE);
    if (state !== 1) {
      for (const x of workers) void x.worker.terminate();
      throw new Error(
        state === 0
          ? `a worker thread did not start within ${START_TIMEOUT_MS} ms`
          : "a worker thread could not instantiate the shared-memory WebAssembly module",
      );
    }
  }
  terminate = () => {
    for (const w of workers) void w.worker.terminate();
  };
  return {
    memory,
    size,
    base,
    ensure(bytes: number) {
      const need = Math.ceil((base + bytes) / PAGE);
      const have = memory.buffer.byteLength / PAGE;
      if (need > have) memory.grow(need - have);
    },
    get broken() {
      return workers.some((w) => Atomics.load(w.control, STATE) !== 1);
    },
    work: (i) => workers[i]!.work,
    post(i, kind, args) {
      const c = workers[i]!.control;
      if (Atomics.load(c, STATE) !== 1) throw new Error(`wasm matMul: worker thread ${i} has died`);
      c[2] = kind;
      for (let j = 0; j < args.length; j++) c[3 + j] = args[j]!;
      Atomics.add(c, 0, 1);
      Atomics.notify(c, 0);
    },
    wait(i) {
      const c = workers[i]!.control;
      const posted = Atomics.load(c, 0);
      const t0 = Date.now();
      const spinUntil = performance.now() + SPIN_MS;
      while (Atomics.load(c, 1) !== posted && performance.now() < spinUntil) {
        // poll: the worker usually finishes within a millisecond of the main thread
      }
      for (;;) {
        const done = Atomics.load(c, 1);
        if (Atomics.load(c, STATE) === DEAD) {
          throw new Error(`wasm matMul: worker thread ${i} died during its product (the pool starts again)`);
        }
        if (done === posted) return c[ELAPSED]! / 1000;
        if (Date.now() - t0 > WORKER_TIMEOUT_MS) {
          throw new Error(`wasm matMul: worker thread ${i} did not finish its product in ${WORKER_TIMEOUT_MS} ms`);
        }
        Atomics.wait(c, 1, done, 1000);
      }
    },
  };
}
