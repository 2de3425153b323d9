import { type FlatParams, flatten, type Key, type ParamTree, tf } from "@tavt/core";
import { mamlMetaGradient } from "./learners/maml";
import { partitionTree } from "./select";
import type { LossFn, ResolvedMetaConfig, Task } from "./types";

/** How much of MAML's meta-gradient the second-order (Hessian-vector) terms make up, for one meta-batch. */
export interface SecondOrderShare {
  /** |g2 - g1| / |g2|: the norm of the second-order terms over the norm of the exact meta-gradient. */
  share: number;
  /** cos(g1, g2): how well the first-order gradient points the exact one's way. */
  cosine: number;
  /** |g2|, the exact (second-order) meta-gradient's global norm. */
  secondNorm: number;
  /** |g1|, the first-order meta-gradient's global norm. */
  firstNorm: number;
}

/**
 * Measure the second-order part of MAML's meta-gradient on `tasks` at `params`: the exact meta-gradient g2
 * (`mamlMetaGradient` with order "second") against the first-order one g1 (FOMAML), on the same tasks and keys.
 * With one inner Adam step from zero moments the update is lr * g / (|g| + eps), nearly lr * sign(g), whose
 * derivative in theta is nearly 0: the share is then close to 0 and MAML is FOMAML in all but cost.
 *
 * @param params - theta.
 * @param tasks - A meta-batch.
 * @param loss - The loss.
 * @param config - The learner's resolved settings.
 * @param key - Randomness, shared by both gradients.
 * @returns |g2 - g1| / |g2|, cos(g1, g2) and both norms, g2 the exact meta-gradient and g1 the first-order one.
 */
export function secondOrderShare<B>(
  params: ParamTree,
  tasks: Task<B>[],
  loss: LossFn<B>,
  config: ResolvedMetaConfig,
  key: Key,
): SecondOrderShare {
  const { picked: trainable, rest: fixed } = partitionTree(params, (n) => !config.frozen(n));
  const ctx = { params, trainable, fixed, tasks, loss, config, key };
  const g2 = mamlMetaGradient(ctx, "second").grads;
  const g1 = mamlMetaGradient(ctx, "first").grads;
  try {
    const [d2, d1, dot, n2] = tf.tidy(() => {
      let diff = tf.scalar(0);
      let first = tf.scalar(0);
      let inner = tf.scalar(0);
      let second = tf.scalar(0);
      for (const name of Object.keys(g2)) {
        const a = g2[name]!;
        const b = g1[name]!;
        diff = diff.add(a.sub(b).square().sum());
        first = first.add(b.square().sum());
        inner = inner.add(a.mul(b).sum());
        second = second.add(a.square().sum());
      }
      return [diff, first, inner, second].map((t) => t.dataSync()[0]!);
    }) as number[];
    const secondNorm = Math.sqrt(n2!);
    const firstNorm = Math.sqrt(d1!);
    return {
      share: Math.sqrt(d2!) / secondNorm,
      cosine: dot! / (secondNorm * firstNorm),
      secondNorm,
      firstNorm,
    };
  } finally {
    for (const g of [g1, g2] as FlatParams[]) for (const t of Object.values(flatten(g))) t.dispose();
  }
}
