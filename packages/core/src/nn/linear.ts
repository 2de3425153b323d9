import type { Key } from "../rng";
import { split, uniform } from "../rng";
import { assertShape } from "../shape";
import { tf } from "../tf";

/** Static configuration of a linear layer. */
export interface LinearConfig {
  inDim: number;
  outDim: number;
  /** Default true. */
  bias?: boolean;
}

/** PyTorch layout, so checkpoints load into `torch.nn.Linear`: weight [out, in], bias [out]. */
export interface LinearParams {
  [name: string]: tf.Tensor;
  weight: tf.Tensor2D;
}

/**
 * Xavier/Glorot-uniform weight, zero bias.
 *
 * @param key - The random key.
 * @param config - `inDim`, `outDim` and `bias` (true by default).
 * @returns `weight` `[outDim, inDim]`, uniform in +-sqrt(6 / (inDim + outDim)), and `bias` `[outDim]` of zeros.
 */
export function initLinear(key: Key, config: LinearConfig): LinearParams {
  const [kw] = split(key, 1);
  const limit = Math.sqrt(6 / (config.inDim + config.outDim));
  const params: LinearParams = { weight: uniform(kw!, [config.outDim, config.inDim], -limit, limit) as tf.Tensor2D };
  if (config.bias !== false) params.bias = tf.zeros([config.outDim]);
  return params;
}

/**
 * y = x W^T + b over the last axis; x is [..., in], y is [..., out].
 *
 * @param params - `weight` `[out, in]` and an optional `bias` `[out]`.
 * @param x - The input `[..., in]`.
 * @returns The output `[..., out]`.
 * @throws `TavtError` `SHAPE_MISMATCH` when the last axis of `x` is not `in`.
 */
export function applyLinear(params: LinearParams, x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const [outDim, inDim] = params.weight.shape;
    assertShape("linear.apply", "x (last axis)", [x.shape[x.rank - 1]!], [inDim]);
    const lead = x.shape.slice(0, -1);
    const x2 = x.reshape([-1, inDim]); // [N, in]
    let y = tf.matMul(x2, params.weight, false, true); // [N, out]
    if (params.bias) y = y.add(params.bias);
    return y.reshape([...lead, outDim]); // [..., out]
  });
}

/** The linear map as an `{ init, apply }` pair. */
export const linear = { init: initLinear, apply: applyLinear };
