import type { Key } from "../rng";
import { foldIn, splitNamed } from "../rng";
import { assertShape } from "../shape";
import { tf } from "../tf";
import type { ApplyContext } from "./context";
import { dropout } from "./dropout";
import { applyEncoderStack, type EncoderStackConfig, type EncoderStackParams, initEncoderStack } from "./encoderStack";
import { applyLinear, initLinear, type LinearParams } from "./linear";
import { sinusoidalPositions } from "./positions";

/** A transformer encoder over a feature sequence: input projection, sinusoidal positions, an encoder stack. */
export interface SequenceEncoderParams {
  [name: string]: LinearParams | EncoderStackParams[keyof EncoderStackParams];
  proj: LinearParams;
  blocks: EncoderStackParams["blocks"];
  lnOut: EncoderStackParams["lnOut"];
}

/** A sequence encoder's sizes: the input width, and the encoder stack's. */
export interface SequenceEncoderConfig extends EncoderStackConfig {
  /** Feature width of the input sequence. */
  inDim: number;
}

/**
 * Initial sequence encoder parameters: input projection and encoder stack.
 *
 * @param key - The random key.
 * @param config - The input width `inDim` and the encoder stack's configuration.
 * @returns The input projection `proj` (`inDim` to `dim`), the `blocks` and `lnOut`.
 */
export function initSequenceEncoder(key: Key, config: SequenceEncoderConfig): SequenceEncoderParams {
  const k = splitNamed(key, ["proj", "blocks"]);
  return {
    proj: initLinear(k.proj, { inDim: config.inDim, outDim: config.dim }),
    ...initEncoderStack(k.blocks, config),
  };
}

/**
 * x [B, T, inDim], mask [B, T] (1 = real) -> LN(blocks(dropout(W x + PE))) [B, T, dim]. The input dropout's key is
 * `foldIn(ctx.key, "in")`, block i's `foldIn(ctx.key, i)`.
 *
 * @param params - The parameters from `initSequenceEncoder`.
 * @param x - The features `[B, T, inDim]`.
 * @param mask - `[B, T]`, 1 for real frames and 0 for padding.
 * @param config - The configuration the parameters were made with.
 * @param ctx - Training flag and dropout key (dropout is off without both).
 * @returns The encoded sequence `[B, T, dim]`.
 * @throws `TavtError` `SHAPE_MISMATCH` when `x` or `mask` does not fit `config`.
 */
export function applySequenceEncoder(
  params: SequenceEncoderParams,
  x: tf.Tensor,
  mask: tf.Tensor,
  config: SequenceEncoderConfig,
  ctx: ApplyContext = {},
): tf.Tensor3D {
  const fn = "applySequenceEncoder";
  assertShape(fn, "x", x, [null, null, config.inDim]);
  const [b, t] = x.shape as [number, number, number];
  assertShape(fn, "mask", mask, [b, t]);
  return tf.tidy(() => {
    const h = applyLinear(params.proj, x).add(sinusoidalPositions(t, config.dim).expandDims(0)); // [B, T, dim]
    const inCtx = ctx.key ? { ...ctx, key: foldIn(ctx.key, "in") } : ctx;
    const stack = { blocks: params.blocks, lnOut: params.lnOut };
    return applyEncoderStack(stack, dropout(h, config.dropout ?? 0, inCtx), config, mask, ctx) as tf.Tensor3D; // [B, T, dim]
  });
}

/** The sequence encoder (input projection, positions, encoder stack) as an `{ init, apply }` pair. */
export const sequenceEncoder = { init: initSequenceEncoder, apply: applySequenceEncoder };
