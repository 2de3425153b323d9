import {
  adamInit,
  adamStep,
  clipByGlobalNorm,
  disposeTree,
  type FlatParams,
  flatten,
  globalNorm,
  type Key,
  type ParamTree,
  rng,
  tf,
  unflatten,
} from "@tavt/core";
import { valueAndGradFlat } from "./gradients";
import { checkInnerOptimizer, disposeInnerOptState, innerOptInit, innerOptStep } from "./innerOptimizer";
import { outerLrFactor } from "./schedule";
import { paramPredicate, partitionTree, requireSome } from "./select";
import type { AdaptOptions, LossFn, MetaLearner, MetaState, MetaStepResult, ResolvedMetaConfig, Task } from "./types";

/** What a learner's meta-gradient rule gets. Tensors are borrowed: the rule must not dispose them. */
export interface MetaGradientContext<B> {
  /** The full tree theta. */
  params: ParamTree;
  /** The leaves the outer step updates (not frozen), by dotted name. */
  trainable: FlatParams;
  /** The frozen leaves (held constant everywhere). */
  fixed: FlatParams;
  tasks: Task<B>[];
  loss: LossFn<B>;
  config: ResolvedMetaConfig;
  key: Key;
}

/** A learner's answer: a gradient for the outer optimiser plus the numbers of the report. */
export interface MetaGradient {
  /** One tensor per name of `trainable` (new tensors; the learner disposes them after the outer step). */
  grads: FlatParams;
  loss: number;
  innerLoss: number;
  queryLoss: number;
}

/** The rule that makes a learner: from a meta-batch to a meta-gradient. */
export type MetaGradientFn = <B>(context: MetaGradientContext<B>) => MetaGradient;

/**
 * A meta-learner from a meta-gradient rule: the outer step is Adam (peak lr `outerLr` on `outerSchedule`'s warmup and
 * decay, optional global-norm clipping)
 * on the trainable leaves, and `adapt` takes SGD or Adam steps (Algorithm 1, lines 14 and 16; the learner's
 * `innerOptimizer` unless the call names one). The built-in learners are all
 * made this way, and so can a user's (see docs/guides/custom-meta-learner.md).
 *
 * @param name - The learner's name (reported by every step).
 * @param config - Resolved settings (`resolveMetaConfig(config)`).
 * @param metaGradient - The rule: from a meta-batch to a gradient of the trainable leaves.
 * @returns A learner with `init`, `step`, `adapt` and `disposeState`.
 */
export function makeMetaLearner(name: string, config: ResolvedMetaConfig, metaGradient: MetaGradientFn): MetaLearner {
  return {
    name,
    config,
    init(params: ParamTree): MetaState {
      const { picked } = partitionTree(params, (n) => !config.frozen(n));
      requireSome(Object.keys(picked), "frozen (everything is frozen)", Object.keys(flatten(params)));
      return { step: 0, adam: adamInit(unflatten(picked)) };
    },
    step<B>(params: ParamTree, state: MetaState, tasks: Task<B>[], loss: LossFn<B>, key: Key): MetaStepResult {
      if (tasks.length === 0) throw new TypeError(`meta: ${name}.step needs at least one task`);
      const { picked: trainable, rest: fixed } = partitionTree(params, (n) => !config.frozen(n));
      const g = metaGradient({ params, trainable, fixed, tasks, loss, config, key });
      const holder: { result?: MetaStepResult } = {};
      tf.tidy(() => {
        const gradTree = unflatten(g.grads);
        const gradNorm = globalNorm(gradTree);
        const clipped = config.clipNorm !== null ? clipByGlobalNorm(gradTree, config.clipNorm).grads : gradTree;
        const lr = config.outerLr * outerLrFactor(config.outerSchedule, state.step);
        const next = adamStep(unflatten(trainable), clipped, state.adam, { ...config.adam, lr });
        const out: FlatParams = { ...flatten(next.params) };
        for (const [n, t] of Object.entries(fixed)) out[n] = t.clone(); // frozen: same values, new tensors
        const newParams = unflatten(out);
        const newState: MetaState = { step: state.step + 1, adam: next.state };
        for (const tree of [newParams, newState.adam.m, newState.adam.v])
          for (const t of Object.values(flatten(tree))) tf.keep(t);
        holder.result = {
          params: newParams,
          state: newState,
          report: {
            loss: g.loss,
            innerLoss: g.innerLoss,
            queryLoss: g.queryLoss,
            gradNorm,
            clipped: config.clipNorm !== null && gradNorm > config.clipNorm,
            lr,
            tasks: tasks.length,
          },
        };
      });
      for (const t of Object.values(g.grads)) t.dispose();
      return holder.result!;
    },
    adapt<B>(params: ParamTree, support: B[], loss: LossFn<B>, options: AdaptOptions, key: Key): ParamTree {
      return sgdAdapt(params, support, loss, config, options, key);
    },
    disposeState(state: MetaState): void {
      disposeTree(state.adam.m);
      disposeTree(state.adam.v);
    },
  };
}

