import {
  type ApplyContext,
  type AttentionParams,
  applyAttention,
  applyFeedForward,
  applyLayerNorm,
  dropout,
  type FeedForwardParams,
  initAttention,
  initFeedForward,
  initLayerNorm,
  type Key,
  type LayerNormParams,
  rng,
  tf,
} from "@tavt/core";

/** A cross-attention block's sizes and dropout. */
export interface CrossBlockConfig {
  dim: number;
  heads: number;
  /** Feed-forward inner width; default 4 * dim. */
  ffn?: number;
  /** Residual and attention dropout; default 0. */
  dropout?: number;
}

/** One CrossAtt block (eq. 16-17): the names follow @tavt/core's encoder block (ln1, attn, ln2, ffn). */
export interface CrossBlockParams {
  [name: string]: AttentionParams | LayerNormParams | FeedForwardParams;
  ln1: LayerNormParams;
  attn: AttentionParams;
  ln2: LayerNormParams;
  ffn: FeedForwardParams;
}

/**
 * Initial cross-attention block parameters.
 *
 * @param key - The random key.
 * @param config - `dim`, `heads` and `ffn` (4 * dim by default).
 * @returns Layer norms ln1 and ln2 (weight 1, bias 0), the attention and the feed-forward layer.
 */
export function initCrossBlock(key: Key, config: CrossBlockConfig): CrossBlockParams {
  const k = rng.splitNamed(key, ["attn", "ffn"]);
  return {
    ln1: initLayerNorm({ dim: config.dim }),
    attn: initAttention(k.attn, { dim: config.dim, heads: config.heads }),
    ln2: initLayerNorm({ dim: config.dim }),
    ffn: initFeedForward(k.ffn, { dim: config.dim, hidden: config.ffn ?? 4 * config.dim }),
  };
}

/**
 * Eq. 16-17, one block of CrossAtt(f_i, f_j, f_j), pre-LN like @tavt/core's encoder block:
 *   x1 = x + MHA(LN1(x), f_j, f_j)   (keys masked by memoryMask)
 *   out = x1 + FFN(LN2(x1)).
 * x [B, Tq, d] (the query stream), memory [B, Tk, d] (the other stream, already normalised), memoryMask [B, Tk].
 *
 * @param params - The parameters from `initCrossBlock`.
 * @param x - The query stream `[B, Tq, d]`.
 * @param memory - The other stream `[B, Tk, d]` (keys and values).
 * @param memoryMask - `[B, Tk]`, 1 for real positions; undefined for none masked.
 * @param config - The block's configuration; `dropout` applies to the residual branches and attention weights.
 * @param ctx - Training flag and dropout key (dropout is off without both).
 * @returns The new query stream `[B, Tq, d]`.
 * @throws `TavtError` (from `@tavt/core`) `SHAPE_MISMATCH` for inputs that do not fit the configuration.
 */
export function applyCrossBlock(
  params: CrossBlockParams,
  x: tf.Tensor,
  memory: tf.Tensor,
  memoryMask: tf.Tensor | undefined,
  config: CrossBlockConfig,
  ctx: ApplyContext = {},
): tf.Tensor {
  const rate = config.dropout ?? 0;
  const sub = (name: string): ApplyContext => (ctx.key ? { ...ctx, key: rng.foldIn(ctx.key, name) } : ctx);
  return tf.tidy(() => {
    const h = applyLayerNorm(params.ln1, x);
    const a = applyAttention(
      params.attn,
      { query: h, key: memory, value: memory, keyMask: memoryMask },
      { dim: config.dim, heads: config.heads, dropout: rate },
      sub("attn"),
    ).out; // [B, Tq, d]
    const x1 = x.add(dropout(a, rate, sub("drop1"))); // [B, Tq, d]
    const f = applyFeedForward(
      params.ffn,
      applyLayerNorm(params.ln2, x1),
      { dim: config.dim, hidden: config.ffn ?? 4 * config.dim, dropout: rate },
      sub("ffn"),
    );
    return x1.add(dropout(f, rate, sub("drop2"))); // [B, Tq, d]
  });
}
