import { assertRank, assertShape, tf } from "@tavt/core";

/** Default guard of psi's denominator. */
export const PSI_EPS = 1e-6;

/**
 * Eq. 7: the dependence score psi(V, A) = alpha_av / alpha_va, element-wise on the decoder's gates [B, L, d]
 * (or [B, L]); computed as alpha_av / (alpha_va + eps) so a gate near 0 cannot blow up (eps default 1e-6; the gates
 * are sigmoids in (0, 1)).
 *
 * @param alphaAv - The gates alpha_av `[B, L, d]` or `[B, L]`.
 * @param alphaVa - The gates alpha_va, the same shape as `alphaAv`.
 * @param eps - Added to the denominator (`PSI_EPS`, 1e-6, by default).
 * @returns alpha_av / (alpha_va + eps), the shape of the inputs.
 * @throws `TavtError` (from `@tavt/core`) `SHAPE_MISMATCH` when the gates are not rank 2 or 3 or their shapes differ.
 */
export function psi(alphaAv: tf.Tensor, alphaVa: tf.Tensor, eps = PSI_EPS): tf.Tensor {
  const fn = "dccl.psi";
  if (alphaAv.rank !== 2) assertRank(fn, "alphaAv", alphaAv, 3);
  assertShape(fn, "alphaVa", alphaVa, alphaAv.shape);
  return tf.tidy(() => alphaAv.div(alphaVa.add(eps)));
}

/**
 * The per-token score [B, L]: the mean over d of r [B, L, d] (a [B, L] input is returned as is).
 *
 * @param fn - The calling function's name, for error messages.
 * @param name - The score's name, for error messages.
 * @param r - Scores `[B, L, d]` or `[B, L]`.
 * @returns `[B, L]` (`r` itself when it is already rank 2).
 * @throws `TavtError` (from `@tavt/core`) `SHAPE_MISMATCH` when `r` is neither rank 2 nor rank 3.
 */
export function tokenScores(fn: string, name: string, r: tf.Tensor): tf.Tensor {
  if (r.rank === 2) return r;
  assertRank(fn, name, r, 3);
  return r.mean(-1); // [B, L]
}
