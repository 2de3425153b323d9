import { rng, tf } from "@tavt/core";
import { type DecoderConfig, type DecoderMemory, initDecoder } from "../src";

export const tinyConfig: DecoderConfig = { vocab: 11, dim: 8, heads: 2, blocks: 2, ffn: 16, maxLen: 8 };

/** Random memories x_av [B, 5, d] and x_va [B, 4, d] with the last x_av frame of video 0 masked. */
export function randomMemory(seed: number, b: number, dim = 8): DecoderMemory {
  const k = rng.splitNamed(rng.key(seed), ["av", "va"]);
  const avMask = new Float32Array(b * 5).fill(1);
  avMask[4] = 0;
  return {
    xAv: rng.normal(k.av, [b, 5, dim]),
    xAvMask: tf.tensor2d(avMask, [b, 5]),
    xVa: rng.normal(k.va, [b, 4, dim]),
    xVaMask: tf.ones([b, 4]),
  };
}

export function makeDecoder(seed: number, config: DecoderConfig = tinyConfig) {
  return initDecoder(rng.key(seed), config);
}
