import { tf } from "@tavt/core";

type CustomGradFn = Parameters<typeof tf.customGrad>[0];

const zeroGrad = tf.customGrad(((x: tf.Tensor) => ({
  value: tf.add(x, 0),
  gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
})) as unknown as CustomGradFn);

/**
 * The identity whose gradient is zero: the value flows forward, no gradient flows back into `x` (the same helper as
 * @tavt/avmm's, kept here so @tavt/dccl depends on @tavt/core only). Holds the bank M constant in A- and stops the
 * gradient of the modality-aware weights W_ma (eq. 8).
 */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  return zeroGrad(x) as T;
}
