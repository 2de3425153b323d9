import { TavtError } from "./errors";
import { tf } from "./tf";

/**
 * A PRNG key: two uint32 words, as in JAX. Keys are values, never mutated; every consumer of
 * randomness receives its own key, split explicitly from its parent's (`split`, `foldIn`, `splitNamed`).
 * Bits come from the Threefry-2x32 counter-based generator (20 rounds, Salmon et al. 2011; JAX uses it too).
 */
export type Key = readonly [number, number];

/** Threefry-2x32 with 20 rounds: hashes the counter (c0, c1) under the key (k0, k1) into two uint32 words. */
function threefry(k0: number, k1: number, c0: number, c1: number, out: Uint32Array, at: number): void {
  // Rotations 13, 15, 26, 6, 17, 29, 16, 24 (repeating); the key schedule (k0, k1, k0^k1^C240) is injected every 4
  // rounds. Written out in full, without arrays or modulo, so the JIT keeps everything in registers.
  const ka = k0 >>> 0;
  const kb = k1 >>> 0;
  const kc = (ka ^ kb ^ 0x1bd11bda) >>> 0;
  let x0 = (c0 + ka) | 0;
  let x1 = (c1 + kb) | 0;
  // rounds 1-4
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 13) | (x1 >>> 19)) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 15) | (x1 >>> 17)) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 26) | (x1 >>> 6)) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 6) | (x1 >>> 26)) ^ x0;
  x0 = (x0 + kb) | 0;
  x1 = (x1 + kc + 1) | 0;
  // rounds 5-8
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 17) | (x1 >>> 15)) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 29) | (x1 >>> 3)) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 16) | (x1 >>> 16)) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 24) | (x1 >>> 8)) ^ x0;
  x0 = (x0 + kc) | 0;
  x1 = (x1 + ka + 2) | 0;
  // rounds 9-12
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 13) | (x1 >>> 19)) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 15) | (x1 >>> 17)) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 26) | (x1 >>> 6)) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 6) | (x1 >>> 26)) ^ x0;
  x0 = (x0 + ka) | 0;
  x1 = (x1 + kb + 3) | 0;
  // rounds 13-16
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 17) | (x1 >>> 15)) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 29) | (x1 >>> 3)) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 16) | (x1 >>> 16)) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 24) | (x1 >>> 8)) ^ x0;
  x0 = (x0 + kb) | 0;
  x1 = (x1 + kc + 4) | 0;
  // rounds 17-20
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 13) | (x1 >>> 19)) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 15) | (x1 >>> 17)) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 26) | (x1 >>> 6)) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 6) | (x1 >>> 26)) ^ x0;
  x0 = (x0 + kc) | 0;
  x1 = (x1 + ka + 5) | 0;
  out[at] = x0;
  out[at + 1] = x1;
}

/**
 * Threefry-2x32 (20 rounds) of one counter under one key, as two uint32 words (for known-answer tests).
 *
 * @param key - The key (two uint32 words).
 * @param counter - The counter (two uint32 words).
 * @returns The two output words.
 */
export function threefry2x32(key: Key, counter: readonly [number, number]): [number, number] {
  const out = new Uint32Array(2);
  threefry(key[0], key[1], counter[0], counter[1], out, 0);
  return [out[0]!, out[1]!];
}

/**
 * A faster source of the same bits: fills `out` (even length) with Threefry-2x32 of the counters (j, c1), j = 0, 1,
 * ..., under the key (k0, k1), exactly as the JS generator here would. `@tavt/backend-native` provides one in C.
 */
export type ThreefryBitsKernel = (k0: number, k1: number, c1: number, out: Uint32Array) => void;

/**
 * A faster source of the same dropout mask: out[i] = u_i >= rate ? scale : 0 for the uniforms of
 * `uniformArray(key, out.length)` (key (k0, k1); c1 is the bits counter's high word).
 */
export type DropoutMaskKernel = (
  k0: number,
  k1: number,
  c1: number,
  rate: number,
  scale: number,
  out: Float32Array,
) => void;

let bitsKernel: ThreefryBitsKernel | null = null;
let maskKernel: DropoutMaskKernel | null = null;

/**
 * Installs (or, with null, removes) a faster generator of the same Threefry bits, and optionally of the same dropout
 * mask; `initBackend` installs the native ones when `@tavt/backend-native` loads. The numbers never change: only how
 * fast they come.
 *
 * @param kernel - A generator of the same bits as `bits`, or null to use the JavaScript one.
 * @param mask - A generator of the same masks as `dropoutMask` (used only with a `kernel`).
 */
