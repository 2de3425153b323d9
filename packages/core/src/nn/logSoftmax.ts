import { tf } from "../tf";

/**
 * log softmax over the last axis, x - logsumexp(x), with the same values as `tf.logSoftmax` but differentiable twice:
 * `tf.logSoftmax` is a custom-gradient op whose gradient reads a saved copy of its output that tfjs does not connect
 * to the input, so second-order gradients (MAML) through it are silently dropped.
 */
export function logSoftmax(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.sub(x, tf.logSumExp(x, -1, true)));
}
