import { TavtError } from "../errors";
import type { Key } from "../rng";
import { foldIn, splitNamed } from "../rng";
import { assertRank, assertShape, FLOAT32_LOWEST } from "../shape";
import { tf } from "../tf";
import type { ApplyContext } from "./context";
import { dropout } from "./dropout";
import { applyLinear, initLinear, type LinearParams } from "./linear";

/** Static configuration of multi-head attention (kept out of the parameter tree). */
export interface AttentionConfig {
  /** Model width: query input and output size. */
  dim: number;
  heads: number;
  /** Width of key/value inputs; default `dim`. */
  kvDim?: number;
  /** Dropout on the attention weights; default 0. */
  dropout?: number;
}

/** Multi-head attention's parameters: the q, k, v and output projections. */
export interface AttentionParams {
  [name: string]: LinearParams;
  q: LinearParams;
  k: LinearParams;
  v: LinearParams;
  o: LinearParams;
}

/** Multi-head attention's inputs: query, key and value `[B, T, D]`, an optional key-padding mask, causal masking. */
export interface AttentionInputs {
  query: tf.Tensor; // [B, Tq, dim]
  key: tf.Tensor; // [B, Tk, kvDim]
  value: tf.Tensor; // [B, Tk, kvDim]
  /** [B, Tk], 1 where the key is real and 0 where it is padding. */
  keyMask?: tf.Tensor;
  /** Query i may only attend to keys j <= i + (Tk - Tq). */
  causal?: boolean;
}

/** Multi-head attention's output `[B, Tq, D]` and its attention weights `[B, H, Tq, Tk]`. */
export interface AttentionOutput {
  out: tf.Tensor; // [B, Tq, dim]
  weights: tf.Tensor; // [B, heads, Tq, Tk]
}

/**
 * Initial multi-head attention parameters.
 *
 * @param key - The random key (split into one per projection).
 * @param config - `dim`, `heads` and `kvDim` (the key/value width; `dim` by default).
 * @returns q, k, v, o linear maps (`[dim, dim]`, k and v `[dim, kvDim]`), Xavier-initialised.
 * @throws {@link TavtError} `BAD_CONFIG` when `dim` is not divisible by `heads`.
 */
export function initAttention(key: Key, config: AttentionConfig): AttentionParams {
  if (config.dim % config.heads !== 0) {
    throw new TavtError("BAD_CONFIG", `attention.init: dim ${config.dim} is not divisible by heads ${config.heads}`, {
      field: "heads",
    });
  }
  const kv = config.kvDim ?? config.dim;
  const k = splitNamed(key, ["q", "k", "v", "o"]);
  return {
    q: initLinear(k.q, { inDim: config.dim, outDim: config.dim }),
    k: initLinear(k.k, { inDim: kv, outDim: config.dim }),
    v: initLinear(k.v, { inDim: kv, outDim: config.dim }),
    o: initLinear(k.o, { inDim: config.dim, outDim: config.dim }),
  };
}

/**
 * The attention mask [B or 1, 1, Tq, Tk] as float 1 (attend) / 0 (masked), or null when nothing is masked.
 * Exported so decoders that cache keys can build the same mask.
 *
 * @param batch - B, the batch size.
 * @param tq - Tq, the number of queries.
 * @param tk - Tk, the number of keys.
 * @param keyMask - `[B, Tk]`, 1 for a real key and 0 for padding.
 * @param causal - Whether query i may only attend to keys j <= i + (Tk - Tq).
 * @returns The float mask `[B or 1, 1, Tq, Tk]` (the caller disposes it), or null when neither mask is asked for.
 * @throws {@link TavtError} `SHAPE_MISMATCH` when `keyMask` is not `[batch, tk]`.
 */
export function attentionMask(
  batch: number,
  tq: number,
  tk: number,
  keyMask?: tf.Tensor,
  causal?: boolean,
): tf.Tensor | null {
  if (!keyMask && !causal) return null;
  return tf.tidy(() => {
    let m: tf.Tensor = tf.ones([1, 1, tq, tk]);
    if (causal) {
      const off = tk - tq;
      const tri = new Float32Array(tq * tk);
      for (let i = 0; i < tq; i++) for (let j = 0; j < tk; j++) tri[i * tk + j] = j <= i + off ? 1 : 0;
      m = tf.tensor(tri, [1, 1, tq, tk]);
    }
    if (keyMask) {
      assertShape("attention.apply", "keyMask", keyMask, [batch, tk]);
      m = m.mul(keyMask.toFloat().reshape([batch, 1, 1, tk])); // [B, 1, Tq, Tk]
    }
    return m;
  });
}

/**
 * Multi-head scaled dot-product attention (Vaswani et al. 2017; TAVT eq. 14-15):
 * softmax(Q K^T / sqrt(d_head)) V per head, heads concatenated and projected by `o`.
 * Masked scores are set to the lowest finite float32, so a fully masked row gives uniform weights, never NaN.
 *
 * @param params - The projections from {@link initAttention}.
 * @param inputs - `query` `[B, Tq, dim]`, `key` and `value` `[B, Tk, kvDim]`, optional `keyMask` `[B, Tk]` and
 *   `causal`.
 * @param config - The same configuration the parameters were made with; `dropout` applies to the attention weights.
 * @param ctx - Training flag and dropout key (dropout is off without both).
 * @returns `out` `[B, Tq, dim]` and the attention weights `[B, heads, Tq, Tk]` (before dropout).
 * @throws {@link TavtError} `SHAPE_MISMATCH` for inputs of the wrong rank or width.
 */
export function applyAttention(
  params: AttentionParams,
  inputs: AttentionInputs,
  config: AttentionConfig,
  ctx: ApplyContext = {},
): AttentionOutput {
  const { query, key, value, keyMask, causal } = inputs;
  assertRank("attention.apply", "query", query, 3);
  assertRank("attention.apply", "key", key, 3);
  const [b, tq] = query.shape as [number, number, number];
  const tk = key.shape[1]!;
  const kv = config.kvDim ?? config.dim;
  assertShape("attention.apply", "query", query, [b, tq, config.dim]);
  assertShape("attention.apply", "key", key, [b, tk, kv]);
  assertShape("attention.apply", "value", value, [b, tk, kv]);
  const h = config.heads;
  const dh = config.dim / h;
  return tf.tidy(() => {
    const heads = (x: tf.Tensor, t: number) => x.reshape([b, t, h, dh]).transpose([0, 2, 1, 3]); // [B, H, T, Dh]
    const q = heads(applyLinear(params.q, query), tq);
    const k = heads(applyLinear(params.k, key), tk);
    const v = heads(applyLinear(params.v, value), tk);
    let scores = tf.matMul(q, k, false, true).mul(1 / Math.sqrt(dh)); // [B, H, Tq, Tk]
    const mask = attentionMask(b, tq, tk, keyMask, causal);
    if (mask) scores = scores.mul(mask).add(tf.scalar(1).sub(mask).mul(FLOAT32_LOWEST)); // masked -> lowest finite
    const weights = tf.softmax(scores, -1); // [B, H, Tq, Tk]
    const dropped = dropout(weights, config.dropout ?? 0, ctx.key ? { ...ctx, key: foldIn(ctx.key, "attn") } : ctx);
    const ctxv = tf.matMul(dropped, v); // [B, H, Tq, Dh]
    const merged = ctxv.transpose([0, 2, 1, 3]).reshape([b, tq, config.dim]); // [B, Tq, dim]
    return { out: applyLinear(params.o, merged), weights };
  });
}

/** Multi-head attention as an `{ init, apply }` pair. */
export const attention = { init: initAttention, apply: applyAttention };
