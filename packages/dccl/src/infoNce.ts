import { assertRank, assertShape, FLOAT32_LOWEST, logSoftmax, tf } from "@tavt/core";
import type { ResolvedContrastiveConfig } from "./config";
import { cosineSimilarity } from "./similarity";

/**
 * The InfoNCE form shared by eq. 6 and eq. 7: -log( e^{s(x, x+)/tau} / sum_{i=1}^n e^{s(x, x_i)/tau} ), averaged
 * over the real anchors. anchor, positive, negative [N, D], mask [N] (1 = real anchor). The candidates x_i of anchor
 * j are its positive and its negative (n = 2), or with `inBatchNegatives` every real positive and negative (n = 2N').
 * Masked logits use the lowest finite float32, so a padded anchor contributes 0 and never NaN.
 *
 * @param fn - The calling loss's name, for error messages.
 * @param anchor - The anchors x `[N, D]`.
 * @param positive - Each anchor's positive x+ `[N, D]`.
 * @param negative - Each anchor's negative `[N, D]`.
 * @param mask - `[N]`, 1 for a real anchor and 0 for padding.
 * @param config - The resolved settings (`tau`, `inBatchNegatives`, `eps`).
 * @returns The scalar loss, the mean over real anchors (0 when there are none).
 * @throws `TavtError` (from `@tavt/core`) `SHAPE_MISMATCH` when the shapes disagree.
 */
export function infoNce(
  fn: string,
  anchor: tf.Tensor,
  positive: tf.Tensor,
  negative: tf.Tensor,
  mask: tf.Tensor,
  config: ResolvedContrastiveConfig,
): tf.Scalar {
  assertRank(fn, "anchor", anchor, 2);
  const [n, d] = anchor.shape as [number, number];
  assertShape(fn, "positive", positive, [n, d]);
  assertShape(fn, "negative", negative, [n, d]);
  assertShape(fn, "mask", mask, [n]);
  return tf.tidy(() => {
    const m = mask.toFloat(); // [N]
    const cand = tf.concat([positive, negative], 0); // [2N, D]: positives then negatives
    const logits = cosineSimilarity(anchor, cand, config.eps).div(config.tau); // [N, 2N]
    const eye = tf.eye(n); // [N, N]
    const own = tf.concat([eye, eye], 1); // [N, 2N]: the anchor's own positive and negative
    const allowed = config.inBatchNegatives
      ? tf.maximum(own, tf.concat([m, m], 0).expandDims(0).tile([n, 1])) // [N, 2N]
      : own;
    const masked = logits.mul(allowed).add(tf.scalar(1).sub(allowed).mul(FLOAT32_LOWEST)); // [N, 2N]
    const logp = logSoftmax(masked); // [N, 2N]
    const pos = logp.mul(tf.concat([eye, tf.zeros([n, n])], 1)).sum(-1); // [N]: log p(positive)
    return pos.mul(m).sum().neg().div(tf.maximum(m.sum(), 1)) as tf.Scalar;
  });
}
