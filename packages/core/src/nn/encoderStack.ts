import type { Key } from "../rng";
import { foldIn, split } from "../rng";
import { tf } from "../tf";
import type { ApplyContext } from "./context";
import { applyEncoderBlock, type EncoderBlockConfig, type EncoderBlockParams, initEncoderBlock } from "./encoderBlock";
import { applyLayerNorm, initLayerNorm, type LayerNormParams } from "./layerNorm";

/** `blocks` pre-LN encoder blocks (named "0", "1", ...) and a final layer norm. */
export interface EncoderStackParams {
  [name: string]: Record<string, EncoderBlockParams> | LayerNormParams;
  blocks: Record<string, EncoderBlockParams>;
  lnOut: LayerNormParams;
}

/** An encoder stack's sizes: a block's, and the number of blocks. */
export interface EncoderStackConfig extends EncoderBlockConfig {
  /** Number of encoder blocks; 0 gives just the final layer norm. */
  blocks: number;
}

/**
 * Block i is initialised from the i-th of `split(key, blocks)`.
 *
 * @param key - The random key.
 * @param config - A block's configuration and the number of `blocks`.
 * @returns The blocks under "0", "1", ... and the final layer norm `lnOut`.
 */
export function initEncoderStack(key: Key, config: EncoderStackConfig): EncoderStackParams {
  const blocks: Record<string, EncoderBlockParams> = {};
  (config.blocks > 0 ? split(key, config.blocks) : []).forEach((k, i) => {
    blocks[String(i)] = initEncoderBlock(k, config);
  });
  return { blocks, lnOut: initLayerNorm({ dim: config.dim }) };
}

/**
 * LN(Block_n(...Block_1(x))): x [B, T, dim], mask [B, T] (1 = real) -> [B, T, dim]. Block i's dropout key is
 * `foldIn(ctx.key, i)`. The number of blocks is read from the parameters.
 *
 * @param params - The parameters from `initEncoderStack`.
 * @param x - The states `[B, T, dim]`.
 * @param config - A block's configuration.
 * @param mask - `[B, T]`, 1 for real positions and 0 for padding (none masked when omitted).
 * @param ctx - Training flag and dropout key (dropout is off without both).
 * @returns The encoded states `[B, T, dim]`.
 * @throws `TavtError` `SHAPE_MISMATCH` for inputs whose shapes do not fit the configuration.
 */
export function applyEncoderStack(
  params: EncoderStackParams,
  x: tf.Tensor,
  config: EncoderBlockConfig,
  mask?: tf.Tensor,
  ctx: ApplyContext = {},
): tf.Tensor {
  return tf.tidy(() => {
    let h = x;
    const n = Object.keys(params.blocks).length;
    for (let i = 0; i < n; i++) {
      const c = ctx.key ? { ...ctx, key: foldIn(ctx.key, i) } : ctx;
      h = applyEncoderBlock(params.blocks[String(i)]!, h, config, mask, c); // [B, T, dim]
    }
    return applyLayerNorm(params.lnOut, h); // [B, T, dim]
  });
}

/** The encoder stack (blocks and a final layer norm) as an `{ init, apply }` pair. */
export const encoderStack = { init: initEncoderStack, apply: applyEncoderStack };
