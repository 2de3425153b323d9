import type { AdamConfig, AdamState, Key, ParamTree, tf } from "@tavt/core";
import type { InnerAdamConfig, InnerOptimizer } from "./innerOptimizer";
import type { OuterSchedule, ResolvedOuterSchedule } from "./schedule";

/**
 * Contract 4: a pure loss of a parameter tree and a batch. The meta-learners differentiate it (and, for MAML,
 * differentiate through its gradient), so it must be built from tfjs ops on `params` with no hidden state.
 * `key` seeds any randomness inside (dropout); the same key gives the same value.
 */
export type LossFn<B> = (params: ParamTree, batch: B, key: Key) => tf.Scalar;

/**
 * One task of a meta-batch: adapt on `support` (the inner loop takes `innerSteps` steps, step s on
 * `support[s % support.length]`), then evaluate the adapted parameters on `query`.
 * The batches belong to the caller: meta-learners read them and never dispose them.
 */
export interface Task<B> {
  support: B[];
  query: B;
  /** Weight of this task's query term in the outer objective; default 1. */
  weight?: number;
  /** A label for reports (e.g. the domain). */
  name?: string;
}

/**
 * Which parameters (by dotted name, e.g. `decoder.out.weight`): a name prefix, a list of prefixes, a regular
 * expression tested against the whole name, or a predicate.
 */
export type ParamSelector = string | readonly string[] | RegExp | ((name: string) => boolean);

/** The settings every built-in learner reads (each learner fills in its own defaults). */
export interface MetaLearnerConfig {
  /** alpha, the inner-loop (and meta-test adaptation) step size; default 1e-4 (paper section 4.2). */
  innerLr?: number;
  /**
   * The inner loop's update rule, and meta-test adaptation's unless `adapt` names one: "sgd" (default,
   * theta - alpha g) or "adam" (section 4.2; differentiable under second-order MAML).
   */
  innerOptimizer?: InnerOptimizer;
  /** Betas and eps of the inner Adam (torch defaults). */
  innerAdam?: InnerAdamConfig;
  /** Inner-loop gradient steps per task; default 1 (Reptile: 5). */
  innerSteps?: number;
  /** beta, the outer Adam step size; default 1e-3 (paper section 4.2). */
  outerLr?: number;
  /** The other Adam settings of the outer optimiser (betas, eps, weight decay). */
  adam?: Omit<AdamConfig, "lr">;
  /** Clip the meta-gradient to this global L2 norm before the outer step; default none. */
  clipNorm?: number;
  /** Warmup and decay of the outer step size (`outerLr` is the peak); default constant. */
  outerSchedule?: OuterSchedule;
  /** Parameters the inner loop adapts (the rest stay at theta inside it); default all. ANIL: the decoder output layer. */
  innerParams?: ParamSelector;
  /** Parameters that are never updated, neither in the inner loop nor by the outer step (e.g. `"avmm."`). */
  frozen?: ParamSelector;
}

/** `MetaLearnerConfig` with every default filled in and the selectors turned into predicates. */
export interface ResolvedMetaConfig {
  innerLr: number;
  innerOptimizer: InnerOptimizer;
  innerAdam: InnerAdamConfig;
  innerSteps: number;
  outerLr: number;
  adam: Omit<AdamConfig, "lr">;
  clipNorm: number | null;
  outerSchedule: ResolvedOuterSchedule;
  innerParams: (name: string) => boolean;
  frozen: (name: string) => boolean;
}

/** The outer optimiser's state. `adam` covers the trainable (not frozen) parameters only. */
export interface MetaState {
  /** Meta-steps taken. */
  step: number;
  adam: AdamState;
}

/** What one meta-step measured (plain numbers, read after the step). */
export interface MetaStepReport {
  /** The outer objective the step minimised (weighted sum over tasks). */
  loss: number;
  /** Mean over tasks of the support loss at theta (before adaptation). */
  innerLoss: number;
  /** Mean over tasks of the query loss (at the adapted parameters theta'; `joint`: at theta). */
  queryLoss: number;
  /** Global L2 norm of the meta-gradient (before clipping). */
  gradNorm: number;
  /** True when `clipNorm` scaled this step's meta-gradient down (its norm was above the limit). */
  clipped: boolean;
  /** The outer step size this step used (the schedule's value). */
  lr: number;
  tasks: number;
}

/** What `learner.step` returns: the new parameters, the new state and the step's report. */
export interface MetaStepResult {
  /** New tensors (every leaf, frozen ones included): the caller owns them. */
  params: ParamTree;
  /** New state (new tensors): the caller owns it. */
  state: MetaState;
  report: MetaStepReport;
}

/** Meta-test adaptation (Algorithm 1, lines 13-16): SGD or Adam steps on a target support set. */
export interface AdaptOptions {
  /** The update rule; default the learner's `innerOptimizer`. Adam starts from zero moments. */
  optimizer?: InnerOptimizer;
  /** Gradient steps; step s uses `support[s % support.length]`. Default: the learner's `innerSteps`. */
  steps?: number;
  /** Step size; default the learner's `innerLr`. */
  lr?: number;
  /** Parameters to adapt; default the learner's `innerParams` (all, or ANIL's head). */
  trainable?: ParamSelector;
  /** Parameters to leave alone in addition to the learner's `frozen` (e.g. `"avmm."` without audio). */
  frozen?: ParamSelector;
  /** Called after each step with the loss before that step (reading it costs a device sync). */
  onStep?: (step: number, loss: number) => void;
}

/**
 * A meta-learner: an outer optimiser over a parameter tree plus a rule for turning a set of tasks into an update.
 * It knows nothing of captions: all it sees is `LossFn<B>`.
 *
 * Ownership: no method disposes its arguments. `step` and `adapt` return trees of new tensors (every leaf) that the
 * caller owns and disposes (`disposeTree`, `learner.disposeState`); batches stay the caller's.
 */
export interface MetaLearner {
  readonly name: string;
  readonly config: ResolvedMetaConfig;
  /** Fresh outer-optimiser state for `params` (Adam moments of the trainable leaves). */
  init(params: ParamTree): MetaState;
  /** One meta-training step over a meta-batch of tasks. */
  step<B>(params: ParamTree, state: MetaState, tasks: Task<B>[], loss: LossFn<B>, key: Key): MetaStepResult;
  /** Meta-test: `steps` SGD or Adam steps on `support` from `params`. Returns new tensors. */
  adapt<B>(params: ParamTree, support: B[], loss: LossFn<B>, options: AdaptOptions, key: Key): ParamTree;
  /** Dispose a state returned by `init` or `step`. */
  disposeState(state: MetaState): void;
}
