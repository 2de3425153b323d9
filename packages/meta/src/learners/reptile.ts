import { type FlatParams, rng, tf, unflatten } from "@tavt/core";
import { resolveMetaConfig } from "../config";
import { disposeAdapted, innerLoop } from "../inner";
import { type MetaGradient, type MetaGradientContext, makeMetaLearner } from "../learner";
import { requireSome } from "../select";
import { accumulate, checkTasks, distinct, mean, readScalars } from "../tasks";
import type { MetaLearner, MetaLearnerConfig } from "../types";

/**
 * The Reptile direction (Nichol et al. 2018): per task, `innerSteps` SGD steps over the task's distinct batches
 * (support, then query, cycled) give theta'_t; the "gradient" handed to the outer Adam is
 * sum_t (w_t / sum w) (theta - theta'_t) / alpha (for one step this is the plain gradient).
 * The reported loss is the weighted mean query loss at theta'_t.
 *
 * @param ctx - theta split into trainable and fixed leaves, the tasks, the loss, the settings and the key.
 * @returns The Reptile direction, the weighted mean query loss, and the mean inner and query losses.
 * @throws `TavtError` (from `@tavt/core`) `BAD_INPUT` for an empty meta-batch, a task without support batches or a
 *   bad weight; `BAD_CONFIG` when `innerParams` selects no trainable parameter.
 */
export function reptileMetaGradient<B>(ctx: MetaGradientContext<B>): MetaGradient {
  const { trainable, fixed, tasks, loss, config, key } = ctx;
  checkTasks(tasks, config.innerSteps, "reptile");
  const adapt = (n: string) => config.innerParams(n) && !config.frozen(n);
  if (config.innerSteps > 0) {
    requireSome(Object.keys(trainable).filter(adapt), "innerParams", Object.keys(trainable));
  }
  const totalWeight = tasks.reduce((s, t) => s + (t.weight ?? 1), 0) || 1;
  const scale = config.innerLr > 0 ? 1 / config.innerLr : 1;
  const given = { ...fixed, ...trainable };
  let acc: FlatParams | null = null;
  const innerValues: tf.Scalar[] = [];
  const queryValues: tf.Scalar[] = [];
  for (const [t, task] of tasks.entries()) {
    const w = (task.weight ?? 1) / totalWeight;
    const k = rng.splitNamed(rng.foldIn(key, t), ["inner", "query"]);
    const batches = distinct([...task.support, task.query]);
    const inner = {
      steps: config.innerSteps,
      lr: config.innerLr,
      optimizer: config.innerOptimizer,
      adam: config.innerAdam,
      adapt,
      differentiable: false,
    };
    const res = innerLoop(given, batches, loss, inner, k.inner);
    if (res.firstLoss) innerValues.push(res.firstLoss);
    const delta = tf.tidy(() => {
      queryValues.push(tf.keep(loss(unflatten(res.adapted), task.query, k.query)));
      const d: FlatParams = {};
      for (const [n, p] of Object.entries(trainable)) d[n] = p.sub(res.adapted[n]!).mul(w * scale);
      return d;
    });
    disposeAdapted(res, given);
    acc = accumulate(acc, delta);
  }
  const innerLoss = readScalars(innerValues);
  const queryLoss = readScalars(queryValues);
  return {
    grads: acc!,
    loss: queryLoss.reduce((s, q, t) => s + ((tasks[t]!.weight ?? 1) / totalWeight) * q, 0),
    innerLoss: mean(innerLoss),
    queryLoss: mean(queryLoss),
  };
}

/**
 * Reptile; inner loop 5 SGD steps by default (Reptile needs several to differ from joint training).
 *
 * @param config - The learner's settings; `innerSteps` defaults to 5.
 * @returns The learner, named "reptile".
 * @throws `TavtError` (from `@tavt/core`) `BAD_CONFIG` for settings out of range.
 */
export function createReptile(config: MetaLearnerConfig = {}): MetaLearner {
  return makeMetaLearner("reptile", resolveMetaConfig(config, { innerSteps: 5 }), (ctx) => reptileMetaGradient(ctx));
}
