import { applyLinear, assertShape, initLinear, type Key, type LinearParams, stopGradient, tf } from "@tavt/core";

/** The reconstructor's result (eq. 2): the weights w over the K prototypes and A_rec = w M. */
export interface ReconstructorOutput {
  /** A_rec [B, l, da]. */
  aRec: tf.Tensor3D;
  /** w = softmax(phi(p)) [B, l, K]: each clip's weights over the K prototypes (rows sum to 1). */
  weights: tf.Tensor3D;
}

/**
 * phi of eq. 2: a linear layer d -> K (PyTorch layout: weight [K, d], bias [K]).
 *
 * @param key - The random key.
 * @param dim - d, the prefix width.
 * @param clusters - K, the number of prototypes in the bank.
 * @returns phi: weight `[K, d]` (Xavier uniform) and bias `[K]` (zeros).
 */
export function initReconstructor(key: Key, dim: number, clusters: number): LinearParams {
  return initLinear(key, { inDim: dim, outDim: clusters });
}

/**
 * Eq. 2: a_rec^i = sum_k w_k m_k with w = softmax(phi(p_i)). prefix p [B, l, d], bank M [K, da] -> A_rec [B, l, da]
 * and w [B, l, K]. The bank is held constant: no gradient flows into it.
 *
 * @param phi - The linear layer d -> K.
 * @param prefix - The visual prefix p `[B, l, d]`.
 * @param bank - The cluster centres M `[K, da]` (no gradient flows into it).
 * @returns `aRec` `[B, l, da]` and `weights` w `[B, l, K]`.
 * @throws `TavtError` (from `@tavt/core`) `SHAPE_MISMATCH` when `prefix` or `bank` does not fit phi.
 */
export function applyReconstructor(phi: LinearParams, prefix: tf.Tensor, bank: tf.Tensor): ReconstructorOutput {
  const fn = "avmm.applyReconstructor";
  const [k, d] = phi.weight.shape;
  assertShape(fn, "prefix", prefix, [null, null, d]);
  assertShape(fn, "bank (cluster centres M)", bank, [k, null]);
  const [b, l] = prefix.shape as [number, number, number];
  const da = bank.shape[1]!;
  return tf.tidy(() => {
    const weights = tf.softmax(applyLinear(phi, prefix), -1) as tf.Tensor3D; // [B, l, K]
    const m = stopGradient(bank.toFloat()); // [K, da]
    const aRec = tf.matMul(weights.reshape([b * l, k]), m).reshape([b, l, da]) as tf.Tensor3D; // [B, l, da]
    return { aRec, weights };
  });
}
