import type { KernelConfig, KernelFunc } from "@tensorflow/tfjs-core";
import * as tfc from "@tensorflow/tfjs-core";
import { loadAddon } from "./addon";
import { adamKernel } from "./kernels/adam";
import { elementwiseKernels } from "./kernels/elementwise";
import { batchMatMulKernel, fusedMatMulKernel } from "./kernels/matmul";
import { movementKernels } from "./kernels/movement";
import { reduceKernels } from "./kernels/reduce";
import { NativeBackend } from "./nativeBackend";
import { type PoolStats, pool } from "./pool";

/** The tfjs functions registration needs; pass your own tfjs-core namespace if it is not the one this resolves. */
export interface TfRegistry {
  registerBackend: typeof tfc.registerBackend;
  registerKernel: typeof tfc.registerKernel;
  getKernelsForBackend: typeof tfc.getKernelsForBackend;
  getKernel: typeof tfc.getKernel;
  findBackendFactory: typeof tfc.findBackendFactory;
}

/** What `registerNativeBackend` did. */
export type NativeStatus =
  | {
      ok: true;
      /** The tfjs backend name to `setBackend`. */
      backend: "native";
      addonPath: string;
      blas: string;
      /** Kernels that run in C; every other kernel is the cpu backend's. */
      nativeKernels: string[];
      /** Threefry-2x32 random bits in C, identical to @tavt/core's JS generator (which uses it when given it). */
      threefryBits: (k0: number, k1: number, c1: number, out: Uint32Array) => void;
      /** Core's dropout mask (keep = scale where the Threefry uniform is >= rate, else 0) in one pass in C. */
      dropoutMask: (k0: number, k1: number, c1: number, rate: number, scale: number, out: Float32Array) => void;
      /**
       * A float32 array from the output pool, for values that go straight into a native tensor (core's dropout
       * masks): the pool takes it back when that tensor is disposed. Its contents are arbitrary.
       */
      allocFloat32: (n: number) => Float32Array;
    }
  | { ok: false; reason: string };

/** The name the backend registers under with tfjs: `"native"`. */
export const NATIVE_BACKEND = "native";

let status: NativeStatus | null = null;

/**
 * Registers the tfjs backend "native": the cpu backend's tensor storage (plain typed arrays, so no 4 GB wasm heap)
 * and all of its kernels, with the hot ones replaced by C kernels from the addon. Gradients are registered per
 * kernel name in tfjs-core, so they (and second-order gradients built from them) are the same on every backend.
 * Idempotent; never throws: where the addon cannot load, the result says why.
 *
 * @param tf - The tfjs-core registry to register with (the package's own by default).
 * @returns On success, the addon's path, the BLAS, the native kernel names, and the Threefry, dropout-mask and
 *   allocation hooks for `@tavt/core`; otherwise why the backend is unavailable.
 */
export function registerNativeBackend(tf: TfRegistry = tfc): NativeStatus {
  if (status) return status;
  const load = loadAddon();
  if (!load.ok) {
    status = { ok: false, reason: load.reason };
    return status;
  }
  const { addon } = load;
  let threads: number;
  try {
    threads = nativeThreadCount();
  } catch (e) {
    status = { ok: false, reason: e instanceof Error ? e.message : String(e) };
    return status;
  }
  if (threads > 0) addon.setThreads(threads);
  if (!tf.findBackendFactory(NATIVE_BACKEND)) {
    tf.registerBackend(NATIVE_BACKEND, () => new NativeBackend(), 0);
  }
  const cpuKernels = new Map<string, KernelFunc>();
  for (const k of tf.getKernelsForBackend("cpu")) cpuKernels.set(k.kernelName, k.kernelFunc);
  const kernel = (name: string): KernelFunc => {
    const f = cpuKernels.get(name);
    if (!f) throw new Error(`@tavt/backend-native: the cpu backend has no "${name}" kernel`);
    return f;
  };
  const native: KernelConfig[] = [
    batchMatMulKernel(addon, kernel("BatchMatMul")),
    ...elementwiseKernels(addon, kernel),
    ...reduceKernels(addon, kernel),
    ...movementKernels(addon, kernel),
    adamKernel(addon),
  ];
  // _FusedMatMul's bias and activation run on the native kernels where there is one
  const byName = new Map(native.map((k) => [k.kernelName, k.kernelFunc]));
  native.push(fusedMatMulKernel(addon, kernel("_FusedMatMul"), (name) => byName.get(name) ?? kernel(name)));
  const replaced = new Set(native.map((k) => k.kernelName));
  const threefryBits = addon.threefryBits;
  const dropoutMask = addon.dropoutMask;
  for (const [kernelName, kernelFunc] of cpuKernels) {
    if (replaced.has(kernelName) || tf.getKernel(kernelName, NATIVE_BACKEND)) continue;
    tf.registerKernel({ kernelName, backendName: NATIVE_BACKEND, kernelFunc });
  }
  for (const k of native) if (!tf.getKernel(k.kernelName, NATIVE_BACKEND)) tf.registerKernel(k);
  status = {
    ok: true,
    backend: NATIVE_BACKEND,
    addonPath: load.path,
    blas: addon.blasInfo(),
    nativeKernels: [...replaced].sort(),
    threefryBits: (k0, k1, c1, out) => threefryBits(k0, k1, c1, out),
    dropoutMask: (k0, k1, c1, rate, scale, out) => dropoutMask(k0, k1, c1, rate, scale, out),
    allocFloat32: (n) => pool.take(n),
  };
  return status;
}

/**
 * TAVT_NATIVE_THREADS: the BLAS threads, a positive integer; 0 where it is unset or empty (the BLAS's own default).
 * Throws on anything else ("two", "1.5", "-1", "0"), as TAVT_WASM_THREADS does, instead of silently using every core.
 *
 * @param env - Read for `TAVT_NATIVE_THREADS` (`process.env` by default).
 * @returns The thread count, or 0 where the variable is unset or empty.
 * @throws Error for any value that is not a positive integer.
 */
export function nativeThreadCount(env: Record<string, string | undefined> = process.env): number {
  const raw = env.TAVT_NATIVE_THREADS;
  if (raw === undefined || raw.trim() === "") return 0;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) {
    throw new Error(`TAVT_NATIVE_THREADS: expected a positive integer (the BLAS threads), got "${raw}"`);
  }
  return n;
}

/**
 * The BLAS thread count in force, after setting it to `n` when n > 0 (null where the addon is not loaded).
 *
 * @param n - The thread count to set; 0 (the default) only reads it.
 * @returns The thread count in force, or null where the addon is not loaded.
 */
export function nativeThreads(n = 0): number | null {
  const load = loadAddon();
  return load.ok ? load.addon.setThreads(n) : null;
}

/**
 * How the native kernels' output buffers were reused so far (see pool.ts).
 *
 * @returns The pool's counters so far.
 */
export function nativePoolStats(): PoolStats {
  return pool.stats();
}

/** Lets go of the output buffers the native backend keeps for reuse (the garbage collector frees them). */
export function releaseNativePool(): void {
  pool.clear();
}