export function setThreefryKernel(kernel: ThreefryBitsKernel | null, mask: DropoutMaskKernel | null = null): void {
  bitsKernel = kernel;
  maskKernel = kernel ? mask : null;
}

/** The high counter word of `bits` (the low word counts pairs of outputs). */
const BITS_STREAM = 0xb175_0000;

/**
 * Inverted-dropout mask for `count` elements: scale = 1 / (1 - rate) where the uniform of `uniformArray(k, count)` is
 * >= rate, else 0. Written into `out` when given (every element is written).
 *
 * @param k - The key.
 * @param count - The number of elements.
 * @param rate - The probability that an element is dropped, in [0, 1).
 * @param out - A buffer of `count` elements to write into (a new one when omitted).
 * @returns The mask (`out` when given).
 * @throws {@link TavtError} `BAD_INPUT` when `out` does not have `count` elements.
 */
export function dropoutMask(k: Key, count: number, rate: number, out?: Float32Array): Float32Array {
  const scale = 1 / (1 - rate);
  if (out && out.length !== count) {
    throw new TavtError("BAD_INPUT", `rng.dropoutMask: out has ${out.length} elements, expected ${count}`);
  }
  const keep = out ?? new Float32Array(count);
  if (maskKernel && count >= 64) {
    maskKernel(k[0] >>> 0, k[1] >>> 0, BITS_STREAM, rate, scale, keep);
    return keep;
  }
  const u = uniformArray(k, count);
  for (let i = 0; i < count; i++) keep[i] = u[i]! >= rate ? scale : 0;
  return keep;
}

/**
 * A key from an integer seed (any safe integer; negative seeds and seeds above 2^32 are fine).
 *
 * @param seed - A safe integer.
 * @returns The key (two uint32 words).
 * @throws {@link TavtError} `BAD_CONFIG` when `seed` is not a safe integer.
 * @example
 * ```ts
 * const [kInit, kData] = rng.split(rng.key(0));
 * ```
 */
export function key(seed: number): Key {
  if (!Number.isSafeInteger(seed)) {
    throw new TavtError("BAD_CONFIG", `rng.key: seed must be a safe integer, got ${seed}`, { field: "seed" });
  }
  const lo = seed >>> 0;
  const hi = Math.floor(seed / 2 ** 32) >>> 0;
  const out = new Uint32Array(2);
  threefry(0x243f6a88, 0x85a308d3, lo, hi, out, 0);
  return [out[0]!, out[1]!];
}

/**
 * `n` independent child keys.
 *
 * @param k - The parent key.
 * @param n - How many children (2 by default).
 * @returns `n` keys, each a deterministic function of `k` and its index.
 */
export function split(k: Key, n = 2): Key[] {
  const out = new Uint32Array(2);
  const keys: Key[] = [];
  for (let i = 0; i < n; i++) {
    threefry(k[0], k[1], i, 0x5e11_7000, out, 0);
    keys.push([out[0]!, out[1]!]);
  }
  return keys;
}

