import {
  type ApplyContext,
  applySequenceEncoder,
  initSequenceEncoder,
  type Key,
  type SequenceEncoderConfig,
  type SequenceEncoderParams,
  type tf,
} from "@tavt/core";

/** A plain transformer encoder over one frame sequence (core's sequence encoder): the baselines' encoder. */
export type FrameEncoderParams = SequenceEncoderParams;

/** The baselines' frame encoder: a sequence encoder's sizes and dropout. */
export interface FrameEncoderConfig extends SequenceEncoderConfig {
  dropout: number;
}

/** Initial parameters of the baselines' frame encoder. */
export function initFrameEncoder(key: Key, config: FrameEncoderConfig): FrameEncoderParams {
  return initSequenceEncoder(key, config);
}

/** frames [B, T, in] -> LN(blocks(W frames + positions)) [B, T, d]; mask [B, T] 1 = real. */
export function applyFrameEncoder(
  params: FrameEncoderParams,
  frames: tf.Tensor,
  mask: tf.Tensor,
  config: FrameEncoderConfig,
  ctx: ApplyContext = {},
): tf.Tensor {
  return applySequenceEncoder(params, frames, mask, config, ctx); // [B, T, d]
}
