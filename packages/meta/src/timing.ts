import { disposeTree, type Key, type ParamTree, rng } from "@tavt/core";
import { distinct } from "./tasks";
import type { LossFn, MetaLearner, MetaState, MetaStepResult, Task } from "./types";

/** Options of `timeMetaSteps`: the learner, parameters, tasks, loss, batch size and steps. */
export interface TimeMetaStepsOptions<B> {
  learner: MetaLearner;
  /** Starting theta: borrowed, never disposed (the timed steps update a private copy). */
  params: ParamTree;
  /** The meta-batch every step uses (borrowed). */
  tasks: Task<B>[];
  loss: LossFn<B>;
  /** Samples in a batch (e.g. `(b) => b.ids.length`). */
  batchSize: (batch: B) => number;
  /** Timed steps; default 5. */
  steps?: number;
  /** Untimed steps first (kernel compilation, allocation); default 2. */
  warmup?: number;
  key?: Key;
  /** Called after each timed step with its wall time. */
  onStep?: (step: number, ms: number) => void;
}

/** What `timeMetaSteps` returns: the median step time, samples per second and the losses. */
export interface MetaStepTiming {
  learner: string;
  steps: number;
  warmup: number;
  /** Samples of support plus query per meta-step (each distinct batch counted once). */
  samples: number;
  /** Median wall time of one meta-step (inner loop(s), meta-gradient, outer Adam, report read back). */
  step_ms: number;
  samples_per_s: number;
  /** The report's loss at each timed step. */
  losses: number[];
}

/**
 * Times `steps` meta-steps of a learner on a fixed meta-batch after `warmup` untimed ones: median step time and
 * samples (support + query) per second. For benchmarks (`tavt bench speed`), never for unit tests.
 *
 * @param options - The learner, theta (borrowed), the meta-batch, the loss, `batchSize`, and `steps` (5), `warmup`
 *   (2), `key` and `onStep`.
 * @returns The median step time, the samples per step and per second, and each timed step's loss.
 */
export function timeMetaSteps<B>(options: TimeMetaStepsOptions<B>): MetaStepTiming {
  const steps = options.steps ?? 5;
  const warmup = options.warmup ?? 2;
  const key = options.key ?? rng.key(0);
  const { learner, tasks, loss } = options;
  const samples = distinct([...tasks.flatMap((t) => t.support), ...tasks.map((t) => t.query)]).reduce(
    (s, b) => s + options.batchSize(b),
    0,
  );
  let params: ParamTree | null = null;
  let state: MetaState = learner.init(options.params);
  const times: number[] = [];
  const losses: number[] = [];
  try {
    for (let i = 0; i < warmup + steps; i++) {
      const t0 = performance.now();
      const r: MetaStepResult = learner.step(params ?? options.params, state, tasks, loss, rng.foldIn(key, i));
      const ms = performance.now() - t0; // the report's numbers were read back, so the step has finished
      if (params !== null) disposeTree(params);
      learner.disposeState(state);
      params = r.params;
      state = r.state;
      if (i >= warmup) {
        times.push(ms);
        losses.push(r.report.loss);
        options.onStep?.(i - warmup, ms);
      }
    }
  } finally {
    if (params !== null) disposeTree(params);
    learner.disposeState(state);
  }
  const sorted = [...times].sort((a, b) => a - b);
  const n = sorted.length;
  const median = n === 0 ? Number.NaN : n % 2 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
  return {
    learner: learner.name,
    steps,
    warmup,
    samples,
    step_ms: median,
    samples_per_s: (samples * 1000) / median,
    losses,
  };
}
