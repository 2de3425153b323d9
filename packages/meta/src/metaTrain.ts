import { cloneTree, disposeTree, type Key, type ParamTree, rng, TavtError } from "@tavt/core";
import type { LossFn, MetaLearner, MetaState, MetaStepReport, Task } from "./types";

/** What `onStep` sees after each meta-step. `params` and `state` are borrowed: valid during the call only. */
export interface MetaTrainProgress {
  /** The step just taken (counting from `startStep`). */
  step: number;
  /** The last step index this run will take + 1. */
  endStep: number;
  report: MetaStepReport;
  params: ParamTree;
  state: MetaState;
}

/** Options of `metaTrain`: parameters, learner, loss, steps, key and the task source. */
export interface MetaTrainOptions<B> {
  /** theta at the start: borrowed, never disposed. */
  params: ParamTree;
  learner: MetaLearner;
  /**
   * The meta-batch of step `step` (e.g. `episodeTasks(sampler.episode(step, key))`); `key` is derived from the run's
   * key and the step, so a run is reproducible. The tasks' batches are the sampler's: see `releaseTasks`.
   */
  sampleTasks: (step: number, key: Key) => Task<B>[];
  loss: LossFn<B>;
  /** Meta-steps to take. */
  steps: number;
  key: Key;
  /** Resume from this outer state (borrowed, never disposed); default `learner.init(params)`. */
  state?: MetaState;
  /** Index of the first step (for resumed runs: keys and `onStep` continue the count); default 0. */
  startStep?: number;
  /** Progress after each step; may be async (it is awaited, e.g. to write a checkpoint). Return `false` to stop. */
  onStep?: (progress: MetaTrainProgress) => undefined | boolean | Promise<undefined | boolean>;
  /** Called with each step's tasks once the step is done, to dispose their batches. */
  releaseTasks?: (tasks: Task<B>[]) => void;
  /**
   * A step whose loss or meta-gradient norm is not finite stops the run with a `DIVERGED` error naming the step.
   * This hook, given the parameters the step started from (borrowed) and its tasks, may return words to add to the
   * message, such as which part of the loss is not finite.
   */
  explainDivergence?: (info: { step: number; params: ParamTree; tasks: Task<B>[]; report: MetaStepReport }) => string;
}

/** What `metaTrain` returns: the trained parameters, the learner's state and every step's report. */
export interface MetaTrainResult {
  /** Final theta: new tensors the caller owns (a copy of `params` when no step ran). */
  params: ParamTree;
  /** Final outer state: the caller owns it (`learner.disposeState`). */
  state: MetaState;
  reports: MetaStepReport[];
}

/**
 * The meta-training loop of Algorithm 1 (lines 1-11) for any learner and any task source: per step, sample a
 * meta-batch, take one `learner.step`, report. Everything a step creates and does not return is disposed.
 *
 * @param options - `params`, `learner`, `loss`, `steps`, `key`, `sampleTasks(step, key)` and optionally
 *   `releaseTasks`, `onStep`.
 * @returns The trained parameters, the learner's state and every step's report.
 * @throws `TavtError` (from `@tavt/core`) `BAD_CONFIG` for a bad step count, `DIVERGED` for a non-finite loss or meta-gradient.
 */
export async function metaTrain<B>(options: MetaTrainOptions<B>): Promise<MetaTrainResult> {
  const { learner, loss, key } = options;
  if (!Number.isInteger(options.steps) || options.steps < 0) {
    throw new TavtError("BAD_CONFIG", `meta: metaTrain "steps" must be an integer >= 0, got ${options.steps}`);
  }
  const start = options.startStep ?? 0;
  const end = start + options.steps;
  let params: ParamTree | null = null; // ours once a step ran
  let state: MetaState | null = null; // ours unless it is options.state
  const reports: MetaStepReport[] = [];
  try {
    for (let step = start; step < end; step++) {
      const k = rng.splitNamed(rng.foldIn(key, step), ["tasks", "step"]);
      const tasks = options.sampleTasks(step, k.tasks);
      let result: ReturnType<MetaLearner["step"]>;
      try {
        const theta = params ?? options.params;
        const st = state ?? options.state ?? learner.init(options.params);
        if (state === null && options.state === undefined) state = st;
        result = learner.step(theta, st, tasks, loss, k.step);
        const r = result.report;
        if (!Number.isFinite(r.loss) || !Number.isFinite(r.gradNorm)) {
          const what = !Number.isFinite(r.loss) ? `the loss is ${r.loss}` : `the meta-gradient norm is ${r.gradNorm}`;
          let detail = "";
          try {
            detail = options.explainDivergence?.({ step, params: theta, tasks, report: r }) ?? "";
          } finally {
            disposeTree(result.params);
            learner.disposeState(result.state);
          }
          throw new TavtError(
            "DIVERGED",
            `meta-training diverged at step ${step + 1}: ${what}${detail ? ` (${detail})` : ""}; lower meta.outerLr or meta.innerLr, lengthen the warmup (train.warmup) or clip gradients (meta.clipNorm)`,
            { step: step + 1, loss: r.loss, gradNorm: r.gradNorm },
          );
        }
      } finally {
        options.releaseTasks?.(tasks);
      }
      if (params !== null) disposeTree(params);
      if (state !== null) learner.disposeState(state);
      params = result.params;
      state = result.state;
      reports.push(result.report);
      const go = await options.onStep?.({ step, endStep: end, report: result.report, params, state });
      if (go === false) break;
      // Yield to the event loop between steps (a macrotask, not a microtask): I/O, timers, signals, a page's UI and a
      // test runner's messages are served during long runs instead of after them.
      await new Promise<void>((resolve) => setTimeout(resolve, 0));
    }
  } catch (e) {
    if (params !== null) disposeTree(params);
    if (state !== null) learner.disposeState(state);
    throw e;
  }
  return {
    params: params ?? cloneTree(options.params),
    state: state ?? (options.state ? cloneMetaState(options.state) : learner.init(options.params)),
    reports,
  };
}

/**
 * A deep copy of an outer state (new tensors).
 *
 * @param state - The outer state (step and Adam moments).
 * @returns A copy with cloned moment trees (the caller disposes them).
 */
export function cloneMetaState(state: MetaState): MetaState {
  return {
    step: state.step,
    adam: { step: state.adam.step, m: cloneTree(state.adam.m), v: cloneTree(state.adam.v) },
  };
}
