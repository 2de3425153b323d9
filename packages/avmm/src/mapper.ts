import {
  type ApplyContext,
  applySequenceEncoder,
  assertShape,
  initSequenceEncoder,
  type Key,
  type SequenceEncoderConfig,
  type SequenceEncoderParams,
  type tf,
} from "@tavt/core";
import type { ResolvedAvmmConfig } from "./config";

/** The mapper SA of eq. 1: input projection dv -> d, `blocks` pre-LN self-attention blocks, a final layer norm. */
export type MapperParams = SequenceEncoderParams;

function encoderConfig(config: ResolvedAvmmConfig): SequenceEncoderConfig {
  const { visualDim, dim, heads, ffn, blocks, dropout } = config;
  return { inDim: visualDim, dim, heads, ffn, blocks, dropout };
}

/**
 * Initial parameters of the AVMM's self-attention mapper (eq. 1).
 *
 * @param key - The random key.
 * @param config - The resolved AVMM configuration (`visualDim`, `dim`, `heads`, `ffn`, `blocks`).
 * @returns The input projection dv -> d, the blocks and the final layer norm.
 */
export function initMapper(key: Key, config: ResolvedAvmmConfig): MapperParams {
  return initSequenceEncoder(key, encoderConfig(config));
}

/**
 * Eq. 1: p_i = SA(c_i). clips [B, l, dv], clipMask [B, l] -> prefix p [B, l, d]:
 * p = LN(blocks(W c + PE)), the sinusoidal positions PE giving the clips their temporal order; masked clips are
 * never attended to.
 *
 * @param params - The parameters from `initMapper`.
 * @param clips - The visual clips c `[B, l, dv]`.
 * @param clipMask - `[B, l]`, 1 for a clip with a real frame.
 * @param config - The resolved AVMM configuration.
 * @param ctx - Training flag and dropout key.
 * @returns The visual prefix p `[B, l, d]`.
 * @throws `TavtError` (from `@tavt/core`) `SHAPE_MISMATCH` when `clips` or `clipMask` does not fit.
 */
export function applyMapper(
  params: MapperParams,
  clips: tf.Tensor,
  clipMask: tf.Tensor,
  config: ResolvedAvmmConfig,
  ctx: ApplyContext = {},
): tf.Tensor3D {
  const fn = "avmm.applyMapper";
  assertShape(fn, "clips", clips, [null, null, config.visualDim]);
  const [b, l] = clips.shape as [number, number, number];
  assertShape(fn, "clipMask", clipMask, [b, l]);
  return applySequenceEncoder(params, clips, clipMask, encoderConfig(config), ctx); // [B, l, d]
}
