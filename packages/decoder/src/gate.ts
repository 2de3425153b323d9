import { applyLinear, initLinear, type Key, type LinearParams, tf } from "@tavt/core";

/**
 * W_t of eq. 4: a 2d -> d linear layer (PyTorch layout: weight [d, 2d], bias [d]).
 *
 * @param key - The random key.
 * @param dim - d, the model width.
 * @returns W_t `[d, 2d]` (Xavier uniform) and b_t `[d]` (zeros).
 */
export function initModalityGate(key: Key, dim: number): LinearParams {
  return initLinear(key, { inDim: 2 * dim, outDim: dim });
}

/**
 * Eq. 4: alpha_t = sigmoid(W_t [Y, MHA(Y, x_t, x_t)] + b_t). y, attended [B, L, d] -> alpha [B, L, d] in (0, 1).
 *
 * @param params - W_t and b_t from `initModalityGate`.
 * @param y - Y, the normalised states of the previous words `[B, L, d]`.
 * @param attended - MHA(Y, x_t, x_t) `[B, L, d]`.
 * @returns alpha_t `[B, L, d]`, each in (0, 1).
 */
export function applyModalityGate(params: LinearParams, y: tf.Tensor, attended: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.sigmoid(applyLinear(params, tf.concat([y, attended], -1)))); // [B, L, 2d] -> [B, L, d]
}

/**
 * Eq. 5: alpha_av * MHA(Y, x_av, x_av) + alpha_va * MHA(Y, x_va, x_va), all [B, L, d].
 *
 * @param alphaAv - The gate alpha_av `[B, L, d]`.
 * @param attAv - MHA(Y, x_av, x_av) `[B, L, d]`.
 * @param alphaVa - The gate alpha_va `[B, L, d]`.
 * @param attVa - MHA(Y, x_va, x_va) `[B, L, d]`.
 * @returns The fused attention `[B, L, d]`.
 */
export function fuseModalities(alphaAv: tf.Tensor, attAv: tf.Tensor, alphaVa: tf.Tensor, attVa: tf.Tensor): tf.Tensor {
  return tf.tidy(() => alphaAv.mul(attAv).add(alphaVa.mul(attVa)));
}
