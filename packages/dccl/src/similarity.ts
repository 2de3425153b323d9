import { assertRank, tf } from "@tavt/core";

/**
 * s(p, q) = p^T q / max(|p| |q|, eps) for every pair (section 3.3, eq. 6-7): a [N, D], b [M, D] -> [N, M].
 *
 * @param a - `[N, D]`.
 * @param b - `[M, D]`.
 * @param eps - The guard of the denominator (1e-8 by default).
 * @returns The similarities `[N, M]`.
 * @throws `TavtError` (from `@tavt/core`) `SHAPE_MISMATCH` when `a` or `b` is not rank 2.
 */
export function cosineSimilarity(a: tf.Tensor, b: tf.Tensor, eps = 1e-8): tf.Tensor2D {
  assertRank("dccl.cosineSimilarity", "a", a, 2);
  assertRank("dccl.cosineSimilarity", "b", b, 2);
  return tf.tidy(() => {
    const dot = tf.matMul(a, b, false, true); // [N, M]
    const na = a.square().sum(-1, true); // [N, 1]
    const nb = b.square().sum(-1).expandDims(0); // [1, M]
    return dot.div(tf.sqrt(tf.maximum(na.mul(nb), eps * eps))) as tf.Tensor2D; // [N, M]
  });
}
