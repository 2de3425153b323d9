import { tf } from "@tavt/core";

type CustomGradFn = Parameters<typeof tf.customGrad>[0];

const zeroGrad = tf.customGrad(((x: tf.Tensor) => ({
  value: tf.add(x, 0),
  gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
})) as unknown as CustomGradFn);

/**
 * The identity whose gradient is zero: the value flows forward, no gradient flows back into `x`. Used to hold the
 * cluster bank M constant and to freeze the AVMM (Algorithm 1, line 16) while keeping `x` in the graph, so
 * differentiating with respect to a frozen tensor gives zeros instead of an error.
 */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  return zeroGrad(x) as T;
}
