import {
  type ApplyContext,
  applyEmbedding,
  applyLayerNorm,
  applyLinear,
  assertRank,
  assertShape,
  type EmbeddingParams,
  initEmbedding,
  initLayerNorm,
  initLinear,
  type Key,
  type LayerNormParams,
  type LinearParams,
  type ParamTree,
  rng,
  sinusoidalPositions,
  TavtError,
  tf,
} from "@tavt/core";
import {
  applyDecoderBlockPrefix,
  applyGatedDecoderBlock,
  type DecoderBlockPrefix,
  type DecoderMemory,
  type GatedDecoderBlockParams,
  initGatedDecoderBlock,
} from "./block";
import { type DecoderConfig, resolveDecoderConfig } from "./config";

/** Parameters of the decoder: token embedding, N blocks ("0", "1", ...), final layer norm, output projection. */
export interface DecoderParams {
  [name: string]: EmbeddingParams | LayerNormParams | LinearParams | ParamTree;
  embed: EmbeddingParams;
  blocks: Record<string, GatedDecoderBlockParams>;
  lnOut: LayerNormParams;
}

/** The decoder's inputs: the encoder memory and the input tokens with their mask. */
export interface DecoderInputs extends DecoderMemory {
  /** Decoder input ids [B, L] int32 (`<bos>` w1 .. wn, padded with `<pad>`). */
  tokens: tf.Tensor;
  /** [B, L], 1 for real tokens; default: every position real. */
  tokenMask?: tf.Tensor | null;
  /**
   * The first block's memory-free half from `applyDecoderPrefix` with these tokens, this mask and the same context
   * key. Passes that differ only in their memories share it instead of recomputing the embedding and the first
   * self-attention (the result is the same).
   */
  prefix?: DecoderBlockPrefix | null;
}

/** Per-block gate values (eq. 4), each [B, L, d]. */
export interface BlockGates {
  alphaAv: tf.Tensor;
  alphaVa: tf.Tensor;
}

/** Contract 3: logits [B, L, V] and the gates of the last block [B, L, d]; `blockGates` (all blocks) on request. */
export interface DecoderOutput {
  logits: tf.Tensor;
  alphaAv: tf.Tensor;
  alphaVa: tf.Tensor;
  blockGates?: BlockGates[];
}

/** Options of `applyDecoder`: every block's gates (`allBlocks`), or the last position only (`lastOnly`, as the searches use). */
export interface DecoderApplyOptions {
  /** Also return the gates of every block (`blockGates`, first block first). */
  allBlocks?: boolean;
  /** Project only the last position to the vocabulary (logits [B, 1, V], gates [B, 1, d]); used by the searches. */
  lastOnly?: boolean;
}

/**
 * Initial decoder parameters: embedding, gated blocks, output layer.
 *
 * @param key - The random key.
 * @param config - The decoder's sizes (defaults filled in by `resolveDecoderConfig`).
 * @returns The embedding `[V, d]`, the blocks ("0", "1", ...), the final layer norm, and the output layer `out`
 *   unless `tieEmbedding`.
 * @throws `TavtError` (from `@tavt/core`) `BAD_CONFIG` for an invalid configuration.
 */
export function initDecoder(key: Key, config: DecoderConfig): DecoderParams {
  const c = resolveDecoderConfig(config);
  const k = rng.splitNamed(key, ["embed", "blocks", "out"]);
  const blockKeys = rng.split(k.blocks, c.blocks);
  const blocks: Record<string, GatedDecoderBlockParams> = {};
  blockKeys.forEach((bk, i) => {
    blocks[String(i)] = initGatedDecoderBlock(bk, c);
  });
  const params: DecoderParams = {
    embed: initEmbedding(k.embed, { vocab: c.vocab, dim: c.dim }),
    blocks,
    lnOut: initLayerNorm({ dim: c.dim }),
  };
  if (!c.tieEmbedding) params.out = initLinear(k.out, { inDim: c.dim, outDim: c.vocab });
  return params;
}

/** embed(tokens) * sqrt(d) + sinusoidal positions: the first block's input [B, L, d]. */
function embedTokens(params: DecoderParams, tokens: tf.Tensor, dim: number): tf.Tensor {
  return tf.tidy(() => {
    const len = tokens.shape[1]!;
    const emb = applyEmbedding(params.embed, tokens).mul(Math.sqrt(dim)); // [B, L, d]
    return emb.add(sinusoidalPositions(len, dim).expandDims(0)); // [B, L, d]
  });
}

