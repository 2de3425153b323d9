import { TavtError } from "../errors";
import { dropoutMask } from "../rng";
import { tf } from "../tf";
import type { ApplyContext } from "./context";

let allocMask: (n: number) => Float32Array = (n) => new Float32Array(n);

/**
 * Where dropout's masks are allocated: `initBackend` passes the native backend's buffer pool, which takes an array
 * back when its tensor is disposed (a mask array goes straight into a tensor, so nothing else holds it); null restores
 * plain allocation.
 *
 * @param alloc - Returns a Float32Array of `n` elements for a mask, or null for `new Float32Array(n)`.
 */
export function setMaskAllocator(alloc: ((n: number) => Float32Array) | null): void {
  allocMask = alloc ?? ((n) => new Float32Array(n));
}

/**
 * Inverted dropout: zero each element with probability `rate` and scale the rest by 1/(1-rate); identity unless training with a key.
 *
 * @param x - Any tensor.
 * @param rate - The probability of zeroing an element, in [0, 1).
 * @param ctx - Training flag and key: without `training` and `key`, `x` is returned as it is.
 * @returns A tensor of `x`'s shape (`x` itself when dropout is off).
 * @throws {@link TavtError} `BAD_CONFIG` for a rate outside [0, 1).
 */
export function dropout(x: tf.Tensor, rate: number, ctx: ApplyContext = {}): tf.Tensor {
  if (!(rate >= 0 && rate < 1)) throw new TavtError("BAD_CONFIG", `dropout: rate must be in [0, 1), got ${rate}`);
  if (!ctx.training || !ctx.key || rate === 0) return x;
  const keep = dropoutMask(ctx.key, x.size, rate, allocMask(x.size)); // 1 / (1 - rate) where kept, else 0
  return tf.tidy(() => x.mul(tf.tensor(keep, x.shape, "float32")));
}
