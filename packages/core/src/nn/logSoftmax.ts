import { stopGradient } from "../stopGradient";
import { tf } from "../tf";

/**
 * log softmax over the last axis, x - logsumexp(x), differentiable twice: `tf.logSoftmax` is a custom-gradient op
 * whose gradient reads a saved copy of its output that tfjs does not connect to the input, so second-order gradients
 * (MAML) through it are silently dropped.
 *
 * The max subtracted for stability is held constant: log softmax does not depend on the shift (its gradient through
 * the shift is 1 - sum(softmax) = 0), so this is the same function and gradient, without differentiating the max
 * (an equality mask over the whole [.., V] input, and its own gradients one order up).
 *
 * @param x - Logits `[..., V]`.
 * @returns Log-probabilities `[..., V]`.
 */
export function logSoftmax(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const shifted = tf.sub(x, stopGradient(tf.max(x, -1, true))); // [..., V]
    return tf.sub(shifted, tf.log(tf.sum(tf.exp(shifted), -1, true))); // [..., V]
  });
}
