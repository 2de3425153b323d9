import { assertRank, assertShape, tf } from "@tavt/core";

/** Default guard of psi's denominator. */
export const PSI_EPS = 1e-6;

/**
 * Eq. 7: the dependence score psi(V, A) = alpha_av / alpha_va, element-wise on the decoder's gates [B, L, d]
 * (or [B, L]); computed as alpha_av / (alpha_va + eps) so a gate near 0 cannot blow up (eps default 1e-6; the gates
 * are sigmoids in (0, 1)).
 */
export function psi(alphaAv: tf.Tensor, alphaVa: tf.Tensor, eps = PSI_EPS): tf.Tensor {
  const fn = "dccl.psi";
  if (alphaAv.rank !== 2) assertRank(fn, "alphaAv", alphaAv, 3);
  assertShape(fn, "alphaVa", alphaVa, alphaAv.shape);
  return tf.tidy(() => alphaAv.div(alphaVa.add(eps)));
}

/** The per-token score [B, L]: the mean over d of r [B, L, d] (a [B, L] input is returned as is). */
export function tokenScores(fn: string, name: string, r: tf.Tensor): tf.Tensor {
  if (r.rank === 2) return r;
  assertRank(fn, name, r, 3);
  return r.mean(-1); // [B, L]
}
