import { assertRank, assertShape, logSoftmax, tf } from "@tavt/core";
import { PAD_ID } from "./config";

/** Teacher forcing: decoder inputs, targets and their masks from `<bos> w1 .. wn <eos> <pad>..` rows. */
export interface ShiftedTokens {
  input: tf.Tensor2D; // [B, L-1] int32: <bos> w1 .. wn (<eos>) ...
  target: tf.Tensor2D; // [B, L-1] int32: w1 .. wn <eos> <pad> ...
  inputMask: tf.Tensor2D; // [B, L-1] float32, 1 where the input is not <pad>
  targetMask: tf.Tensor2D; // [B, L-1] float32, 1 where the target is not <pad>
}

/**
 * Split caption rows [B, L] into teacher-forced decoder inputs (all but the last column) and targets (all but the first).
 *
 * @param tokens - Caption rows `[B, L]` (`<bos>` w1 .. wn `<eos>` `<pad>` ..).
 * @returns `input` and `target` `[B, L-1]` int32 with their masks `[B, L-1]` (1 where the id is not `<pad>`).
 * @throws `TavtError` (from `@tavt/core`) `SHAPE_MISMATCH` when `tokens` is not rank 2.
 */
export function shiftTokens(tokens: tf.Tensor): ShiftedTokens {
  assertRank("decoder.shiftTokens", "tokens", tokens, 2);
  const [b, len] = tokens.shape as [number, number];
  return tf.tidy(() => {
    const ids = tokens.toInt();
    const input = ids.slice([0, 0], [b, len - 1]) as tf.Tensor2D; // [B, L-1]
    const target = ids.slice([0, 1], [b, len - 1]) as tf.Tensor2D; // [B, L-1]
    return {
      input,
      target,
      inputMask: tf.notEqual(input, PAD_ID).toFloat() as tf.Tensor2D,
      targetMask: tf.notEqual(target, PAD_ID).toFloat() as tf.Tensor2D,
    };
  });
}

/**
 * Eq. 9: L_cap = -sum_t W_ma,t * log p(w_t = y_t | y_<t), averaged over the real target tokens of the batch
 * (sum over tokens of weight * NLL, divided by the number of tokens with mask 1). Without `weights` it is the
 * plain token-level cross-entropy. logits [B, L, V], target [B, L] int32, mask and weights [B, L].
 *
 * @param logits - The decoder's logits `[B, L, V]`.
 * @param target - The target ids `[B, L]`.
 * @param mask - `[B, L]`, 1 for real target tokens.
 * @param weights - W_ma `[B, L]` (eq. 8); absent or null for the plain cross-entropy.
 * @returns The scalar loss.
 * @throws `TavtError` (from `@tavt/core`) `SHAPE_MISMATCH` when the shapes disagree.
 */
export function captionCrossEntropy(
  logits: tf.Tensor,
  target: tf.Tensor,
  mask: tf.Tensor,
  weights?: tf.Tensor | null,
): tf.Scalar {
  assertRank("decoder.captionCrossEntropy", "logits", logits, 3);
  const [b, len, v] = logits.shape as [number, number, number];
  assertShape("decoder.captionCrossEntropy", "target", target, [b, len]);
  assertShape("decoder.captionCrossEntropy", "mask", mask, [b, len]);
  if (weights) assertShape("decoder.captionCrossEntropy", "weights", weights, [b, len]);
  return tf.tidy(() => {
    const logp = logSoftmax(logits); // [B, L, V]
    const picked = logp.mul(tf.oneHot(target.toInt(), v)).sum(-1); // log p(y_t) [B, L]
    let w = mask.toFloat(); // [B, L]
    if (weights) w = w.mul(weights);
    const denom = tf.maximum(mask.toFloat().sum(), 1);
    return picked.mul(w).sum().neg().div(denom) as tf.Scalar;
  });
}
