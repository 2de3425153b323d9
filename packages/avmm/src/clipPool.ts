import { assertRank, assertShape, TavtError, tf } from "@tavt/core";

/** How frames are cut into clips (eq. 1). */
export interface ClipPoolConfig {
  /** T: frames per clip. */
  clipLength: number;
  /** l: clips per video. */
  clips: number;
}

/** Clip pooling's result (eq. 1): the clip means `[B, l, d]` and which clips hold a real frame. */
export interface ClipPoolOutput {
  clips: tf.Tensor3D; // [B, l, D]
  clipMask: tf.Tensor2D; // [B, l], 1 = the clip has at least one real frame
}

/**
 * Eq. 1: c_i = (1/|T|) sum_{t in clip i} v_t. frames [B, Tf, D], mask [B, Tf] (1 = real) -> clips [B, l, D].
 * Clip i covers frames i*T .. i*T+T-1. Ragged lengths: a clip is the mean over its real frames only; a clip with
 * no real frame is zero and masked (clipMask 0). Fewer than l*T frames are padded (as padding); frames after the
 * first l*T are not pooled.
 *
 * @param frames - Frame features `[B, Tf, D]`.
 * @param mask - `[B, Tf]`, 1 for a real frame and 0 for padding.
 * @param config - `clipLength` T (frames per clip) and `clips` l (clips per video).
 * @returns `clips` `[B, l, D]` and `clipMask` `[B, l]` (1 where the clip has a real frame).
 * @throws `TavtError` (from `@tavt/core`) `BAD_CONFIG` when T or l is not a positive integer, `SHAPE_MISMATCH` when
 *   `frames` is not rank 3 or `mask` is not `[B, Tf]`.
 */
export function clipPool(frames: tf.Tensor, mask: tf.Tensor, config: ClipPoolConfig): ClipPoolOutput {
  const fn = "avmm.clipPool";
  const { clipLength: len, clips: l } = config;
  for (const [f, v] of [
    ["clipLength", len],
    ["clips", l],
  ] as const) {
    if (!(Number.isInteger(v) && v > 0)) {
      throw new TavtError("BAD_CONFIG", `${fn}: ${f} must be a positive integer, got ${v}`, { field: f });
    }
  }
  assertRank(fn, "frames", frames, 3);
  const [b, tf0, dim] = frames.shape as [number, number, number];
  assertShape(fn, "mask", mask, [b, tf0]);
  const need = l * len;
  return tf.tidy(() => {
    let x = frames.toFloat();
    let m = mask.toFloat();
    if (tf0 < need) {
      x = x.pad([
        [0, 0],
        [0, need - tf0],
        [0, 0],
      ]); // [B, l*T, D]
      m = m.pad([
        [0, 0],
        [0, need - tf0],
      ]); // [B, l*T]
    } else if (tf0 > need) {
      x = x.slice([0, 0, 0], [b, need, dim]); // [B, l*T, D]
      m = m.slice([0, 0], [b, need]); // [B, l*T]
    }
    const m4 = m.reshape([b, l, len, 1]); // [B, l, T, 1]
    const sum = x.reshape([b, l, len, dim]).mul(m4).sum(2); // [B, l, D]
    const count = m4.sum(2); // [B, l, 1]
    const clips = sum.div(tf.maximum(count, 1)) as tf.Tensor3D; // [B, l, D]
    const clipMask = tf.greater(count.reshape([b, l]), 0).toFloat() as tf.Tensor2D; // [B, l]
    return { clips, clipMask };
  });
}
