import { tf } from "../tf";
import { type ParamTree, zipTrees } from "../tree";

/**
 * theta' = theta - lr * g: one plain gradient step (differentiable; MAML's inner update). Returns new tensors.
 *
 * @param params - theta.
 * @param grads - g, a tree of the same names.
 * @param lr - The step size.
 * @returns theta', new tensors.
 */
export function sgdStep(params: ParamTree, grads: ParamTree, lr: number): ParamTree {
  return zipTrees(params, grads, (p, g) => tf.tidy(() => p.sub(g.mul(lr))));
}
