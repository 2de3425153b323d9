// The custom learner of docs/guides/custom-meta-learner.md, verbatim (the registry test registers and trains it).
import { rng, tf, unflatten } from "@tavt/core";
import { type MetaGradientFn, makeMetaLearner, registerMetaLearner, resolveMetaConfig, valueAndGradFlat } from "../src";

/** "query-only": Adam on the mean query loss at theta, ignoring the support sets (a no-adaptation baseline). */
const queryOnly: MetaGradientFn = ({ trainable, fixed, tasks, loss, key }) => {
  const { value, grads } = valueAndGradFlat((theta) => {
    const params = unflatten({ ...fixed, ...theta });
    const losses = tasks.map((task, i) => loss(params, task.query, rng.foldIn(key, i)));
    return tf.addN(losses).div(tasks.length) as tf.Scalar;
  }, trainable);
  const queryLoss = value.dataSync()[0]!;
  value.dispose();
  return { grads, loss: queryLoss, innerLoss: Number.NaN, queryLoss };
};

export function registerQueryOnly(): void {
  registerMetaLearner("query-only", (config) => makeMetaLearner("query-only", resolveMetaConfig(config), queryOnly));
}
