import {
  type ApplyContext,
  applyEncoderStack,
  applyLayerNorm,
  type EncoderStackParams,
  initEncoderStack,
  initLayerNorm,
  type Key,
  type LayerNormParams,
  rng,
  tf,
} from "@tavt/core";
import { applyCrossBlock, type CrossBlockParams, initCrossBlock } from "./crossBlock";

interface StackConfig {
  dim: number;
  heads: number;
  ffn: number;
  dropout: number;
}

/** SelfAtt of eq. 12-13: `blocks` pre-LN encoder blocks and a final layer norm (core's encoder stack). */
export type SelfStackParams = EncoderStackParams;

/** CrossAtt of eq. 16-17: `crossBlocks` cross-attention blocks and a final layer norm. */
export interface CrossStackParams {
  [name: string]: Record<string, CrossBlockParams> | LayerNormParams;
  blocks: Record<string, CrossBlockParams>;
  lnOut: LayerNormParams;
}

const sub = (ctx: ApplyContext, name: string | number): ApplyContext =>
  ctx.key ? { ...ctx, key: rng.foldIn(ctx.key, name) } : ctx;

/**
 * Initial parameters of a stack of `n` self-attention blocks.
 *
 * @param key - The random key.
 * @param n - The number of blocks.
 * @param config - `dim`, `heads`, `ffn` and `dropout`.
 * @returns The blocks ("0", "1", ...) and the final layer norm.
 */
export function initSelfStack(key: Key, n: number, config: StackConfig): SelfStackParams {
  return initEncoderStack(key, { ...config, blocks: n });
}

/**
 * Eq. 12-13: f' = LN(SelfAtt^N(f)). x [B, T, d], mask [B, T] -> [B, T, d].
 *
 * @param params - The parameters from `initSelfStack`.
 * @param x - The stream `[B, T, d]`.
 * @param mask - `[B, T]`, 1 for real positions.
 * @param config - `dim`, `heads`, `ffn` and `dropout`.
 * @param ctx - Training flag and dropout key (dropout is off without both).
 * @returns f' `[B, T, d]`.
 */
export function applySelfStack(
  params: SelfStackParams,
  x: tf.Tensor,
  mask: tf.Tensor,
  config: StackConfig,
  ctx: ApplyContext = {},
): tf.Tensor {
  return applyEncoderStack(params, x, config, mask, ctx); // [B, T, d]
}

/**
 * Initial parameters of a stack of `n` cross-attention blocks.
 *
 * @param key - The random key (split into one per block).
 * @param n - The number of cross-attention blocks.
 * @param config - `dim`, `heads`, `ffn` and `dropout`.
 * @returns The blocks ("0", "1", ...) and the final layer norm `lnOut`.
 */
export function initCrossStack(key: Key, n: number, config: StackConfig): CrossStackParams {
  const blocks: Record<string, CrossBlockParams> = {};
  (n > 0 ? rng.split(key, n) : []).forEach((k, i) => {
    blocks[String(i)] = initCrossBlock(k, config);
  });
  return { blocks, lnOut: initLayerNorm({ dim: config.dim }) };
}

/**
 * Eq. 16-17: x = LN(CrossAtt^n(f_i, f_j, f_j)): every block queries with the running stream-i state and attends to
 * the fixed f_j. query [B, Tq, d], memory [B, Tk, d], memoryMask [B, Tk] -> [B, Tq, d].
 *
 * @param params - The parameters from `initCrossStack`.
 * @param query - The stream f_i `[B, Tq, d]`.
 * @param memory - The stream f_j `[B, Tk, d]`.
 * @param memoryMask - `[B, Tk]`, 1 for real positions.
 * @param config - `dim`, `heads`, `ffn` and `dropout`.
 * @param ctx - Training flag and dropout key (dropout is off without both).
 * @returns x `[B, Tq, d]`.
 */
export function applyCrossStack(
  params: CrossStackParams,
  query: tf.Tensor,
  memory: tf.Tensor,
  memoryMask: tf.Tensor,
  config: StackConfig,
  ctx: ApplyContext = {},
): tf.Tensor {
  return tf.tidy(() => {
    let h = query;
    const n = Object.keys(params.blocks).length;
    for (let i = 0; i < n; i++) {
      h = applyCrossBlock(params.blocks[String(i)]!, h, memory, memoryMask, config, sub(ctx, i)); // [B, Tq, d]
    }
    return applyLayerNorm(params.lnOut, h); // [B, Tq, d]
  });
}
