import type { Key, ParamTree, tf } from "@tavt/core";

/** Contract 1: one collated batch of captioned videos (@tavt/datasets `collate()` produces it). */
export interface CaptionBatch {
  /** Video ids. */
  ids: string[];
  domains: string[];
  /** [B, Tv, dv] float32, zero padded. */
  visual: tf.Tensor3D;
  /** [B, Tv], 1 = real frame. */
  visualMask: tf.Tensor2D;
  /** [B, Ta, da], or null when the data has no audio (then AVMM's A_rec stands in, section 3.4). */
  audio: tf.Tensor3D | null;
  /** [B, Ta], or null with `audio`. */
  audioMask: tf.Tensor2D | null;
  /** [B, L] int32: `<bos>` w1 .. wn `<eos>` then `<pad>`; one reference caption per video. */
  tokens: tf.Tensor2D;
  /** All reference captions per video (for metrics). */
  references: string[][];
}

/** Contract 4: a pure loss a meta-learner differentiates (and differentiates through, for MAML). */
export type LossFn<B> = (params: ParamTree, batch: B, key: Key) => tf.Scalar;

/** The parts of eq. 10: L = L_cap + L_rec + lambda L_dis + mu L_dep (scalars; parts a variant lacks are 0). */
export interface LossParts {
  cap: tf.Scalar;
  rec: tf.Scalar;
  dis: tf.Scalar;
  dep: tf.Scalar;
  total: tf.Scalar;
  /**
   * The plain per-word cross-entropy (L_cap without W_ma), given when it differs from `cap` and the loss was asked
   * for without training (`training: false`): the number comparable across methods. Absent otherwise.
   */
  nll?: tf.Scalar;
}