function hashString(s: string): number {
  // FNV-1a over UTF-16 code units; only used to turn a child's name into a counter.
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * A child key derived from data (an integer such as a step number, or a name).
 *
 * @param k - The parent key.
 * @param data - An integer (such as a step number) or a string (such as a name).
 * @returns The child key.
 */
export function foldIn(k: Key, data: number | string): Key {
  const c = typeof data === "string" ? hashString(data) : data >>> 0;
  const c1 = typeof data === "string" ? 0xf01d_0001 : (Math.floor(data / 2 ** 32) ^ 0xf01d_0000) >>> 0;
  const out = new Uint32Array(2);
  threefry(k[0], k[1], c, c1, out, 0);
  return [out[0]!, out[1]!];
}

/**
 * One child key per name, each independent of the others (adding a child never changes a sibling's key).
 *
 * @param k - The parent key.
 * @param names - The children's names.
 * @returns A key per name (`foldIn(k, name)`).
 */
export function splitNamed<N extends string>(k: Key, names: readonly N[]): Record<N, Key> {
  const r = {} as Record<N, Key>;
  for (const n of names) r[n] = foldIn(k, n);
  return r;
}

/**
 * `count` random uint32 words.
 *
 * @param k - The key.
 * @param count - How many words.
 * @returns `count` uint32 words.
 */
export function bits(k: Key, count: number): Uint32Array {
  const n2 = Math.ceil(count / 2) * 2;
  const out = new Uint32Array(n2);
  if (bitsKernel && n2 >= 64) bitsKernel(k[0] >>> 0, k[1] >>> 0, BITS_STREAM, out);
  else for (let j = 0; j < n2; j += 2) threefry(k[0], k[1], j >>> 1, BITS_STREAM, out, j);
  return count === n2 ? out : out.subarray(0, count);
}

/**
 * `count` floats uniform in [0, 1), each with 24 random bits (exact in float32).
 *
 * @param k - The key.
 * @param count - How many floats.
 * @returns `count` floats in [0, 1).
 */
export function uniformArray(k: Key, count: number): Float32Array {
  const b = bits(k, count);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = (b[i]! >>> 8) * 2 ** -24;
  return out;
}

/**
 * `count` standard normal floats (Box-Muller).
 *
 * @param k - The key.
 * @param count - How many floats.
 * @returns `count` samples of N(0, 1).
 */
export function normalArray(k: Key, count: number): Float32Array {
  const n2 = Math.ceil(count / 2) * 2;
  const b = bits(k, n2);
  const out = new Float32Array(n2);
  for (let i = 0; i < n2; i += 2) {
    const u1 = ((b[i]! >>> 8) + 1) * 2 ** -24; // (0, 1]
    const u2 = (b[i + 1]! >>> 8) * 2 ** -24;
    const r = Math.sqrt(-2 * Math.log(u1));
    out[i] = r * Math.cos(2 * Math.PI * u2);
    out[i + 1] = r * Math.sin(2 * Math.PI * u2);
  }
  return count === n2 ? out : out.slice(0, count);
}

/**
 * `count` integers uniform in [0, n).
 *
 * @param k - The key.
 * @param count - How many integers.
 * @param n - The exclusive upper bound (a positive integer).
 * @returns `count` integers in [0, n).
 * @throws {@link TavtError} `BAD_CONFIG` when `n` is not a positive integer.
 */
export function randint(k: Key, count: number, n: number): Int32Array {
  if (!(n >= 1 && Number.isInteger(n))) {
    throw new TavtError("BAD_CONFIG", `rng.randint: n must be a positive integer, got ${n}`);
  }
  const b = bits(k, count);
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) out[i] = Math.floor((b[i]! / 4294967296) * n);
  return out;
}

/**
 * A uniformly random permutation of 0..n-1 (Fisher-Yates).
 *
 * @param k - The key.
 * @param n - The number of elements.
 * @returns A permutation of 0..n-1.
 */
export function permutation(k: Key, n: number): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  const b = bits(k, Math.max(n, 1));
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor((b[i]! / 4294967296) * (i + 1));
    const t = p[i]!;
    p[i] = p[j]!;
    p[j] = t;
  }
  return p;
}

const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/**
 * A float32 tensor uniform in [lo, hi).
 *
 * @param k - The key.
 * @param shape - The tensor's shape.
 * @param lo - The inclusive lower bound (0 by default).
 * @param hi - The exclusive upper bound (1 by default).
 * @returns A float32 tensor of `shape` (the caller disposes it).
 */
export function uniform(k: Key, shape: readonly number[], lo = 0, hi = 1): tf.Tensor {
  const u = uniformArray(k, sizeOf(shape));
  if (lo !== 0 || hi !== 1) for (let i = 0; i < u.length; i++) u[i] = lo + (hi - lo) * u[i]!;
  return tf.tensor(u, [...shape], "float32");
}

/**
 * A float32 tensor of normal samples with the given mean and standard deviation.
 *
 * @param k - The key.
 * @param shape - The tensor's shape.
 * @param mean - The mean (0 by default).
 * @param std - The standard deviation (1 by default).
 * @returns A float32 tensor of `shape` (the caller disposes it).
 */
export function normal(k: Key, shape: readonly number[], mean = 0, std = 1): tf.Tensor {
  const z = normalArray(k, sizeOf(shape));
  if (mean !== 0 || std !== 1) for (let i = 0; i < z.length; i++) z[i] = mean + std * z[i]!;
  return tf.tensor(z, [...shape], "float32");
}
