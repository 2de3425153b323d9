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
  type LinearParams,
  rng,
  TavtError,
  tf,
} from "@tavt/core";
import type { ResolvedDecoderConfig } from "./config";
import { applyModalityGate, fuseModalities, initModalityGate } from "./gate";

/**
 * One gated decoder block. `crossVa`, `gateAv` and `gateVa` exist only where the configuration uses them
 * ("dual" streams for `crossVa`; "gated" fusion of dual streams for the gates).
 */
export interface GatedDecoderBlockParams {
  [name: string]: AttentionParams | LayerNormParams | FeedForwardParams | LinearParams;
  ln1: LayerNormParams;
  selfAttn: AttentionParams;
  ln2: LayerNormParams;
  crossAv: AttentionParams;
  ln3: LayerNormParams;
  ffn: FeedForwardParams;
}

/** The memories a block attends to: x_av [B, Sav, m] and (dual streams) x_va [B, Sva, m], masks 1 = real. */
export interface DecoderMemory {
  xAv: tf.Tensor;
  xAvMask?: tf.Tensor | null;
  xVa?: tf.Tensor | null;
  xVaMask?: tf.Tensor | null;
}

/**
 * The half of a block before the cross-attention, which reads no memory: x1 = x + SelfAtt(LN1(x)) and Y = LN2(x1)
 * (eq. 4's Y), each [B, L, d]. Passes that differ only in their memories (DCCL's (V, A), (V, A+), (V, A-)) compute it
 * once for the first block and hand it to `applyGatedDecoderBlock` as `options.pre`.
 */
export type DecoderBlockPrefix = {
  x1: tf.Tensor;
  y: tf.Tensor;
};

/** A gated decoder block's output states and its gates alpha_av, alpha_va. */
export interface GatedDecoderBlockOutput {
  x: tf.Tensor; // [B, L, d]
  alphaAv: tf.Tensor; // [B, L, d]
  alphaVa: tf.Tensor; // [B, L, d]
}

/**
 * Initial gated decoder block parameters.
 *
 * @param key - The random key.
 * @param config - The resolved decoder configuration (`streams` and `fusion` decide which parameters exist).
 * @returns The block's layer norms, self-attention, `crossAv`, feed-forward, and `crossVa`, `gateAv`, `gateVa` where
 *   the configuration uses them.
 */
export function initGatedDecoderBlock(key: Key, config: ResolvedDecoderConfig): GatedDecoderBlockParams {
  const k = rng.splitNamed(key, ["selfAttn", "crossAv", "crossVa", "gateAv", "gateVa", "ffn"]);
  const { dim, heads, memoryDim } = config;
  const params: GatedDecoderBlockParams = {
    ln1: initLayerNorm({ dim }),
    selfAttn: initAttention(k.selfAttn, { dim, heads }),
    ln2: initLayerNorm({ dim }),
    crossAv: initAttention(k.crossAv, { dim, heads, kvDim: memoryDim }),
    ln3: initLayerNorm({ dim }),
    ffn: initFeedForward(k.ffn, { dim, hidden: config.ffn }),
  };
  if (config.streams === "dual") {
    params.crossVa = initAttention(k.crossVa, { dim, heads, kvDim: memoryDim });
    if (config.fusion === "gated") {
      params.gateAv = initModalityGate(k.gateAv, dim);
      params.gateVa = initModalityGate(k.gateVa, dim);
    }
  }
  return params;
}

/**
 * Pre-LN gated decoder block (eq. 4-5):
 *   x1 = x + SelfAtt(LN1(x)) (causal);  Y = LN2(x1);
 *   x2 = x1 + alpha_av * MHA(Y, x_av, x_av) + alpha_va * MHA(Y, x_va, x_va);
 *   out = x2 + FFN(LN3(x2)).
 * Y (the normalised state of the previous words) is both the cross-attention query and the gate input of eq. 4.
 * With "sum" fusion both gates are 1; with "single" streams alpha_av is 1 and alpha_va is 0 (no x_va).
 * `gatesOnly` stops after the gates: `x` is then x2, before the feed-forward (whose result nothing would use).
 * `pre` is this block's `applyDecoderBlockPrefix` (same x, mask and key), computed once for passes that share it;
 * x may then be null.
 */
/**
 * x1 and Y of one block (see `DecoderBlockPrefix`).
 *
 * @param params - The block's parameters.
 * @param x - The block's input `[B, L, d]`.
 * @param tokenMask - `[B, L]`, 1 for real tokens; null for none masked.
 * @param config - The resolved decoder configuration.
 * @param ctx - Training flag and dropout key (dropout is off without both).
 * @returns x1 and Y, each `[B, L, d]`.
 */
