import { tf } from "./tf";
import { fromLeaves, leaves, type ParamTree, treeNames } from "./tree";

export interface ValueAndGrad {
  value: tf.Scalar;
  grads: ParamTree;
}

/**
 * The value of a scalar loss of a parameter tree and its gradient tree (same structure as `params`).
 * Differentiable itself, so calling it inside another `valueAndGrad` gives second-order gradients (MAML).
 */
export function valueAndGrad(loss: (params: ParamTree) => tf.Scalar, params: ParamTree): ValueAndGrad {
  const names = treeNames(params);
  const xs = leaves(params);
  const { value, grads } = tf.valueAndGrads((...ts: tf.Tensor[]) => loss(fromLeaves(names, ts)) as tf.Scalar)(xs);
  return { value: value as tf.Scalar, grads: fromLeaves(names, grads) };
}

/** The gradient tree only (the loss value is disposed). */
export function grad(loss: (params: ParamTree) => tf.Scalar, params: ParamTree): ParamTree {
  const { value, grads } = valueAndGrad(loss, params);
  value.dispose();
  return grads;
}
