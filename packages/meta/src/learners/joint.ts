import { type FlatParams, rng, tf, unflatten } from "@tavt/core";
import { resolveMetaConfig } from "../config";
import { valueAndGradFlat } from "../gradients";
import { type MetaGradient, type MetaGradientContext, makeMetaLearner } from "../learner";
import { checkTasks, distinct, mean, readScalars } from "../tasks";
import type { MetaLearner, MetaLearnerConfig } from "../types";

/**
 * Plain multi-domain training (the paper's "w/o MAML" row, Table 5): the gradient at theta of the sum of the losses
 * of every distinct batch of the meta-batch (support and query; a batch that appears twice counts once). No inner
 * loop; task weights are not used.
 *
 * @param ctx - theta split into trainable and fixed leaves, the tasks, the loss and the key.
 * @returns The gradient of the summed losses, with their sum and the mean support and query losses.
 * @throws `TavtError` (from `@tavt/core`) `BAD_INPUT` for an empty meta-batch or a bad task weight.
 */
export function jointMetaGradient<B>(ctx: MetaGradientContext<B>): MetaGradient {
  const { trainable, fixed, tasks, loss, key } = ctx;
  checkTasks(tasks, 0, "joint");
  const support = new Set(tasks.flatMap((t) => t.support));
  const query = new Set(tasks.map((t) => t.query));
  const batches = distinct([...tasks.flatMap((t) => t.support), ...tasks.map((t) => t.query)]);
  const values: tf.Scalar[] = [];
  const grads: FlatParams = tf.tidy(() => {
    const r = valueAndGradFlat((theta) => {
      const params = unflatten({ ...fixed, ...theta });
      const losses = batches.map((b, i) => tf.keep(loss(params, b, rng.foldIn(key, i))));
      values.push(...losses);
      return tf.addN(losses) as tf.Scalar;
    }, trainable);
    return r.grads;
  });
  const v = readScalars(values);
  return {
    grads,
    loss: v.reduce((a, b) => a + b, 0),
    innerLoss: mean(v.filter((_, i) => support.has(batches[i]!))),
    queryLoss: mean(v.filter((_, i) => query.has(batches[i]!))),
  };
}

/**
 * `joint`: Adam (lr 1e-3) on the summed support and query losses at theta; `adapt` is the same SGD fine-tuning.
 *
 * @param config - The learner's settings.
 * @returns The learner, named "joint".
 * @throws `TavtError` (from `@tavt/core`) `BAD_CONFIG` for settings out of range.
 */
export function createJoint(config: MetaLearnerConfig = {}): MetaLearner {
  return makeMetaLearner("joint", resolveMetaConfig(config), (ctx) => jointMetaGradient(ctx));
}
