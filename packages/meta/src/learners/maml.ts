import { type FlatParams, rng, tf, unflatten } from "@tavt/core";
import { resolveMetaConfig } from "../config";
import { valueAndGradFlat } from "../gradients";
import { disposeAdapted, innerLoop } from "../inner";
import { type MetaGradient, type MetaGradientContext, makeMetaLearner } from "../learner";
import { requireSome } from "../select";
import { accumulate, checkTasks, mean, readScalars } from "../tasks";
import type { MetaLearner, MetaLearnerConfig } from "../types";

/**
 * The MAML meta-gradient (Finn et al. 2017; paper eq. 11 and Algorithm 1, line 9):
 * grad_theta sum_t w_t L_{query_t}(theta'_t), theta'_t = theta - alpha grad L_{support_t}(theta) (innerSteps times).
 * `order: "second"` keeps the inner gradients in the graph (the exact meta-gradient, Hessian-vector terms included);
 * `"first"` treats theta'_t as a constant and returns sum_t w_t grad L_{query_t} evaluated at theta'_t (FOMAML).
 * Tasks are differentiated one at a time and summed, so memory holds one task's graph.
 *
 * @param ctx - theta split into trainable and fixed leaves, the tasks, the loss, the settings and the key.
 * @param order - "second" (MAML) or "first" (FOMAML).
 * @returns The meta-gradient, the weighted query loss, and the mean inner and query losses.
 * @throws `TavtError` (from `@tavt/core`) `BAD_INPUT` for an empty meta-batch, a task without support batches or a
 *   bad weight.
 */
export function mamlMetaGradient<B>(ctx: MetaGradientContext<B>, order: "second" | "first"): MetaGradient {
  const { trainable, fixed, tasks, loss, config, key } = ctx;
  checkTasks(tasks, config.innerSteps, order === "second" ? "maml" : "fomaml");
  const adapt = (n: string) => config.innerParams(n) && !config.frozen(n);
  if (config.innerSteps > 0) {
    requireSome(Object.keys(trainable).filter(adapt), "innerParams", Object.keys(trainable));
  }
  const inner = {
    steps: config.innerSteps,
    lr: config.innerLr,
    optimizer: config.innerOptimizer,
    adam: config.innerAdam,
    adapt,
    differentiable: order === "second",
  };
  let acc: FlatParams | null = null;
  const innerValues: tf.Scalar[] = [];
  const queryValues: tf.Scalar[] = [];
  for (const [t, task] of tasks.entries()) {
    const w = task.weight ?? 1;
    const k = rng.splitNamed(rng.foldIn(key, t), ["inner", "query"]);
    const grads = tf.tidy(() => {
      if (order === "second") {
        const r = valueAndGradFlat((theta) => {
          const res = innerLoop({ ...fixed, ...theta }, task.support, loss, inner, k.inner);
          if (res.firstLoss) innerValues.push(res.firstLoss);
          const q = tf.keep(loss(unflatten(res.adapted), task.query, k.query));
          queryValues.push(q);
          return q.mul(w);
        }, trainable);
        return r.grads;
      }
      const given = { ...fixed, ...trainable };
      const res = innerLoop(given, task.support, loss, inner, k.inner);
      if (res.firstLoss) innerValues.push(res.firstLoss);
      const adaptedTrainable: FlatParams = {};
      const adaptedFixed: FlatParams = {};
      for (const [n, p] of Object.entries(res.adapted)) {
        if (n in trainable) adaptedTrainable[n] = p;
        else adaptedFixed[n] = p;
      }
      const r = valueAndGradFlat((thetaPrime) => {
        const q = tf.keep(loss(unflatten({ ...adaptedFixed, ...thetaPrime }), task.query, k.query));
        queryValues.push(q);
        return q.mul(w);
      }, adaptedTrainable);
      disposeAdapted(res, given);
      return r.grads;
    });
    acc = accumulate(acc, grads);
  }
  const innerLoss = readScalars(innerValues);
  const queryLoss = readScalars(queryValues);
  return {
    grads: acc!,
    loss: queryLoss.reduce((s, q, t) => s + (tasks[t]!.weight ?? 1) * q, 0),
    innerLoss: mean(innerLoss),
    queryLoss: mean(queryLoss),
  };
}

/**
 * MAML with true second-order meta-gradients; outer Adam (lr 1e-3), inner SGD (lr 1e-4, 1 step) by default.
 *
 * @param config - The learner's settings.
 * @returns The learner, named "maml".
 * @throws `TavtError` (from `@tavt/core`) `BAD_CONFIG` for settings out of range.
 */
export function createMaml(config: MetaLearnerConfig = {}): MetaLearner {
  return makeMetaLearner("maml", resolveMetaConfig(config), (ctx) => mamlMetaGradient(ctx, "second"));
}

/**
 * First-order MAML: the same inner loop, with the inner gradients treated as constants (no second-order terms).
 *
 * @param config - The learner's settings.
 * @returns The learner, named "fomaml".
 * @throws `TavtError` (from `@tavt/core`) `BAD_CONFIG` for settings out of range.
 */
export function createFomaml(config: MetaLearnerConfig = {}): MetaLearner {
  return makeMetaLearner("fomaml", resolveMetaConfig(config), (ctx) => mamlMetaGradient(ctx, "first"));
}
