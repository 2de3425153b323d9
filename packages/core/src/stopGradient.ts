import { tf } from "./tf";

type CustomGradFn = Parameters<typeof tf.customGrad>[0];

const zeroGrad = tf.customGrad(((x: tf.Tensor) => ({
  value: tf.add(x, 0),
  gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
})) as unknown as CustomGradFn);

/**
 * The identity whose gradient is zero (JAX's `stop_gradient`, PyTorch's `detach`): the value flows forward, no
 * gradient flows back into `x`. `x` stays in the graph, so differentiating with respect to a stopped tensor gives
 * zeros instead of an error. @tavt/avmm holds the cluster bank M constant and freezes the AVMM with it
 * (Algorithm 1, line 16); @tavt/dccl holds M constant in A- and stops the gradient of W_ma (eq. 8).
 *
 * @param x - Any tensor.
 * @returns A tensor equal to `x` whose gradient is zero.
 */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  const y = zeroGrad(x) as T;
  stopped.add(y);
  return y;
}

/** The outputs of stopGradient, so that core's back-propagation never differentiates what lies behind them. */
const stopped = new WeakSet<tf.Tensor>();

/** Whether `t` is an output of stopGradient (read by backprop.ts). */
export function isStopGradientOutput(t: tf.Tensor): boolean {
  return stopped.has(t);
}
