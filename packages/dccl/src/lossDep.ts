import { assertRank, assertShape, tf } from "@tavt/core";
import { type ContrastiveConfig, resolveContrastiveConfig } from "./config";
import { infoNce } from "./infoNce";
import { tokenScores } from "./psi";

/**
 * Eq. 7, L_dep = -log( e^{s(r, r+)/tau} / sum_i e^{s(r, r_i)/tau} ) per video: r = psi(V, A), r+ = psi(V, A+),
 * r- = psi(V, A-) ([B, L, d] reduced over d by the mean, or [B, L]), each video's scores a vector over its tokens
 * (padded tokens zeroed by tokenMask [B, L]), s the cosine similarity over that token dimension; negatives r- (and,
 * with `inBatchNegatives`, every other video's r+ and r-); averaged over the videos with a real token.
 *
 * @param rAnchor - psi of the (V, A) pass.
 * @param rPos - psi of the (V, A+) pass.
 * @param rNeg - psi of the (V, A-) pass.
 * @param tokenMask - `[B, L]`: 1 for real tokens.
 * @param config - `tau` (default 0.4) and `inBatchNegatives`.
 * @returns L_dep, averaged over the videos with a real token.
 */
export function lossDep(
  rAnchor: tf.Tensor,
  rPos: tf.Tensor,
  rNeg: tf.Tensor,
  tokenMask: tf.Tensor,
  config: ContrastiveConfig = {},
): tf.Scalar {
  const fn = "dccl.lossDep";
  const c = resolveContrastiveConfig(fn, config);
  assertRank(fn, "tokenMask", tokenMask, 2);
  const [b, len] = tokenMask.shape as [number, number];
  const want = rAnchor.rank === 3 ? [b, len, rAnchor.shape[2]!] : [b, len];
  assertShape(fn, "rAnchor", rAnchor, want);
  assertShape(fn, "rPos", rPos, want);
  assertShape(fn, "rNeg", rNeg, want);
  return tf.tidy(() => {
    const m = tokenMask.toFloat(); // [B, L]
    const vec = (r: tf.Tensor, name: string) => tokenScores(fn, name, r).mul(m); // [B, L]
    const real = tf.greater(m.sum(-1), 0).toFloat(); // [B]
    return infoNce(fn, vec(rAnchor, "rAnchor"), vec(rPos, "rPos"), vec(rNeg, "rNeg"), real, c);
  });
}
