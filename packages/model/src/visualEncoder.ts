import {
  type ApplyContext,
  applyEncoderBlock,
  applyLayerNorm,
  applyLinear,
  dropout,
  type EncoderBlockParams,
  initEncoderBlock,
  initLayerNorm,
  initLinear,
  type Key,
  type LayerNormParams,
  type LinearParams,
  rng,
  sinusoidalPositions,
  tf,
} from "@tavt/core";

/** A plain transformer encoder over one frame sequence: the baselines' encoder. */
export interface FrameEncoderParams {
  [name: string]: LinearParams | LayerNormParams | Record<string, EncoderBlockParams>;
  proj: LinearParams;
  blocks: Record<string, EncoderBlockParams>;
  lnOut: LayerNormParams;
}

export interface FrameEncoderConfig {
  inDim: number;
  dim: number;
  heads: number;
  blocks: number;
  ffn: number;
  dropout: number;
}

export function initFrameEncoder(key: Key, config: FrameEncoderConfig): FrameEncoderParams {
  const k = rng.splitNamed(key, ["proj", "blocks"]);
  const blocks: Record<string, EncoderBlockParams> = {};
  rng.split(k.blocks, config.blocks).forEach((bk, i) => {
    blocks[String(i)] = initEncoderBlock(bk, { dim: config.dim, heads: config.heads, ffn: config.ffn });
  });
  return {
    proj: initLinear(k.proj, { inDim: config.inDim, outDim: config.dim }),
    blocks,
    lnOut: initLayerNorm({ dim: config.dim }),
  };
}

/** frames [B, T, in] -> LN(blocks(W frames + positions)) [B, T, d]; mask [B, T] 1 = real. */
export function applyFrameEncoder(
  params: FrameEncoderParams,
  frames: tf.Tensor,
  mask: tf.Tensor,
  config: FrameEncoderConfig,
  ctx: ApplyContext = {},
): tf.Tensor {
  const sub = (name: string | number): ApplyContext => (ctx.key ? { ...ctx, key: rng.foldIn(ctx.key, name) } : ctx);
  return tf.tidy(() => {
    const t = frames.shape[1]!;
    let x = applyLinear(params.proj, frames).add(sinusoidalPositions(t, config.dim).expandDims(0)); // [B, T, d]
    x = dropout(x, config.dropout, sub("in"));
    for (let i = 0; i < config.blocks; i++) {
      const cfg = { dim: config.dim, heads: config.heads, ffn: config.ffn, dropout: config.dropout };
      x = applyEncoderBlock(params.blocks[String(i)]!, x, cfg, mask, sub(i)); // [B, T, d]
    }
    return applyLayerNorm(params.lnOut, x); // [B, T, d]
  });
}
