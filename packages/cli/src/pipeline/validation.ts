import { type ParamTree, rng, tf } from "@tavt/core";
import { type CaptionBatch, disposeBatch, miniBatches } from "@tavt/datasets";
import type { MetaStepReport } from "@tavt/meta";
import { batchOf } from "./data";
import type { Experiment } from "./experiment";

/** The loss of eq. 10 and its parts, averaged over the validation videos. */
export interface LossValues {
  total: number;
  /** L_cap as trained: weighted by W_ma (eq. 8-9) where the model uses it. */
  cap: number;
  rec: number;
  dis: number;
  dep: number;
  /**
   * The plain caption cross-entropy per word (no W_ma weights): the one number comparable across methods and over
   * training, since W_ma's scale moves with the gates.
   */
  nll: number;
}

/** One point of the validation curve: theta's loss on the held-out source videos after `step` meta-steps. */
export interface ValidationPoint extends LossValues {
  step: number;
}

/** One meta-step as the learning curve records it: its report (loss, grad norm, clipping, lr) and its number. */
export interface CurveStep extends Omit<MetaStepReport, "tasks"> {
  /** 1-based: the number of steps taken after it. */
  step: number;
}

/** The learning curve of one training run: every step's training numbers and the validation points. */
export interface LearningCurve {
  steps: CurveStep[];
  validation: ValidationPoint[];
  /** What the validation set is (videos per domain, domains, split). */
  validationSet: string;
}

/**
 * The curve entry of a meta-step report.
 *
 * @param step - The meta-step.
 * @param r - Its report.
 * @returns The report's numbers without the per-task ones, with the step.
 */
export function curveStep(step: number, r: MetaStepReport): CurveStep {
  const { tasks: _tasks, ...rest } = r;
  return { step, ...rest };
}

/** Held-out batches of the source domains: a seeded choice of `train.validationVideos` test-split videos of each. */
export interface ValidationSet {
  batches: CaptionBatch[];
  /** Videos in each batch (for the weighted mean). */
  sizes: number[];
  describe: string;
  dispose(): void;
}

/**
 * The validation set of an experiment: up to `train.validationVideos` videos of each source domain's test split
 * (the episodic sampler draws only from the train split, so these are never trained on), one fixed caption each.
 * Null when no source domain has test videos.
 *
 * @param exp - The prepared experiment.
 * @returns The batches, their sizes and a description; null when no source domain has test videos.
 */
export function validationSetOf(exp: Experiment): ValidationSet | null {
  const { dataset } = exp.data;
  const n = exp.config.train.validationVideos;
  const key = rng.foldIn(exp.key, "validation");
  const ids: string[] = [];
  const used: string[] = [];
  for (const d of dataset.sourceDomains) {
    const pool = dataset.ids({ domains: [d], split: "test" });
    if (pool.length === 0) continue;
    const perm = rng.permutation(rng.foldIn(key, d), pool.length);
    ids.push(...Array.from(perm.subarray(0, Math.min(n, pool.length)), (i) => pool[i]!));
    used.push(d);
  }
  if (ids.length === 0) return null;
  const chunks = miniBatches(ids, exp.config.eval.batchSize);
  const keys = rng.split(rng.foldIn(key, "captions"), chunks.length);
  const batches = chunks.map((c, i) => batchOf(dataset.samples(c), exp.data, exp.config, keys[i]));
  return {
    batches,
    sizes: chunks.map((c) => c.length),
    describe: `${ids.length} held-out test-split videos of the source domains ${used.join(", ")} (up to ${n} each)`,
    dispose() {
      for (const b of batches) disposeBatch(b);
    },
  };
}

/**
 * theta's loss (eq. 10, no dropout), its parts and the plain cross-entropy on a validation set: means over videos.
 *
 * @param exp - The prepared experiment.
 * @param params - theta.
 * @param set - The validation set.
 * @returns The means over videos of the total loss, its parts and the plain cross-entropy.
 */
export function validationLoss(exp: Experiment, params: ParamTree, set: ValidationSet): LossValues {
  const sum: LossValues = { total: 0, cap: 0, rec: 0, dis: 0, dep: 0, nll: 0 };
  let videos = 0;
  const key = rng.foldIn(exp.key, "validation-loss");
  set.batches.forEach((b, i) => {
    const w = set.sizes[i]!;
    const values = tf.tidy(() => {
      const p = exp.captioner.lossParts(params, b, key, { training: false });
      return tf.stack([p.total, p.cap, p.rec, p.dis, p.dep, p.nll ?? p.cap]);
    });
    const v = values.dataSync();
    values.dispose();
    sum.total += w * v[0]!;
    sum.cap += w * v[1]!;
    sum.rec += w * v[2]!;
    sum.dis += w * v[3]!;
    sum.dep += w * v[4]!;
    sum.nll += w * v[5]!;
    videos += w;
  });
  return {
    total: sum.total / videos,
    cap: sum.cap / videos,
    rec: sum.rec / videos,
    dis: sum.dis / videos,
    dep: sum.dep / videos,
    nll: sum.nll / videos,
  };
}
