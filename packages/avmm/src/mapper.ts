import {
  type ApplyContext,
  applyEncoderBlock,
  applyLayerNorm,
  applyLinear,
  assertShape,
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
import type { ResolvedAvmmConfig } from "./config";

/** The mapper SA of eq. 1: input projection dv -> d, `blocks` pre-LN self-attention blocks, a final layer norm. */
export interface MapperParams {
  [name: string]: LinearParams | LayerNormParams | Record<string, EncoderBlockParams>;
  proj: LinearParams;
  blocks: Record<string, EncoderBlockParams>;
  lnOut: LayerNormParams;
}

export function initMapper(key: Key, config: ResolvedAvmmConfig): MapperParams {
  const k = rng.splitNamed(key, ["proj", "blocks"]);
  const blocks: Record<string, EncoderBlockParams> = {};
  const keys = config.blocks > 0 ? rng.split(k.blocks, config.blocks) : [];
  keys.forEach((bk, i) => {
    blocks[String(i)] = initEncoderBlock(bk, { dim: config.dim, heads: config.heads, ffn: config.ffn });
  });
  return {
    proj: initLinear(k.proj, { inDim: config.visualDim, outDim: config.dim }),
    blocks,
    lnOut: initLayerNorm({ dim: config.dim }),
  };
}

/**
 * Eq. 1: p_i = SA(c_i). clips [B, l, dv], clipMask [B, l] -> prefix p [B, l, d]:
 * p = LN(blocks(W c + PE)), the sinusoidal positions PE giving the clips their temporal order; masked clips are
 * never attended to.
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
  const sub = (name: string | number): ApplyContext => (ctx.key ? { ...ctx, key: rng.foldIn(ctx.key, name) } : ctx);
  return tf.tidy(() => {
    let x = applyLinear(params.proj, clips).add(sinusoidalPositions(l, config.dim).expandDims(0)); // [B, l, d]
    x = dropout(x, config.dropout, sub("in"));
    const cfg = { dim: config.dim, heads: config.heads, ffn: config.ffn, dropout: config.dropout };
    for (let i = 0; i < config.blocks; i++) {
      x = applyEncoderBlock(params.blocks[String(i)]!, x, cfg, clipMask, sub(i)); // [B, l, d]
    }
    return applyLayerNorm(params.lnOut, x) as tf.Tensor3D; // [B, l, d]
  });
}
