import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The functions the C addon (`native/tavt_native.c`) exports. Every call works in place on the arrays given. */
export interface NativeAddon {
  /** c[i] = op(a[aIndex[i]]) . op(b[bIndex[i]]) for each of the aIndex.length output matrices [m, n]. */
  gemm(
    a: Float32Array,
    b: Float32Array,
    c: Float32Array,
    aIndex: Int32Array,
    bIndex: Int32Array,
    m: number,
    n: number,
    k: number,
    transA: boolean,
    transB: boolean,
  ): void;
  /** out = a op b over `shape`, a and b read at their strides (0 = broadcast); op codes in `kernels/codes.ts`. */
  binary(
    op: number,
    a: Float32Array,
    b: Float32Array,
    out: Float32Array | Uint8Array,
    shape: Float64Array,
    aStrides: Float64Array,
    bStrides: Float64Array,
  ): void;
  /** The int32 forms: add, sub, mul, maximum, minimum (Int32Array out) and comparisons (Uint8Array out). */
  binaryInt(
    op: number,
    a: Int32Array,
    b: Int32Array,
    out: Int32Array | Uint8Array,
    shape: Float64Array,
    aStrides: Float64Array,
    bStrides: Float64Array,
  ): void;
  /** out = f(x) elementwise; `alpha` is step's value for x <= 0. */
  unary(op: number, x: Float32Array, out: Float32Array, alpha: number): void;
  /** Reduction of x (row-major over `shape`) into out at `outStrides` (0 along reduced dimensions). */
  reduce(
    op: number,
    x: Float32Array,
    out: Float32Array,
    shape: Float64Array,
    outStrides: Float64Array,
    scale: number,
  ): void;
  /** out (row-major over `shape`) = x[offset + index . strides]: transpose, slice, broadcast. */
  copy<T extends Float32Array | Int32Array | Uint8Array>(
    x: T,
    offset: number,
    out: T,
    shape: Float64Array,
    strides: Float64Array,
  ): void;
  /** Row-wise softmax of x [rows, cols]. */
  softmax(x: Float32Array, out: Float32Array, rows: number, cols: number): void;
  /** out [segments, inner] = sum of the rows of x [rows, inner] by segment id. */
  segmentSum(x: Float32Array, ids: Int32Array, out: Float32Array, rows: number, inner: number, segments: number): void;
  /** out [outer, n, inner] = x [outer, axisLen, inner] at ids; returns the first out-of-range id, or -1. */
  gather<T extends Float32Array | Int32Array>(
    x: T,
    ids: Int32Array,
    out: T,
    outer: number,
    axisLen: number,
    inner: number,
  ): number;
  /** Threefry-2x32 (20 rounds) of the counters (j, c1), j = 0, 1, ..., under the key (k0, k1), into out (even length). */
  threefryBits(k0: number, k1: number, c1: number, out: Uint32Array): void;
  /** out[i] = u_i >= rate ? scale : 0 for the uniforms u_i of threefryBits(k0, k1, c1): @tavt/core's dropout mask. */
  dropoutMask(k0: number, k1: number, c1: number, rate: number, scale: number, out: Float32Array): void;
  /** One fused Adam step (see `kernels/adam.ts`). */
  adam(
    p: Float32Array,
    g: Float32Array,
    m: Float32Array,
    v: Float32Array,
    pOut: Float32Array,
    mOut: Float32Array,
    vOut: Float32Array,
    beta1: number,
    oneMinusBeta1: number,
    beta2: number,
    oneMinusBeta2: number,
    eps: number,
    weightDecay: number,
    sqrtBc2: number,
    lrOverBc1: number,
  ): void;
  /** Sets the BLAS thread count when n > 0; returns the count in force. */
  setThreads(n: number): number;
  /** The BLAS build's own description. */
  blasInfo(): string;
  /** The interface version the addon was built with (ADDON_ABI when it matches these sources). */
  abiVersion(): number;
}

/** The interface version of `native/tavt_native.c` (its TAVT_NATIVE_ABI) that this package's kernels call. */
export const ADDON_ABI = 2;

/** Every function the kernels call: an addon that lacks one was built from other sources. */
const FUNCTIONS: readonly (keyof NativeAddon)[] = [
  "gemm",
  "binary",
  "binaryInt",
  "unary",
  "reduce",
  "copy",
  "softmax",
  "segmentSum",
  "gather",
  "threefryBits",
  "dropoutMask",
  "adam",
  "setThreads",
  "blasInfo",
  "abiVersion",
];

/**
 * Why a loaded module is not this version's addon, or null when it is.
 *
 * @param addon - A loaded module.
 * @returns What it lacks or its other interface version, or null when it is this version's addon.
 */
export function addonMismatch(addon: Partial<Record<keyof NativeAddon, unknown>>): string | null {
  const missing = FUNCTIONS.filter((f) => typeof addon[f] !== "function");
  if (missing.length > 0) return `it lacks ${missing.join(", ")}`;
  const abi = (addon as NativeAddon).abiVersion();
  return abi === ADDON_ABI ? null : `its interface version is ${abi}, these sources need ${ADDON_ABI}`;
}

/** Where the addon was found, or why it was not. */
export type AddonLoad = { ok: true; addon: NativeAddon; path: string } | { ok: false; reason: string };

const here = dirname(fileURLToPath(import.meta.url));
const requireHere = createRequire(import.meta.url);

/**
 * The places tried, in order: `TAVT_NATIVE_ADDON`, the addon built at install time (`build/`), then the prebuilt
 * linux-x64 binary that ships in the package (BLAS linked in statically, needs only libc).
 *
 * @param env - Read for `TAVT_NATIVE_ADDON` (`process.env` by default); when set, it is the only candidate.
 * @returns The paths to try, in order.
 */
export function addonCandidates(env: Record<string, string | undefined> = process.env): string[] {
  const root = join(here, "..");
  const list = [join(root, "build", "tavt_native.node")];
  if (process.platform === "linux" && process.arch === "x64") {
    list.push(join(root, "prebuilt", "linux-x64", "tavt_native.node"));
  }
  return env.TAVT_NATIVE_ADDON ? [env.TAVT_NATIVE_ADDON] : list;
}

let cached: AddonLoad | null = null;

/**
 * Loads the addon once per process; never throws (the reason is in the result).
 *
 * @returns The addon and its path, or why none loaded (the same result on later calls).
 */
export function loadAddon(): AddonLoad {
  if (!cached) cached = loadAddonFrom(addonCandidates());
  return cached;
}

/**
 * Tries each path in order; never throws. The reason names every path tried and why it failed.
 *
 * @param paths - The paths to try, in order.
 * @returns The first addon that loads and matches this version, with its path, or the reasons every path failed.
 */
export function loadAddonFrom(paths: readonly string[]): AddonLoad {
  const reasons: string[] = [];
  for (const path of paths) {
    if (!existsSync(path)) {
      reasons.push(`${path}: not built`);
      continue;
    }
    try {
      const addon = requireHere(path) as NativeAddon;
      const mismatch = addonMismatch(addon);
      if (mismatch) {
        reasons.push(`${path}: not a @tavt/backend-native addon of this version: ${mismatch} (rebuild it)`);
        continue;
      }
      return { ok: true, addon, path };
    } catch (e) {
      reasons.push(`${path}: ${String(e instanceof Error ? e.message : e).split("\n")[0]}`);
    }
  }
  return {
    ok: false,
    reason: `no loadable addon (${reasons.join("; ")}); build it with \`node scripts/build-addon.mjs\` (needs a C compiler and libopenblas-dev)`,
  };
}
