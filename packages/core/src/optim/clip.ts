import { tf } from "../tf";
import { leaves, mapTree, type ParamTree } from "../tree";

/**
 * The global L2 norm of all gradients.
 *
 * @param grads - A gradient tree.
 * @returns sqrt of the sum of the squares of every element of every leaf.
 */
export function globalNorm(grads: ParamTree): number {
  const sq = tf.tidy(() => tf.addN(leaves(grads).map((g) => g.square().sum())));
  const n = Math.sqrt(sq.dataSync()[0]!);
  sq.dispose();
  return n;
}

/**
 * Scale all gradients by min(1, maxNorm / (norm + 1e-6)) as torch.nn.utils.clip_grad_norm_ does.
 * Returns new tensors and the norm before clipping.
 *
 * @param grads - A gradient tree (not disposed).
 * @param maxNorm - The largest global norm to allow.
 * @returns `grads`: new tensors, scaled when the norm exceeds `maxNorm` (the caller disposes them); `norm`: the global
 *   norm before clipping.
 */
export function clipByGlobalNorm(grads: ParamTree, maxNorm: number): { grads: ParamTree; norm: number } {
  const norm = globalNorm(grads);
  const coef = Math.min(1, maxNorm / (norm + 1e-6));
  return { grads: mapTree(grads, (g) => (coef < 1 ? g.mul(coef) : g.clone())), norm };
}