/**
 * The first block's memory-free half (embedding, positions, LN1, causal self-attention, LN2): x1 and Y [B, L, d].
 * Give it to `applyDecoder` / `applyDecoderGates` as `inputs.prefix` in passes with these tokens, this mask and the
 * same `ctx` (dropout keys) that differ only in their memories.
 *
 * @param params - The decoder's parameters.
 * @param inputs - `tokens` `[B, L]` int32 and an optional `tokenMask` `[B, L]`.
 * @param config - The configuration the parameters were made with.
 * @param ctx - Training flag and dropout key (the same as the passes that use the result).
 * @returns The first block's x1 and Y, each `[B, L, d]`.
 * @throws `TavtError` (from `@tavt/core`) `SHAPE_MISMATCH` for tokens that are not rank 2 or a mask of another
 *   shape, `BAD_CONFIG` for an invalid configuration.
 */
export function applyDecoderPrefix(
  params: DecoderParams,
  inputs: { tokens: tf.Tensor; tokenMask?: tf.Tensor | null },
  config: DecoderConfig,
  ctx: ApplyContext = {},
): DecoderBlockPrefix {
  const c = resolveDecoderConfig(config);
  assertRank("decoder.prefix", "tokens", inputs.tokens, 2);
  const [b, len] = inputs.tokens.shape as [number, number];
  if (inputs.tokenMask) assertShape("decoder.prefix", "tokenMask", inputs.tokenMask, [b, len]);
  if (c.blocks < 1) throw new TavtError("BAD_CONFIG", "decoder.prefix: the decoder has no blocks", { field: "blocks" });
  const sub = ctx.key ? { ...ctx, key: rng.foldIn(ctx.key, 0) } : ctx; // block 0's key, as applyDecoder folds it
  return tf.tidy(() =>
    applyDecoderBlockPrefix(
      params.blocks["0"]!,
      embedTokens(params, inputs.tokens, c.dim),
      inputs.tokenMask ?? null,
      c,
      sub,
    ),
  );
}

/**
 * The gated transformer decoder (eq. 4-5): embed(tokens) * sqrt(d) + sinusoidal positions, N pre-LN gated blocks,
 * a final layer norm, then the output projection to V logits (the transposed embedding when `tieEmbedding`).
 *
 * @param params - From {@link initDecoder}.
 * @param inputs - The memory (x_av, x_va and masks) and the input tokens with their mask.
 * @param config - The sizes the parameters were made with.
 * @param ctx - Training mode and dropout key.
 * @param options - `allBlocks` (every block's gates) and `lastOnly` (the last position only).
 * @returns Logits `[B, L, V]` and the gates alpha_av, alpha_va `[B, L, d]`.
 */
export function applyDecoder(
  params: DecoderParams,
  inputs: DecoderInputs,
  config: DecoderConfig,
  ctx: ApplyContext = {},
  options: DecoderApplyOptions = {},
): DecoderOutput {
  const c = resolveDecoderConfig(config);
  const { tokens, tokenMask } = inputs;
  assertRank("decoder.apply", "tokens", tokens, 2);
  const [b, len] = tokens.shape as [number, number];
  assertShape("decoder.apply", "xAv", inputs.xAv, [b, null, c.memoryDim]);
  if (inputs.xAvMask) assertShape("decoder.apply", "xAvMask", inputs.xAvMask, [b, inputs.xAv.shape[1]!]);
  if (tokenMask) assertShape("decoder.apply", "tokenMask", tokenMask, [b, len]);
  if (inputs.prefix) assertShape("decoder.apply", "prefix.y", inputs.prefix.y, [b, len, c.dim]);
  if (c.streams === "dual") {
    if (!inputs.xVa) {
      throw new TavtError("BAD_INPUT", "decoder.apply: xVa is required with streams 'dual' (x_va of eq. 17)", {
        field: "xVa",
      });
    }
    assertShape("decoder.apply", "xVa", inputs.xVa, [b, null, c.memoryDim]);
    if (inputs.xVaMask) assertShape("decoder.apply", "xVaMask", inputs.xVaMask, [b, inputs.xVa.shape[1]!]);
  }
  const blockCount = Object.keys(params.blocks).length;
  if (blockCount !== c.blocks) {
    throw new TavtError("BAD_INPUT", `decoder.apply: params have ${blockCount} blocks, config says ${c.blocks}`, {
      field: "blocks",
    });
  }
  const r = tf.tidy(() => {
    const pre = inputs.prefix ?? null;
    let x: tf.Tensor | null = pre ? null : embedTokens(params, tokens, c.dim); // [B, L, d]
    const gates: tf.Tensor[][] = [];
    for (let i = 0; i < c.blocks; i++) {
      const sub = ctx.key ? { ...ctx, key: rng.foldIn(ctx.key, i) } : ctx;
      const o = applyGatedDecoderBlock(params.blocks[String(i)]!, x, tokenMask ?? null, inputs, c, sub, {
        pre: i === 0 ? (pre ?? undefined) : undefined,
      });
      x = o.x;
      gates.push([o.alphaAv, o.alphaVa]);
    }
    const pick = (t: tf.Tensor) => (options.lastOnly ? t.slice([0, len - 1, 0], [b, 1, -1]) : t); // [B, 1 or L, *]
    const h = applyLayerNorm(params.lnOut, pick(x!)); // [B, L', d]
    const logits = c.tieEmbedding
      ? tf
          .matMul(h.reshape([-1, c.dim]), params.embed.weight, false, true)
          .reshape([b, -1, c.vocab]) // [B, L', V]
      : applyLinear(params.out as LinearParams, h); // [B, L', V]
    const kept = options.allBlocks ? gates : gates.slice(-1);
    return { logits, gates: kept.map((g) => g.map(pick)) };
  });
  const last = r.gates[r.gates.length - 1]!;
  const out: DecoderOutput = { logits: r.logits, alphaAv: last[0]!, alphaVa: last[1]! };
  if (options.allBlocks)
    out.blockGates = r.gates.map(([alphaAv, alphaVa]) => ({ alphaAv: alphaAv!, alphaVa: alphaVa! }));
  return out;
}