export function applyDecoderBlockPrefix(
  params: GatedDecoderBlockParams,
  x: tf.Tensor,
  tokenMask: tf.Tensor | null,
  config: ResolvedDecoderConfig,
  ctx: ApplyContext = {},
): DecoderBlockPrefix {
  const rate = config.dropout;
  const { dim, heads } = config;
  const sub = (name: string): ApplyContext => (ctx.key ? { ...ctx, key: rng.foldIn(ctx.key, name) } : ctx);
  return tf.tidy(() => {
    const h1 = applyLayerNorm(params.ln1, x);
    const s = applyAttention(
      params.selfAttn,
      { query: h1, key: h1, value: h1, keyMask: tokenMask ?? undefined, causal: true },
      { dim, heads, dropout: rate },
      sub("selfAttn"),
    ).out; // [B, L, d]
    const x1 = x.add(dropout(s, rate, sub("drop1"))); // [B, L, d]
    const y = applyLayerNorm(params.ln2, x1); // Y of eq. 4, [B, L, d]
    return { x1, y };
  });
}

/**
 * One gated decoder block (eq. 4-5): self-attention, attention to x_av and x_va mixed by the gates, feed-forward.
 *
 * @param params - The block's parameters.
 * @param x - The block's input `[B, L, d]`; may be null when `options.pre` is given.
 * @param tokenMask - `[B, L]`, 1 for real tokens; null for none masked.
 * @param memory - x_av `[B, Sav, m]` and (dual streams) x_va `[B, Sva, m]` with their masks.
 * @param config - The resolved decoder configuration.
 * @param ctx - Training flag and dropout key (dropout is off without both).
 * @param options - `gatesOnly`: stop after the gates; `pre`: this block's `applyDecoderBlockPrefix`, computed once.
 * @returns The output states `[B, L, d]` (x2 with `gatesOnly`) and the gates alpha_av, alpha_va `[B, L, d]`.
 * @throws `TavtError` (from `@tavt/core`) `BAD_INPUT` when neither `x` nor `options.pre` is given.
 */
export function applyGatedDecoderBlock(
  params: GatedDecoderBlockParams,
  x: tf.Tensor | null,
  tokenMask: tf.Tensor | null,
  memory: DecoderMemory,
  config: ResolvedDecoderConfig,
  ctx: ApplyContext = {},
  options: { gatesOnly?: boolean; pre?: DecoderBlockPrefix } = {},
): GatedDecoderBlockOutput {
  const rate = config.dropout;
  const { dim, heads, memoryDim } = config;
  const sub = (name: string): ApplyContext => (ctx.key ? { ...ctx, key: rng.foldIn(ctx.key, name) } : ctx);
  return tf.tidy(() => {
    const pre = options.pre ?? (x ? applyDecoderBlockPrefix(params, x, tokenMask, config, ctx) : null);
    if (!pre) {
      throw new TavtError("BAD_INPUT", "decoder block: give the block input x or its prefix (options.pre)", {
        field: "x",
      });
    }
    const { x1, y } = pre; // x1 = x + SelfAtt(LN1(x)), Y = LN2(x1) [B, L, d]
    const attAv = applyAttention(
      params.crossAv,
      { query: y, key: memory.xAv, value: memory.xAv, keyMask: memory.xAvMask ?? undefined },
      { dim, heads, kvDim: memoryDim, dropout: rate },
      sub("crossAv"),
    ).out; // MHA(Y, x_av, x_av) [B, L, d]
    let fused: tf.Tensor;
    let alphaAv: tf.Tensor;
    let alphaVa: tf.Tensor;
    if (config.streams === "single") {
      fused = attAv;
      alphaAv = tf.onesLike(attAv);
      alphaVa = tf.zerosLike(attAv);
    } else {
      const xVa = memory.xVa!;
      const attVa = applyAttention(
        params.crossVa as AttentionParams,
        { query: y, key: xVa, value: xVa, keyMask: memory.xVaMask ?? undefined },
        { dim, heads, kvDim: memoryDim, dropout: rate },
        sub("crossVa"),
      ).out; // MHA(Y, x_va, x_va) [B, L, d]
      if (config.fusion === "gated") {
        alphaAv = applyModalityGate(params.gateAv as LinearParams, y, attAv); // eq. 4, [B, L, d]
        alphaVa = applyModalityGate(params.gateVa as LinearParams, y, attVa); // eq. 4, [B, L, d]
      } else {
        alphaAv = tf.onesLike(attAv);
        alphaVa = tf.onesLike(attVa);
      }
      fused = fuseModalities(alphaAv, attAv, alphaVa, attVa); // eq. 5, [B, L, d]
    }
    const x2 = x1.add(dropout(fused, rate, sub("drop2"))); // [B, L, d]
    if (options.gatesOnly) return { x: x2, alphaAv, alphaVa }; // the caller needs only the gates: no FFN
    const f = applyFeedForward(
      params.ffn,
      applyLayerNorm(params.ln3, x2),
      { dim, hidden: config.ffn, dropout: rate },
      sub("ffn"),
    );
    return { x: x2.add(dropout(f, rate, sub("drop3"))), alphaAv, alphaVa }; // [B, L, d] each
  });
}
