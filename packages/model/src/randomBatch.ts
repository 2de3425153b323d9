import { type Key, rng, tf } from "@tavt/core";
import type { CaptionBatch } from "./batch";
import type { TavtConfig } from "./config";

/** Options of `randomBatch`: the batch size and whether it has audio. */
export interface RandomBatchOptions {
  /** Videos in the batch; default `config.batch`. */
  batch?: number;
  /** Give the batch no audio (audio and audioMask null); default false. */
  audioAbsent?: boolean;
}

/**
 * A batch of random inputs with the configuration's sizes (normal features, full masks, captions of random
 * length with random word ids): for speed benchmarks and smoke tests, not for learning anything.
 *
 * @param key - The random key.
 * @param config - The configuration whose sizes the batch takes.
 * @param options - `batch` (the configuration's by default) and `audioAbsent`.
 * @returns The batch; the caller disposes it with `disposeBatch`.
 */
export function randomBatch(key: Key, config: TavtConfig, options: RandomBatchOptions = {}): CaptionBatch {
  const b = options.batch ?? config.batch;
  const k = rng.splitNamed(key, ["visual", "audio", "lengths", "words"]);
  const len = config.captionLen;
  const lengths = rng.randint(k.lengths, b, len - 2); // words per caption: 1 .. len - 2
  const words = rng.randint(k.words, b * len, config.vocab - 4);
  const ids = new Int32Array(b * len);
  for (let i = 0; i < b; i++) {
    const n = lengths[i]! + 1;
    ids[i * len] = 1;
    for (let j = 1; j <= n; j++) ids[i * len + j] = 4 + words[i * len + j]!;
    ids[i * len + n + 1] = 2;
  }
  const audio = options.audioAbsent
    ? null
    : (rng.normal(k.audio, [b, config.audioFrames, config.audioDim]) as tf.Tensor3D);
  return {
    ids: Array.from({ length: b }, (_, i) => `random${i}`),
    domains: Array.from({ length: b }, () => "random"),
    visual: rng.normal(k.visual, [b, config.frames, config.visualDim]) as tf.Tensor3D,
    visualMask: tf.ones([b, config.frames]) as tf.Tensor2D,
    audio,
    audioMask: audio ? (tf.ones([b, config.audioFrames]) as tf.Tensor2D) : null,
    tokens: tf.tensor2d(ids, [b, len], "int32"),
    references: Array.from({ length: b }, () => []),
  };
}

/**
 * Dispose the tensors of a batch.
 *
 * @param batch - The batch whose visual, audio, masks and tokens are disposed.
 */
export function disposeBatch(batch: CaptionBatch): void {
  for (const t of [batch.visual, batch.visualMask, batch.audio, batch.audioMask, batch.tokens]) t?.dispose();
}

/**
 * A random cluster bank M [K, da] of a configuration's sizes (benchmarks; the real one comes from @tavt/clusters).
 *
 * @param key - The random key.
 * @param config - The configuration (`clusters` and `audioDim`).
 * @returns M `[clusters, audioDim]` of standard normal values.
 */
export function randomBank(key: Key, config: TavtConfig): tf.Tensor2D {
  return rng.normal(key, [config.clusters, config.audioDim]) as tf.Tensor2D;
}