/**
 * Only the last block's gates alpha_av, alpha_va [B, L, d] of a teacher-forced pass, equal to `applyDecoder`'s (same
 * dropout keys): the last block stops after its gates, and no final layer norm or vocabulary projection is computed.
 * DCCL's (V, A+) and (V, A-) passes need nothing else (eq. 7), and the projection alone is 2 B L d V flops a pass.
 *
 * @param params - The decoder's parameters.
 * @param inputs - The memories, `tokens` `[B, L]`, an optional `tokenMask` and an optional `prefix`.
 * @param config - The configuration the parameters were made with.
 * @param ctx - Training flag and dropout key.
 * @returns The last block's alpha_av and alpha_va, each `[B, L, d]`.
 * @throws `TavtError` (from `@tavt/core`) `SHAPE_MISMATCH` for inputs that do not fit, `BAD_CONFIG` for an invalid
 *   configuration.
 */
export function applyDecoderGates(
  params: DecoderParams,
  inputs: DecoderInputs,
  config: DecoderConfig,
  ctx: ApplyContext = {},
): { alphaAv: tf.Tensor; alphaVa: tf.Tensor } {
  const c = resolveDecoderConfig(config);
  const { tokens, tokenMask } = inputs;
  assertRank("decoder.gates", "tokens", tokens, 2);
  const [b, len] = tokens.shape as [number, number];
  assertShape("decoder.gates", "xAv", inputs.xAv, [b, null, c.memoryDim]);
  if (inputs.prefix) assertShape("decoder.gates", "prefix.y", inputs.prefix.y, [b, len, c.dim]);
  return tf.tidy(() => {
    const pre = inputs.prefix ?? null;
    let x: tf.Tensor | null = pre ? null : embedTokens(params, tokens, c.dim); // [B, L, d]
    let gates: [tf.Tensor, tf.Tensor] | null = null;
    for (let i = 0; i < c.blocks; i++) {
      const sub = ctx.key ? { ...ctx, key: rng.foldIn(ctx.key, i) } : ctx;
      const last = i === c.blocks - 1;
      const o = applyGatedDecoderBlock(params.blocks[String(i)]!, x, tokenMask ?? null, inputs, c, sub, {
        gatesOnly: last,
        pre: i === 0 ? (pre ?? undefined) : undefined,
      });
      x = o.x;
      if (last) gates = [o.alphaAv, o.alphaVa];
    }
    if (!gates) throw new TavtError("BAD_CONFIG", "decoder.gates: the decoder has no blocks", { field: "blocks" });
    return { alphaAv: gates[0], alphaVa: gates[1] };
  });
}

/** The decoder as an `{ init, apply }` pair. */
export const decoder = { init: initDecoder, apply: applyDecoder };
