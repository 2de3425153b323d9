import type { Key } from "../rng";
import { foldIn, splitNamed } from "../rng";
import { tf } from "../tf";
import { type AttentionParams, applyAttention, initAttention } from "./attention";
import type { ApplyContext } from "./context";
import { dropout } from "./dropout";
import { applyFeedForward, type FeedForwardParams, initFeedForward } from "./feedForward";
import { applyLayerNorm, initLayerNorm, type LayerNormParams } from "./layerNorm";

/** A pre-LN transformer decoder block's sizes and dropout. */
export interface DecoderBlockConfig {
  dim: number;
  heads: number;
  /** Feed-forward inner width; default 4 * dim. */
  ffn?: number;
  /** Width of the memory (encoder output); default `dim`. */
  memoryDim?: number;
  /** Residual and attention dropout; default 0. */
  dropout?: number;
}

/** A decoder block's parameters: self-attention, cross-attention, feed-forward and their layer norms. */
export interface DecoderBlockParams {
  [name: string]: AttentionParams | LayerNormParams | FeedForwardParams;
  ln1: LayerNormParams;
  selfAttn: AttentionParams;
  ln2: LayerNormParams;
  crossAttn: AttentionParams;
  ln3: LayerNormParams;
  ffn: FeedForwardParams;
}

/** A decoder block's inputs: the tokens' states, the memory, and their masks. */
export interface DecoderBlockInputs {
  x: tf.Tensor; // [B, T, dim]
  memory: tf.Tensor; // [B, S, memoryDim]
  /** `[B, T]`: 1 for real tokens. */
  mask?: tf.Tensor;
  /** `[B, S]`: 1 for real memory positions. */
  memoryMask?: tf.Tensor;
}

/**
 * Initial decoder block parameters.
 *
 * @param key - The random key.
 * @param config - `dim`, `heads`, `ffn` (4 * dim by default) and `memoryDim` (`dim` by default).
 * @returns Layer norms ln1-ln3 (weight 1, bias 0), self- and cross-attention and the feed-forward layer.
 */
export function initDecoderBlock(key: Key, config: DecoderBlockConfig): DecoderBlockParams {
  const k = splitNamed(key, ["selfAttn", "crossAttn", "ffn"]);
  return {
    ln1: initLayerNorm({ dim: config.dim }),
    selfAttn: initAttention(k.selfAttn, { dim: config.dim, heads: config.heads }),
    ln2: initLayerNorm({ dim: config.dim }),
    crossAttn: initAttention(k.crossAttn, { dim: config.dim, heads: config.heads, kvDim: config.memoryDim }),
    ln3: initLayerNorm({ dim: config.dim }),
    ffn: initFeedForward(k.ffn, { dim: config.dim, hidden: config.ffn ?? 4 * config.dim }),
  };
}

/**
 * Pre-LN transformer decoder block: causal self-attention, cross-attention to memory, feed-forward; each residual.
 *
 * @param params - The parameters from `initDecoderBlock`.
 * @param inputs - `x` `[B, T, dim]`, `memory` `[B, S, memoryDim]`, optional `mask` `[B, T]` and `memoryMask` `[B, S]`
 *   (1 = real).
 * @param config - The block's configuration; `dropout` applies to the residual branches and attention weights.
 * @param ctx - Training flag and dropout key (dropout is off without both).
 * @returns The new token states `[B, T, dim]`.
 * @throws `TavtError` `SHAPE_MISMATCH` for inputs whose shapes do not fit the configuration.
 */
export function applyDecoderBlock(
  params: DecoderBlockParams,
  inputs: DecoderBlockInputs,
  config: DecoderBlockConfig,
  ctx: ApplyContext = {},
): tf.Tensor {
  const rate = config.dropout ?? 0;
  const sub = (name: string): ApplyContext => (ctx.key ? { ...ctx, key: foldIn(ctx.key, name) } : ctx);
  return tf.tidy(() => {
    const { x, memory, mask, memoryMask } = inputs;
    const h1 = applyLayerNorm(params.ln1, x);
    const s = applyAttention(
      params.selfAttn,
      { query: h1, key: h1, value: h1, keyMask: mask, causal: true },
      { dim: config.dim, heads: config.heads, dropout: rate },
      sub("selfAttn"),
    ).out;
    const x1 = x.add(dropout(s, rate, sub("drop1"))); // [B, T, dim]
    const h2 = applyLayerNorm(params.ln2, x1);
    const c = applyAttention(
      params.crossAttn,
      { query: h2, key: memory, value: memory, keyMask: memoryMask },
      { dim: config.dim, heads: config.heads, kvDim: config.memoryDim, dropout: rate },
      sub("crossAttn"),
    ).out;
    const x2 = x1.add(dropout(c, rate, sub("drop2"))); // [B, T, dim]
    const f = applyFeedForward(
      params.ffn,
      applyLayerNorm(params.ln3, x2),
      { dim: config.dim, hidden: config.ffn ?? 4 * config.dim, dropout: rate },
      sub("ffn"),
    );
    return x2.add(dropout(f, rate, sub("drop3"))); // [B, T, dim]
  });
}

/** The pre-LN decoder block as an `{ init, apply }` pair. */
export const decoderBlock = { init: initDecoderBlock, apply: applyDecoderBlock };
