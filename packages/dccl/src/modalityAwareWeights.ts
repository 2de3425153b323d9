import { assertRank, assertShape, stopGradient, tf } from "@tavt/core";
import { PSI_EPS, psi, tokenScores } from "./psi";

/** Options of `modalityAwareWeights`: normalise to mean 1, stop the gradient, epsilon. */
export interface ModalityAwareConfig {
  /** psi's guard: alpha_av / (alpha_va + eps); default 1e-6. */
  eps?: number;
  /** Divide by the mean weight over the real tokens so the mean weight is 1; default false (eq. 8 as written). */
  normalize?: boolean;
  /** No gradient flows from the weights into the gates (they weight L_cap, eq. 9); default true. */
  stopGradient?: boolean;
}

/**
 * Eq. 8, W_ma^i = (1/N) sum_{n=1}^N alpha_av^n / alpha_va^n: each token's weight is the mean, over the N occurrences
 * of the same word in the batch (real tokens only), of its gate ratio psi reduced over d by the mean.
 * alphaAv, alphaVa [B, L, d] (or [B, L]); tokens [B, L] the words the gates predict (the decoder targets);
 * tokenMask [B, L] -> weights [B, L], 0 on padding.
 *
 * @param alphaAv - The gates alpha_av, `[B, L, d]` (or their mean over d, `[B, L]`).
 * @param alphaVa - The gates alpha_va, the same shape.
 * @param tokens - The words the gates predict (the decoder's targets), `[B, L]`.
 * @param tokenMask - `[B, L]`: 1 for real tokens.
 * @param config - `normalize`, `stopGradient` (default true), `eps`.
 * @returns W_ma, `[B, L]` (0 on padding).
 */
export function modalityAwareWeights(
  alphaAv: tf.Tensor,
  alphaVa: tf.Tensor,
  tokens: tf.Tensor,
  tokenMask: tf.Tensor,
  config: ModalityAwareConfig = {},
): tf.Tensor2D {
  const fn = "dccl.modalityAwareWeights";
  if (alphaAv.rank !== 2) assertRank(fn, "alphaAv", alphaAv, 3);
  assertShape(fn, "alphaVa", alphaVa, alphaAv.shape);
  const [b, len] = alphaAv.shape as [number, number];
  assertShape(fn, "tokens", tokens, [b, len]);
  assertShape(fn, "tokenMask", tokenMask, [b, len]);
  return tf.tidy(() => {
    const ratio = tokenScores(fn, "alphaAv", psi(alphaAv, alphaVa, config.eps ?? PSI_EPS)); // [B, L]
    const r = (config.stopGradient ?? true) ? stopGradient(ratio) : ratio;
    const n = b * len;
    const m = tokenMask.toFloat().reshape([n]); // [BL]
    const ids = tokens.toInt().reshape([n]); // [BL]
    const same = tf.equal(ids.expandDims(1), ids.expandDims(0)).toFloat(); // [BL, BL]
    const e = same.mul(m.expandDims(1)).mul(m.expandDims(0)); // [BL, BL]: both real, same word
    const sum = tf.matMul(e, r.reshape([n, 1])).reshape([n]); // [BL]
    const count = e.sum(-1); // [BL]
    let w = sum.div(tf.maximum(count, 1)).mul(m); // [BL]
    if (config.normalize) w = w.div(tf.maximum(w.sum().div(tf.maximum(m.sum(), 1)), 1e-12));
    return w.reshape([b, len]) as tf.Tensor2D; // [B, L]
  });
}
