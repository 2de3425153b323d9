import type { Key } from "../rng";
import { foldIn, splitNamed } from "../rng";
import { tf } from "../tf";
import { type AttentionParams, applyAttention, initAttention } from "./attention";
import type { ApplyContext } from "./context";
import { dropout } from "./dropout";
import { applyFeedForward, type FeedForwardParams, initFeedForward } from "./feedForward";
import { applyLayerNorm, initLayerNorm, type LayerNormParams } from "./layerNorm";

/** A pre-LN transformer encoder block's sizes and dropout. */
export interface EncoderBlockConfig {
  dim: number;
  heads: number;
  /** Feed-forward inner width; default 4 * dim. */
  ffn?: number;
  /** Residual and attention dropout; default 0. */
  dropout?: number;
}

/** An encoder block's parameters: self-attention, feed-forward and their layer norms. */
export interface EncoderBlockParams {
  [name: string]: AttentionParams | LayerNormParams | FeedForwardParams;
  ln1: LayerNormParams;
  attn: AttentionParams;
  ln2: LayerNormParams;
  ffn: FeedForwardParams;
}

/**
 * Initial encoder block parameters.
 *
 * @param key - The random key.
 * @param config - `dim`, `heads` and `ffn` (4 * dim by default).
 * @returns Layer norms ln1 and ln2 (weight 1, bias 0), self-attention and the feed-forward layer.
 */
export function initEncoderBlock(key: Key, config: EncoderBlockConfig): EncoderBlockParams {
  const k = splitNamed(key, ["attn", "ffn"]);
  return {
    ln1: initLayerNorm({ dim: config.dim }),
    attn: initAttention(k.attn, { dim: config.dim, heads: config.heads }),
    ln2: initLayerNorm({ dim: config.dim }),
    ffn: initFeedForward(k.ffn, { dim: config.dim, hidden: config.ffn ?? 4 * config.dim }),
  };
}

/**
 * Pre-LN transformer encoder block: x + SelfAtt(LN(x)), then + FFN(LN(x)). x [B, T, dim], mask [B, T].
 *
 * @param params - The parameters from `initEncoderBlock`.
 * @param x - The states `[B, T, dim]`.
 * @param config - The block's configuration; `dropout` applies to the residual branches and attention weights.
 * @param mask - `[B, T]`, 1 for real positions and 0 for padding (none masked when omitted).
 * @param ctx - Training flag and dropout key (dropout is off without both).
 * @returns The new states `[B, T, dim]`.
 * @throws `TavtError` `SHAPE_MISMATCH` for inputs whose shapes do not fit the configuration.
 */
export function applyEncoderBlock(
  params: EncoderBlockParams,
  x: tf.Tensor,
  config: EncoderBlockConfig,
  mask?: tf.Tensor,
  ctx: ApplyContext = {},
): tf.Tensor {
  const rate = config.dropout ?? 0;
  const sub = (name: string): ApplyContext => (ctx.key ? { ...ctx, key: foldIn(ctx.key, name) } : ctx);
  return tf.tidy(() => {
    const h = applyLayerNorm(params.ln1, x);
    const a = applyAttention(
      params.attn,
      { query: h, key: h, value: h, keyMask: mask },
      { dim: config.dim, heads: config.heads, dropout: rate },
      sub("attn"),
    ).out;
    const x1 = x.add(dropout(a, rate, sub("drop1"))); // [B, T, dim]
    const f = applyFeedForward(
      params.ffn,
      applyLayerNorm(params.ln2, x1),
      { dim: config.dim, hidden: config.ffn ?? 4 * config.dim, dropout: rate },
      sub("ffn"),
    );
    return x1.add(dropout(f, rate, sub("drop2"))); // [B, T, dim]
  });
}

/** The pre-LN encoder block as an `{ init, apply }` pair. */
export const encoderBlock = { init: initEncoderBlock, apply: applyEncoderBlock };
