import type { Key } from "../rng";
import { splitNamed } from "../rng";
import { tf } from "../tf";
import type { ApplyContext } from "./context";
import { dropout } from "./dropout";
import { applyLinear, initLinear, type LinearParams } from "./linear";

/** A feed-forward layer's sizes: width, inner width and dropout. */
export interface FeedForwardConfig {
  dim: number;
  hidden: number;
  /** Dropout after the activation; default 0. */
  dropout?: number;
}

/** A feed-forward layer's two linear maps. */
export interface FeedForwardParams {
  [name: string]: LinearParams;
  fc1: LinearParams;
  fc2: LinearParams;
}

/**
 * Initial feed-forward parameters.
 *
 * @param key - The random key.
 * @param config - `dim` and `hidden`, the inner width.
 * @returns fc1 (`dim` to `hidden`) and fc2 (`hidden` to `dim`), Xavier-initialised.
 */
export function initFeedForward(key: Key, config: FeedForwardConfig): FeedForwardParams {
  const k = splitNamed(key, ["fc1", "fc2"]);
  return {
    fc1: initLinear(k.fc1, { inDim: config.dim, outDim: config.hidden }),
    fc2: initLinear(k.fc2, { inDim: config.hidden, outDim: config.dim }),
  };
}

/**
 * fc2(dropout(relu(fc1(x)))): [..., dim] -> [..., dim].
 *
 * @param params - The parameters from `initFeedForward`.
 * @param x - The input `[..., dim]`.
 * @param config - The layer's configuration; `dropout` applies after the activation.
 * @param ctx - Training flag and dropout key (dropout is off without both).
 * @returns The output `[..., dim]`.
 */
export function applyFeedForward(
  params: FeedForwardParams,
  x: tf.Tensor,
  config: FeedForwardConfig,
  ctx: ApplyContext = {},
): tf.Tensor {
  return tf.tidy(() => {
    const h = tf.relu(applyLinear(params.fc1, x)); // [..., hidden]
    return applyLinear(params.fc2, dropout(h, config.dropout ?? 0, ctx)); // [..., dim]
  });
}

/** The feed-forward layer as an `{ init, apply }` pair. */
export const feedForward = { init: initFeedForward, apply: applyFeedForward };
