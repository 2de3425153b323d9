import type { Key } from "../rng";
import { normal } from "../rng";
import { tf } from "../tf";

/** An embedding table's size: vocabulary and width. */
export interface EmbeddingConfig {
  vocab: number;
  dim: number;
  /** Standard deviation of the initial weights; default 0.02. */
  initStd?: number;
}

/** An embedding table `[vocab, dim]`. */
export interface EmbeddingParams {
  [name: string]: tf.Tensor;
  weight: tf.Tensor2D;
}

/**
 * An initial embedding table.
 *
 * @param key - The random key.
 * @param config - `vocab`, `dim` and `initStd` (0.02 by default).
 * @returns `weight` `[vocab, dim]`, normal with mean 0 and standard deviation `initStd`.
 */
export function initEmbedding(key: Key, config: EmbeddingConfig): EmbeddingParams {
  return { weight: normal(key, [config.vocab, config.dim], 0, config.initStd ?? 0.02) as tf.Tensor2D };
}

/**
 * ids [...] (int32) -> vectors [..., dim].
 *
 * @param params - The table `[vocab, dim]`.
 * @param ids - Token ids of any shape `[...]` (cast to int32).
 * @returns The rows of the table, `[..., dim]`.
 */
export function applyEmbedding(params: EmbeddingParams, ids: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const dim = params.weight.shape[1];
    const flat = ids.reshape([-1]).toInt(); // [N]
    return tf.gather(params.weight, flat).reshape([...ids.shape, dim]); // [..., dim]
  });
}

/** The embedding as an `{ init, apply }` pair. */
export const embedding = { init: initEmbedding, apply: applyEmbedding };
