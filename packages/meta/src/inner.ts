import { type FlatParams, type Key, rng, tf, unflatten } from "@tavt/core";
import { valueAndGradFlat } from "./gradients";
import {
  disposeInnerOptState,
  type InnerAdamConfig,
  type InnerOptimizer,
  innerOptInit,
  innerOptStep,
} from "./innerOptimizer";
import type { LossFn } from "./types";

/** Options of `innerLoop`: steps, learning rate, optimiser, which parameters adapt, differentiability. */
export interface InnerLoopOptions {
  steps: number;
  lr: number;
  /** The update rule; default "sgd" (theta - alpha g). "adam": a fresh Adam per loop (moments start at 0). */
  optimizer?: InnerOptimizer;
  /** Adam's betas and eps (torch defaults). */
  adam?: InnerAdamConfig;
  /** Which leaves the loop adapts; the others stay as given. */
  adapt: (name: string) => boolean;
  /**
   * true: keep every inner gradient in the graph, so an enclosing gradient differentiates through the loop
   * (second-order MAML); call it inside that gradient's function. false: each step is computed, kept and the
   * previous intermediate disposed (the result is a constant to any enclosing gradient: first order).
   */
  differentiable: boolean;
}

/** What `innerLoop` returns: the adapted parameters and the first support loss. */
export interface InnerLoopResult {
  /**
   * All leaves: the adapted ones new, the others the tensors given. Not differentiable: the new leaves are kept
   * tensors the caller disposes (`disposeAdapted`); differentiable: the enclosing gradient's scope collects them.
   */
  adapted: FlatParams;
  /** The loss at the starting point (before the first step), or null when `steps` is 0. Kept: the caller disposes it. */
  firstLoss: tf.Scalar | null;
}

/**
 * theta'_i = theta - alpha grad L_{B_i}(theta), repeated `steps` times (Algorithm 1, line 5); step s on batches[s % n].
 * With `optimizer: "adam"` each step is an Adam step instead (section 4.2), its moments part of the graph too.
 *
 * @param params - The leaves to start from, by dotted name.
 * @param batches - Support batches (step s uses `batches[s % batches.length]`).
 * @param loss - The loss to descend.
 * @param options - Steps, learning rate, optimiser, which leaves adapt, and `differentiable` (keep the steps on the tape for second-order MAML).
 * @param key - Randomness (dropout) for each step.
 * @returns All leaves (the adapted ones new) and the loss at the starting point.
 */
export function innerLoop<B>(
  params: FlatParams,
  batches: readonly B[],
  loss: LossFn<B>,
  options: InnerLoopOptions,
  key: Key,
): InnerLoopResult {
  const fast: FlatParams = {};
  const rest: FlatParams = {};
  for (const [n, t] of Object.entries(params)) {
    if (options.adapt(n)) fast[n] = t;
    else rest[n] = t;
  }
  let current = fast;
  let opt = innerOptInit();
  const rule = options.optimizer ?? "sgd";
  const first: { loss: tf.Scalar | null } = { loss: null };
  for (let s = 0; s < options.steps; s++) {
    const batch = batches[s % batches.length]!;
    const k = rng.foldIn(key, s);
    const run = () => {
      const { value, grads } = valueAndGradFlat((sub) => loss(unflatten({ ...rest, ...sub }), batch, k), current);
      const step = innerOptStep(rule, current, grads, opt, options.lr, options.adam);
      return { value, next: step.params, state: step.state };
    };
    if (options.differentiable) {
      const { value, next, state } = run();
      if (s === 0) first.loss = tf.keep(value);
      current = next;
      opt = state;
    } else {
      const previous = current;
      const previousOpt = opt;
      let next: FlatParams = {};
      tf.tidy(() => {
        const r = run();
        for (const t of Object.values(r.next)) tf.keep(t);
        for (const t of [...Object.values(r.state.m), ...Object.values(r.state.v)]) tf.keep(t);
        if (s === 0) first.loss = tf.keep(r.value);
        next = r.next;
        opt = r.state;
      });
      if (previous !== fast) for (const t of Object.values(previous)) t.dispose();
      disposeInnerOptState(previousOpt);
      current = next;
    }
  }
  if (!options.differentiable) disposeInnerOptState(opt);
  return { adapted: { ...rest, ...current }, firstLoss: first.loss };
}

/**
 * Dispose the leaves an inner loop created (those that are not the tensors it was given).
 *
 * @param result - What the inner loop returned.
 * @param given - The leaves it was given (not disposed).
 */
export function disposeAdapted(result: InnerLoopResult, given: FlatParams): void {
  for (const [n, t] of Object.entries(result.adapted)) if (given[n] !== t) t.dispose();
}
