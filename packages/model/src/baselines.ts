import { type ApplyContext, type Key, type ParamTree, rng, TavtError, tf } from "@tavt/core";
import {
  applyDecoder,
  beamSearch,
  captionCrossEntropy,
  type DecodedCaption,
  type DecoderConfig,
  type DecoderParams,
  greedySearch,
  initDecoder,
  shiftTokens,
} from "@tavt/decoder";
import type { CaptionBatch, LossFn, LossParts } from "./batch";
import type { Captioner, CaptionOptions, LossOptions } from "./captioner";
import { makeConfig, type TavtConfig } from "./config";
import { applyFrameEncoder, type FrameEncoderConfig, type FrameEncoderParams, initFrameEncoder } from "./visualEncoder";

/**
 * Two plain transformer captioners to compare TAVT with. They are NOT the paper's baselines (RecNet, SHAN, SBAT ...
 * have no public code); they are named for what they are:
 * - `vanillaTransformer`: a transformer encoder over the visual frames and a single-stream decoder.
 * - `concatAvTransformer`: the same, over per-frame concatenations [v_t, a_t] (early fusion; the visual and audio
 *   frames must be aligned, Tv = Ta; a batch without audio gets zeros in the audio half).
 * Both use the configuration's dim/heads/blocks/ffn/vocab and train on the plain caption cross-entropy.
 */
type BaselineKind = "vanillaTransformer" | "concatAvTransformer";

function encoderConfig(kind: BaselineKind, c: TavtConfig): FrameEncoderConfig {
  const inDim = kind === "vanillaTransformer" ? c.visualDim : c.visualDim + c.audioDim;
  return { inDim, dim: c.dim, heads: c.heads, blocks: c.encoderBlocks, ffn: c.ffn, dropout: c.dropout };
}

/**
 * The single-stream decoder configuration every baseline (and TAVT "w/o audio") uses.
 *
 * @param c - The TAVT configuration.
 * @returns A decoder configuration with `streams: "single"` and the configuration's sizes.
 */
export function singleStreamDecoderConfig(c: TavtConfig): DecoderConfig {
  return {
    vocab: c.vocab,
    dim: c.dim,
    heads: c.heads,
    blocks: c.decoderBlocks,
    ffn: c.ffn,
    maxLen: c.captionLen,
    dropout: c.dropout,
    streams: "single",
    tieEmbedding: c.tieEmbedding,
  };
}

/** The encoder input of a baseline: visual frames, or [visual, audio] per frame. */
function frames(kind: BaselineKind, batch: CaptionBatch, audioDim: number): tf.Tensor {
  if (kind === "vanillaTransformer") return batch.visual;
  const [b, tv] = batch.visual.shape;
  if (batch.audio && batch.audio.shape[1] !== tv) {
    throw new TavtError(
      "BAD_INPUT",
      `concatAvTransformer: batch audio has ${batch.audio.shape[1]} frames but visual has ${tv}; early fusion needs aligned frames`,
      { field: "audio", expected: tv, actual: batch.audio.shape[1] },
    );
  }
  return tf.tidy(() => {
    const audio = batch.audio
      ? batch.audioMask
        ? batch.audio.mul(batch.audioMask.expandDims(-1)) // padded audio frames are zero
        : batch.audio
      : tf.zeros([b, tv, audioDim]); // [B, T, da]
    return tf.concat([batch.visual, audio], -1); // [B, T, dv + da]
  });
}

function makeBaseline(kind: BaselineKind, config: TavtConfig): Captioner {
  const c = makeConfig(config);
  const enc = encoderConfig(kind, c);
  const dec = singleStreamDecoderConfig(c);
  const encode = (params: ParamTree, batch: CaptionBatch, ctx: ApplyContext) => {
    return tf.tidy(() => {
      const x = frames(kind, batch, c.audioDim); // [B, T, dv] or [B, T, dv + da]
      return applyFrameEncoder(params.encoder as FrameEncoderParams, x, batch.visualMask, enc, ctx); // [B, T, d]
    });
  };
  const lossParts = (params: ParamTree, batch: CaptionBatch, key: Key, options: LossOptions = {}): LossParts => {
    const training = options.training ?? true;
    const k = rng.splitNamed(key, ["encoder", "decoder"]);
    const cap = tf.tidy(() => {
      const memory = encode(params, batch, { training, key: k.encoder });
      const s = shiftTokens(batch.tokens);
      const out = applyDecoder(
        params.decoder as DecoderParams,
        { xAv: memory, xAvMask: batch.visualMask, tokens: s.input, tokenMask: s.inputMask },
        dec,
        { training, key: k.decoder },
      );
      return captionCrossEntropy(out.logits, s.target, s.targetMask);
    });
    const zero = () => tf.scalar(0);
    return { cap, rec: zero(), dis: zero(), dep: zero(), total: cap.clone() };
  };
  return {
    kind,
    config: c,
    frozenWhenAudioAbsent: [],
    init(key: Key): ParamTree {
      const k = rng.splitNamed(key, ["encoder", "decoder"]);
      return { encoder: initFrameEncoder(k.encoder, enc), decoder: initDecoder(k.decoder, dec) };
    },
    lossParts,
    lossFn(options: LossOptions = {}): LossFn<CaptionBatch> {
      return (params, batch, key) => {
        const p = lossParts(params, batch, key, options);
        for (const t of [p.cap, p.rec, p.dis, p.dep]) t.dispose();
        return p.total;
      };
    },
    caption(params: ParamTree, batch: CaptionBatch, options: CaptionOptions = {}): DecodedCaption[] {
      const memory = encode(params, batch, { training: false });
      try {
        const search = options.greedy ? greedySearch : beamSearch;
        return search(params.decoder as DecoderParams, { xAv: memory, xAvMask: batch.visualMask }, dec, options);
      } finally {
        memory.dispose();
      }
    },
  };
}

/**
 * A transformer encoder-decoder captioner on the visual frames only (a baseline; not one of the paper's).
 *
 * @param config - The configuration whose sizes the captioner takes (its AVMM and DCCL settings are unused).
 * @returns The captioner (`init`, `lossParts`, `lossFn`, `caption`), trained on the plain cross-entropy.
 * @throws `TavtError` (from `@tavt/core`) `BAD_CONFIG` for an invalid configuration.
 */
export function vanillaTransformer(config: TavtConfig): Captioner {
  return makeBaseline("vanillaTransformer", config);
}

/**
 * A transformer encoder-decoder captioner on per-frame [visual, audio] concatenations (a baseline; not one of the paper's).
 *
 * @param config - The configuration whose sizes the captioner takes (its AVMM and DCCL settings are unused).
 * @returns The captioner (`init`, `lossParts`, `lossFn`, `caption`); its loss throws `BAD_INPUT` for a batch whose
 *   audio and visual frame counts differ.
 * @throws `TavtError` (from `@tavt/core`) `BAD_CONFIG` for an invalid configuration.
 */
export function concatAvTransformer(config: TavtConfig): Captioner {
  return makeBaseline("concatAvTransformer", config);
}