/**
 * Meta-test adaptation: `steps` steps theta = theta - alpha grad L(f_theta) on the support batches (Algorithm 1,
 * line 14), or Adam steps with `optimizer: "adam"` (section 4.2). The name is historical: the rule is
 * `options.optimizer ?? config.innerOptimizer`.
 *
 * @param params - theta (not disposed).
 * @param support - The support batches, cycled one per step.
 * @param loss - The adaptation loss.
 * @param config - The learner's resolved settings (`innerSteps`, `innerLr`, `innerOptimizer`, `innerParams`, `frozen`).
 * @param options - `steps`, `lr`, `optimizer`, `trainable` and `frozen` override the learner's settings.
 * @param key - The dropout key (folded with each step).
 * @returns The adapted tree (new tensors where adapted, the given ones elsewhere).
 * @throws `TavtError` (from `@tavt/core`) `BAD_CONFIG` for an unknown optimiser or a selection of no parameter;
 *   TypeError for a bad step count or no support batch.
 */
export function sgdAdapt<B>(
  params: ParamTree,
  support: B[],
  loss: LossFn<B>,
  config: ResolvedMetaConfig,
  options: AdaptOptions,
  key: Key,
): ParamTree {
  const steps = options.steps ?? config.innerSteps;
  const lr = options.lr ?? config.innerLr;
  const rule = checkInnerOptimizer(options.optimizer ?? config.innerOptimizer, "adapt optimizer");
  if (!Number.isInteger(steps) || steps < 0)
    throw new TypeError(`meta: adapt steps must be an integer >= 0, got ${steps}`);
  if (steps > 0 && support.length === 0) throw new TypeError("meta: adapt needs at least one support batch");
  const trainable = options.trainable === undefined ? config.innerParams : paramPredicate(options.trainable);
  const extraFrozen = options.frozen === undefined ? () => false : paramPredicate(options.frozen);
  const pick = (n: string) => trainable(n) && !config.frozen(n) && !extraFrozen(n);
  const { picked, rest } = partitionTree(params, pick);
  if (steps > 0) requireSome(Object.keys(picked), "trainable", Object.keys(flatten(params)));
  let current = picked;
  let opt = innerOptInit();
  for (let s = 0; s < steps; s++) {
    const batch = support[s % support.length]!;
    const k = rng.foldIn(key, s);
    const previous = current;
    const previousOpt = opt;
    let next: FlatParams = {};
    let lossValue = Number.NaN;
    tf.tidy(() => {
      const { value, grads } = valueAndGradFlat((sub) => loss(unflatten({ ...rest, ...sub }), batch, k), current);
      const r = innerOptStep(rule, current, grads, opt, lr, config.innerAdam);
      for (const t of [...Object.values(r.params), ...Object.values(r.state.m), ...Object.values(r.state.v)]) {
        tf.keep(t);
      }
      next = r.params;
      opt = r.state;
      if (options.onStep) lossValue = value.dataSync()[0]!;
    });
    if (previous !== picked) for (const t of Object.values(previous)) t.dispose();
    disposeInnerOptState(previousOpt);
    current = next;
    options.onStep?.(s, lossValue);
  }
  disposeInnerOptState(opt);
  const out: FlatParams = {};
  for (const [n, t] of Object.entries(rest)) out[n] = t.clone();
  for (const [n, t] of Object.entries(current)) out[n] = current === picked ? t.clone() : t;
  return unflatten(out);
}
