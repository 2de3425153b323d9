import { type Key, rng } from "@tavt/core";

/** `count` doubles uniform in [0, 1) with 53 random bits each (two Threefry words per number). */
export function uniform53(key: Key, count: number): Float64Array {
  const b = rng.bits(key, 2 * count);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = ((b[2 * i]! >>> 5) * 67108864 + (b[2 * i + 1]! >>> 6)) / 9007199254740992;
  return out;
}

/** `count` integers uniform in [0, n) (n up to 2^53). */
export function randomIndices(key: Key, count: number, n: number): Int32Array {
  const u = uniform53(key, count);
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) out[i] = Math.floor(u[i]! * n);
  return out;
}
