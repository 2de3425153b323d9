import { assertRank, assertShape, tf } from "@tavt/core";

/**
 * L_rec (section 3.2): the mean squared error between A_rec and the real audio pooled into the same clips,
 * over the clips with clipMask 1 and every feature: sum(mask * (a_rec - a)^2) / (max(#real clips, 1) * da).
 * aRec, audioClips [B, l, da], clipMask [B, l]. Zero when no clip is real.
 *
 * @param aRec - A_rec `[B, l, da]`.
 * @param audioClips - The real audio pooled into clips `[B, l, da]`.
 * @param clipMask - `[B, l]`, 1 for the clips real in both streams.
 * @returns The scalar loss.
 * @throws `TavtError` (from `@tavt/core`) `SHAPE_MISMATCH` when the shapes disagree.
 */
export function lossRec(aRec: tf.Tensor, audioClips: tf.Tensor, clipMask: tf.Tensor): tf.Scalar {
  const fn = "avmm.lossRec";
  assertRank(fn, "aRec", aRec, 3);
  const [b, l, da] = aRec.shape as [number, number, number];
  assertShape(fn, "audioClips", audioClips, [b, l, da]);
  assertShape(fn, "clipMask", clipMask, [b, l]);
  return tf.tidy(() => {
    const m = clipMask.toFloat(); // [B, l]
    const se = aRec.sub(audioClips).square().sum(-1); // [B, l]
    return se.mul(m).sum().div(tf.maximum(m.sum(), 1).mul(da)) as tf.Scalar;
  });
}
