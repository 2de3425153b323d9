import { totalmem } from "node:os";

/**
 * Reuse of kernel output buffers. A training step allocates about a gigabyte of float32 outputs and frees them a
 * moment later; as fresh ArrayBuffers that costs a zero fill per output and, worse, V8 answers the external memory
 * with a major garbage collection every few dozen megabytes (a quarter of a config S step before this pool). Here the
 * native kernels take their outputs from a pool of disposed tensors' arrays of the same length instead.
 *
 * An array goes back to the pool only when it is certain that nothing else can see it:
 * - the pool allocated it (`take`), so it is never an array a user passed to `tf.tensor`;
 * - no tensor data still holds it: it was attached to exactly one data id (`attach` disowns an array written under
 *   a second id, and an array whose buffer another view aliases, such as the cpu backend's subarray slices);
 * - it was never handed out: `expose` (the backend's `readSync`/`read`, so `dataSync()`, `data()`, `array()`)
 *   disowns it, so values a caller holds are never overwritten.
 * Disowned arrays are simply left to the garbage collector.
 */
export interface PoolStats {
  /** Outputs served from the pool. */
  hits: number;
  /** Outputs allocated fresh. */
  misses: number;
  /** Bytes held for reuse now. */
  bytes: number;
  /** The most the pool holds (TAVT_NATIVE_POOL_MB; default a quarter of the machine's memory; 0 turns reuse off). */
  maxBytes: number;
}

export class BufferPool {
  private readonly free = new Map<number, Float32Array[]>();
  /** Arrays this pool allocated and may take back. */
  private readonly owned = new WeakSet<Float32Array>();
  /** Owned arrays attached to a tensor's data now. */
  private readonly live = new WeakSet<Float32Array>();
  /** An owned array's buffer, to recognise views that alias it. */
  private readonly byBuffer = new WeakMap<ArrayBufferLike, Float32Array>();
  private hits = 0;
  private misses = 0;
  private bytes = 0;

  constructor(readonly maxBytes: number) {}

  /** A Float32Array of length n with arbitrary contents (the kernel must write every element). */
  take(n: number): Float32Array {
    const list = this.free.get(n);
    const reused = list?.pop();
    if (reused) {
      this.bytes -= reused.byteLength;
      this.hits++;
      return reused;
    }
    this.misses++;
    const a = new Float32Array(n);
    if (n > 0 && this.maxBytes > 0) {
      this.owned.add(a);
      this.byBuffer.set(a.buffer, a);
    }
    return a;
  }

  /** Values are being stored under a data id. */
  attach(values: unknown): void {
    if (!(values instanceof Float32Array)) return;
    if (this.owned.has(values)) {
      if (this.live.has(values))
        this.owned.delete(values); // now held by two data ids: never reuse it
      else this.live.add(values);
      return;
    }
    const base = this.byBuffer.get(values.buffer);
    if (base !== undefined) this.owned.delete(base); // a view of an owned array: never reuse the array
  }

  /** Values are no longer stored under any data id: reuse them if they are the pool's alone. */
  release(values: unknown): void {
    if (!(values instanceof Float32Array) || !this.owned.has(values) || !this.live.has(values)) return;
    this.live.delete(values);
    if (this.bytes + values.byteLength > this.maxBytes) {
      this.owned.delete(values);
      return;
    }
    let list = this.free.get(values.length);
    if (!list) {
      list = [];
      this.free.set(values.length, list);
    }
    list.push(values);
    this.bytes += values.byteLength;
  }

  /** Values are being handed to a caller: never reuse them. */
  expose(values: unknown): void {
    if (values instanceof Float32Array) this.owned.delete(values);
  }

  /** Drops every held array (they are garbage collected). */
  clear(): void {
    this.free.clear();
    this.bytes = 0;
  }

  stats(): PoolStats {
    return { hits: this.hits, misses: this.misses, bytes: this.bytes, maxBytes: this.maxBytes };
  }
}

/**
 * TAVT_NATIVE_POOL_MB, else a quarter of the machine's memory. The pool must hold a whole step's outputs for the
 * next step to find them all (second-order MAML on config S at batch 32 peaks near 4 GB); what it holds is memory
 * the garbage collector would otherwise free some time later, so the peak resident size barely moves.
 */
function poolBytes(): number {
  const fallback = Math.floor(totalmem() / 4);
  const raw = process.env.TAVT_NATIVE_POOL_MB;
  if (raw === undefined || raw === "") return fallback;
  const mb = Number(raw);
  return Number.isFinite(mb) && mb >= 0 ? Math.floor(mb * 1024 * 1024) : fallback;
}

/** The process's pool: the native kernels take their float32 outputs from it (one per process, shared by the ESM and
 * CommonJS builds of this package should both be loaded). */
const KEY = Symbol.for("@tavt/backend-native/pool");
const holder = globalThis as { [KEY]?: BufferPool };
holder[KEY] ??= new BufferPool(poolBytes());
export const pool: BufferPool = holder[KEY];
