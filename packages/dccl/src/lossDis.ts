import { assertRank, assertShape, tf } from "@tavt/core";
import { type ContrastiveConfig, resolveContrastiveConfig } from "./config";
import { infoNce } from "./infoNce";

/**
 * Eq. 6, L_dis = -log( e^{s(A, A+)/tau} / sum_i e^{s(A, A_i)/tau} ), per clip: the anchor is the real audio clip
 * a_i (the audio pooled like the frames), the positive A+ = a_rec^i, the negative A- (and, with
 * `inBatchNegatives`, every other real clip's A+ and A-); averaged over the clips with clipMask 1.
 * audioClips, aPos, aNeg [B, l, da], clipMask [B, l].
 *
 * @param audioClips - The real audio pooled into clips, `[B, l, da]`.
 * @param aPos - A+ (A_rec), `[B, l, da]`.
 * @param aNeg - A-, `[B, l, da]`.
 * @param clipMask - `[B, l]`: 1 for real clips.
 * @param config - `tau` (default 0.4) and `inBatchNegatives`.
 * @returns L_dis, averaged over the real clips.
 */
export function lossDis(
  audioClips: tf.Tensor,
  aPos: tf.Tensor,
  aNeg: tf.Tensor,
  clipMask: tf.Tensor,
  config: ContrastiveConfig = {},
): tf.Scalar {
  const fn = "dccl.lossDis";
  const c = resolveContrastiveConfig(fn, config);
  assertRank(fn, "audioClips", audioClips, 3);
  const [b, l, da] = audioClips.shape as [number, number, number];
  assertShape(fn, "aPos (A+)", aPos, [b, l, da]);
  assertShape(fn, "aNeg (A-)", aNeg, [b, l, da]);
  assertShape(fn, "clipMask", clipMask, [b, l]);
  return tf.tidy(() => {
    const flat = (t: tf.Tensor) => t.reshape([b * l, da]); // [B*l, da]
    return infoNce(fn, flat(audioClips), flat(aPos), flat(aNeg), clipMask.reshape([b * l]), c);
  });
}
