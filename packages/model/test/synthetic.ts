import { rng, tf } from "@tavt/core";
import type { CaptionBatch, TavtConfig } from "../src";

/**
 * 8 synthetic captioned videos for overfitting: random visual and audio features per video and a distinct caption
 * per video (3 to 5 words from the tiny vocabulary, no repeats across videos).
 */
export function eightSamples(config: TavtConfig, seed = 0): { batch: CaptionBatch; captions: number[][] } {
  const b = 8;
  const k = rng.splitNamed(rng.key(seed), ["visual", "audio", "words"]);
  const captions: number[][] = [];
  const words = rng.randint(k.words, b * 5, config.vocab - 4);
  for (let i = 0; i < b; i++) {
    const n = 3 + (i % 3);
    captions.push(Array.from({ length: n }, (_, j) => 4 + ((words[i * 5 + j]! + i) % (config.vocab - 4))));
  }
  const len = config.captionLen;
  const ids = new Int32Array(b * len);
  captions.forEach((c, i) => {
    ids[i * len] = 1;
    c.forEach((w, j) => {
      ids[i * len + 1 + j] = w;
    });
    ids[i * len + 1 + c.length] = 2;
  });
  const batch: CaptionBatch = {
    ids: captions.map((_, i) => `v${i}`),
    domains: captions.map(() => "synthetic"),
    visual: rng.normal(k.visual, [b, config.frames, config.visualDim]) as tf.Tensor3D,
    visualMask: tf.ones([b, config.frames]) as tf.Tensor2D,
    audio: rng.normal(k.audio, [b, config.audioFrames, config.audioDim]) as tf.Tensor3D,
    audioMask: tf.ones([b, config.audioFrames]) as tf.Tensor2D,
    tokens: tf.tensor2d(ids, [b, len], "int32"),
    references: captions.map((c) => [c.join(" ")]),
  };
  return { batch, captions };
}
