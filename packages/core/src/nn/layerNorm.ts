import { assertShape } from "../shape";
import { tf } from "../tf";

/** A layer norm's width and epsilon. */
export interface LayerNormConfig {
  dim: number;
  /** Default 1e-5, as torch.nn.LayerNorm. */
  eps?: number;
}

/** A layer norm's weight and bias. */
export interface LayerNormParams {
  [name: string]: tf.Tensor;
  weight: tf.Tensor1D;
  bias: tf.Tensor1D;
}

/**
 * Initial layer norm parameters: weight 1, bias 0.
 *
 * @param config - `dim`, the width normalised.
 * @returns `weight` (ones) and `bias` (zeros), both `[dim]`.
 */
export function initLayerNorm(config: LayerNormConfig): LayerNormParams {
  return { weight: tf.ones([config.dim]) as tf.Tensor1D, bias: tf.zeros([config.dim]) as tf.Tensor1D };
}

/**
 * Normalise over the last axis with biased variance, then scale and shift (torch.nn.LayerNorm).
 *
 * @param params - `weight` and `bias` `[dim]`.
 * @param x - The input `[..., dim]`.
 * @param eps - Added to the variance (1e-5 by default).
 * @returns The normalised tensor `[..., dim]`.
 * @throws `TavtError` `SHAPE_MISMATCH` when the last axis of `x` is not `dim`.
 */
export function applyLayerNorm(params: LayerNormParams, x: tf.Tensor, eps = 1e-5): tf.Tensor {
  return tf.tidy(() => {
    assertShape("layerNorm.apply", "x (last axis)", [x.shape[x.rank - 1]!], [params.weight.shape[0]]);
    const mean = x.mean(-1, true);
    const centred = x.sub(mean);
    const variance = centred.square().mean(-1, true);
    return centred.mul(variance.add(eps).rsqrt()).mul(params.weight).add(params.bias);
  });
}

/** The layer norm as an `{ init, apply }` pair. */
export const layerNorm = { init: initLayerNorm, apply: applyLayerNorm };
