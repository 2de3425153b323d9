import { applyLinear, initLinear, type Key, type LinearParams, tf } from "@tavt/core";

/** W_t of eq. 4: a 2d -> d linear layer (PyTorch layout: weight [d, 2d], bias [d]). */
export function initModalityGate(key: Key, dim: number): LinearParams {
  return initLinear(key, { inDim: 2 * dim, outDim: dim });
}

/** Eq. 4: alpha_t = sigmoid(W_t [Y, MHA(Y, x_t, x_t)] + b_t). y, attended [B, L, d] -> alpha [B, L, d] in (0, 1). */
export function applyModalityGate(params: LinearParams, y: tf.Tensor, attended: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.sigmoid(applyLinear(params, tf.concat([y, attended], -1)))); // [B, L, 2d] -> [B, L, d]
}

/** Eq. 5: alpha_av * MHA(Y, x_av, x_av) + alpha_va * MHA(Y, x_va, x_va), all [B, L, d]. */
export function fuseModalities(alphaAv: tf.Tensor, attAv: tf.Tensor, alphaVa: tf.Tensor, attVa: tf.Tensor): tf.Tensor {
  return tf.tidy(() => alphaAv.mul(attAv).add(alphaVa.mul(attVa)));
}
