import { type AvmmParams, applyAvmm } from "@tavt/avmm";
import { type ParamTree, rng, tf } from "@tavt/core";
import { applyDecoder, type DecoderOutput, type DecoderParams } from "@tavt/decoder";
import { applyEncoder, type EncoderParams } from "@tavt/encoder";
import { avmmConfigOf, type CaptionBatch, decoderConfigOf, encoderConfigOf, type TavtConfig } from "../src";

/** A random cluster bank M [K, da] for a configuration (the real one comes from @tavt/clusters). */
export function randomBank(config: TavtConfig, seed = 5): tf.Tensor2D {
  return rng.normal(rng.key(seed), [config.clusters, config.audioDim]) as tf.Tensor2D;
}

/**
 * The (V, A) pass composed in the test from the packages' public apply functions (AVMM eq. 1-2 -> encoder eq. 3,
 * 12-17 -> decoder eq. 4-5), teacher-forced on `tokens` [B, L] (mask: tokens != 0), dropout off: logits [B, L, V]
 * and the last block's gates [B, L, d]. Value checks of tavtLoss and captionBatch compare against it.
 */
export function teacherForced(
  params: ParamTree,
  batch: CaptionBatch,
  config: TavtConfig,
  bank: tf.Tensor2D,
  tokens: tf.Tensor2D,
): DecoderOutput {
  const a = applyAvmm(
    params.avmm as AvmmParams,
    { visual: batch.visual, visualMask: batch.visualMask, bank, audio: batch.audio, audioMask: batch.audioMask },
    avmmConfigOf(config),
  );
  const e = applyEncoder(
    params.encoder as EncoderParams,
    {
      visual: batch.visual,
      visualMask: batch.visualMask,
      prefix: a.prefix,
      prefixMask: a.prefixMask,
      audio: a.encoderAudio,
      audioMask: a.encoderAudioMask,
    },
    encoderConfigOf(config),
  );
  const tokenMask = tf.notEqual(tokens, 0).toFloat();
  return applyDecoder(
    params.decoder as DecoderParams,
    { xAv: e.xAv, xAvMask: e.avMask, xVa: e.xVa, xVaMask: e.vaMask, tokens, tokenMask },
    decoderConfigOf(config),
  );
}
