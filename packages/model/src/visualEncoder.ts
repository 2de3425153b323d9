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

/**
 * Initial parameters of the baselines' frame encoder.
 *
 * @param key - The random key.
 * @param config - The input width `inDim`, `dim`, `heads`, `blocks`, `ffn` and `dropout`.
 * @returns The input projection, the blocks and the final layer norm.
 */
export function initFrameEncoder(key: Key, config: FrameEncoderConfig): FrameEncoderParams {
  return initSequenceEncoder(key, config);
}

/**
 * frames [B, T, in] -> LN(blocks(W frames + positions)) [B, T, d]; mask [B, T] 1 = real.
 *
 * @param params - The parameters from `initFrameEncoder`.
 * @param frames - The frame features `[B, T, inDim]`.
 * @param mask - `[B, T]`, 1 for real frames.
 * @param config - The configuration the parameters were made with.
 * @param ctx - Training flag and dropout key.
 * @returns The encoded frames `[B, T, dim]`.
 * @throws `TavtError` (from `@tavt/core`) `SHAPE_MISMATCH` when `frames` or `mask` does not fit `config`.
 */
export function applyFrameEncoder(
  params: FrameEncoderParams,
  frames: tf.Tensor,
  mask: tf.Tensor,
  config: FrameEncoderConfig,
  ctx: ApplyContext = {},
): tf.Tensor {
  return applySequenceEncoder(params, frames, mask, config, ctx); // [B, T, d]
}
