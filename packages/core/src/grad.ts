import { leanGradients } from "./backprop";
import { TavtError } from "./errors";
import { tf } from "./tf";
import { fromLeaves, leaves, type ParamTree, treeNames } from "./tree";

/** A loss value and its gradient tree. */
export interface ValueAndGrad {
  value: tf.Scalar;
  grads: ParamTree;
}

/**
 * The value of a scalar loss of a parameter tree and its gradient tree (same structure as `params`).
 * Differentiable itself, so calling it inside another `valueAndGrad` gives second-order gradients (MAML).
 * Back-propagation is `leanGradients`: tfjs' gradients, with each intermediate gradient freed as soon as it is used.
 * Every leaf must reach the loss.
 *
 * @param loss - A scalar function of the tree.
 * @param params - The tree to differentiate with respect to.
 * @returns The loss value and a gradient tree of the same structure (new tensors, which the caller disposes).
 * @example
 * ```ts
 * const { value, grads } = valueAndGrad((p) => p.w.square().sum(), { w: tf.tensor1d([1, 2]) });
 * // value 5, grads.w [2, 4]
 * ```
 */
export function valueAndGrad(loss: (params: ParamTree) => tf.Scalar, params: ParamTree): ValueAndGrad {
  const names = treeNames(params);
  const xs = leaves(params);
  const { value, grads } = leanGradients(() => {
    const y = loss(fromLeaves(names, xs));
    if (y.rank !== 0) {
      throw new TavtError(
        "SHAPE_MISMATCH",
        `valueAndGrad: the loss must be a scalar, got shape [${y.shape.join(", ")}]`,
      );
    }
    return y;
  }, xs);
  const unreached = names.filter((_, i) => grads[i] === null);
  if (unreached.length > 0) {
    tf.dispose([value, ...grads.filter((g): g is tf.Tensor => g !== null)]);
    throw new TavtError(
      "BAD_INPUT",
      `valueAndGrad: the loss does not depend on ${unreached.join(", ")} (every parameter must reach the loss)`,
      { unreached },
    );
  }
  return { value, grads: fromLeaves(names, grads as tf.Tensor[]) };
}

/**
 * The gradient tree only (the loss value is disposed).
 *
 * @param loss - Maps the parameter tree to a scalar loss.
 * @param params - The tree to differentiate with respect to.
 * @returns The gradients as a tree of the same structure (the caller disposes them).
 * @throws {@link TavtError} `BAD_INPUT` when the loss does not depend on every parameter, as `valueAndGrad`.
 */
export function grad(loss: (params: ParamTree) => tf.Scalar, params: ParamTree): ParamTree {
  const { value, grads } = valueAndGrad(loss, params);
  value.dispose();
  return grads;
}
