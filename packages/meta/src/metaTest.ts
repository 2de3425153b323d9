import { disposeTree, type Key, type ParamTree, rng, TavtError, tf } from "@tavt/core";
import type { InnerOptimizer } from "./innerOptimizer";
import { selectNames } from "./select";
import { readScalars } from "./tasks";
import type { LossFn, MetaLearner, ParamSelector } from "./types";

/** AVMM's parameter prefix in @tavt/model's tree (`Captioner.frozenWhenAudioAbsent` gives the same). */
export const AVMM_PREFIX = "avmm.";

/** Options of `metaTest`: the learner, the target's support and query data, the adaptation and the evaluation. */
export interface MetaTestOptions<B, R> {
  /** The meta-trained theta: borrowed, never disposed. */
  params: ParamTree;
  learner: MetaLearner;
  /** The target domain's support set D_s (batches; the caller owns them). */
  support: B[];
  /** Whether the target domain has audio (Algorithm 1, line 13). */
  withAudio: boolean;
  /** The full loss L (eq. 10): adapts when the target has audio. */
  loss: LossFn<B>;
  /** L_cap alone: adapts when the target has no audio (line 16); required then. */
  captionLoss?: LossFn<B>;
  /** What to freeze without audio; default `"avmm."` (AVMM then reconstructs the audio, frozen). */
  frozenWhenAudioAbsent?: ParamSelector;
  /** Adaptation steps; default the learner's `innerSteps`. */
  steps?: number;
  /** Adaptation step size alpha; default the learner's `innerLr`. */
  lr?: number;
  /** The update rule, "sgd" or "adam"; default the learner's `innerOptimizer`. */
  optimizer?: InnerOptimizer;
  /** Parameters to adapt; default the learner's `innerParams`. */
  trainable?: ParamSelector;
  key: Key;
  /** The target's query set D_q: when given, the result has the adaptation loss's mean over these batches. */
  query?: B[];
  /** Evaluate the adapted parameters (e.g. caption D_q and score it); its result is returned as `evaluation`. */
  evaluate?: (adapted: ParamTree) => R | Promise<R>;
  /** Keep the adapted parameters in the result (the caller then owns them); default true. false: disposed. */
  keepParams?: boolean;
  /** Called after each adaptation step with the loss before it. */
  onStep?: (step: number, loss: number) => void;
}

/** What `metaTest` returns: the adapted parameters and the evaluation. */
export interface MetaTestResult<R> {
  /** The adapted theta (new tensors, the caller's), or null with `keepParams: false`. */
  params: ParamTree | null;
  /** Which loss adapted: "full" (L, with audio) or "cap" (L_cap, AVMM frozen). */
  lossUsed: "full" | "cap";
  /** The parameter names held fixed during adaptation because the target has no audio. */
  frozen: string[];
  /** Mean adaptation loss on `query` after adaptation, or null without `query`. */
  queryLoss: number | null;
  evaluation: R | undefined;
}

/**
 * Meta-test on a target domain (paper section 3.4, Algorithm 1 lines 12-17): adapt theta on the target's support
 * set with the full loss when it has audio, or with L_cap and AVMM frozen when it has none; then evaluate.
 *
 * @param options - The learner, theta, whether the target has audio, the full loss and `captionLoss`, the support
 *   batches, the key, and optionally `steps`, `lr`, `optimizer`, `trainable`, `query`, `evaluate` and `keepParams`.
 * @returns The adapted parameters (or null), which loss adapted, what was frozen, the query loss and the evaluation.
 * @throws `TavtError` (from `@tavt/core`) `BAD_CONFIG` without `captionLoss` when the target has no audio.
 */
export async function metaTest<B, R = undefined>(options: MetaTestOptions<B, R>): Promise<MetaTestResult<R>> {
  const { learner, params, withAudio } = options;
  let lossFn: LossFn<B>;
  let frozen: string[] = [];
  let frozenSelector: ParamSelector | undefined;
  if (withAudio) {
    lossFn = options.loss;
  } else {
    if (!options.captionLoss) {
      throw new TavtError(
        "BAD_CONFIG",
        "meta: metaTest without audio adapts with L_cap only (Algorithm 1, line 16): pass `captionLoss`",
        { field: "captionLoss" },
      );
    }
    lossFn = options.captionLoss;
    frozenSelector = options.frozenWhenAudioAbsent ?? AVMM_PREFIX;
    frozen = selectNames(params, frozenSelector);
  }
  const k = rng.splitNamed(options.key, ["adapt", "query"]);
  const adapted = learner.adapt(
    params,
    options.support,
    lossFn,
    {
      steps: options.steps,
      lr: options.lr,
      optimizer: options.optimizer,
      trainable: options.trainable,
      frozen: frozenSelector,
      onStep: options.onStep,
    },
    k.adapt,
  );
  try {
    let queryLoss: number | null = null;
    if (options.query && options.query.length > 0) {
      const values = options.query.map((b, i) => tf.tidy(() => tf.keep(lossFn(adapted, b, rng.foldIn(k.query, i)))));
      const v = readScalars(values);
      queryLoss = v.reduce((a, b) => a + b, 0) / v.length;
    }
    const evaluation = options.evaluate ? await options.evaluate(adapted) : undefined;
    const keep = options.keepParams ?? true;
    if (!keep) disposeTree(adapted);
    return { params: keep ? adapted : null, lossUsed: withAudio ? "full" : "cap", frozen, queryLoss, evaluation };
  } catch (e) {
    disposeTree(adapted);
    throw e;
  }
}
