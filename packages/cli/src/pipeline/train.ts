import { join } from "node:path";
import { disposeTree, type Key, type ParamTree, rng, writeFileAtomic } from "@tavt/core";
import { type CaptionBatch, disposeBatch, EpisodicSampler } from "@tavt/datasets";
import {
  episodeTasks,
  type MetaState,
  type MetaStepReport,
  metaTrain,
  readingNeedsEvalBatches,
  type Task,
} from "@tavt/meta";
import { configToYaml } from "../config/load";
import type { Output } from "../output";
import { createProgress } from "../progress";
import {
  CONFIG_FILE,
  loadTrainState,
  MODEL_FILE,
  SPACE_FILE,
  STATE_FILE,
  saveModel,
  saveTrainState,
  VOCAB_FILE,
} from "./checkpoint";
import { batchOf } from "./data";
import { explainNonFinite } from "./divergence";
import type { Experiment } from "./experiment";
import { saveSpace } from "./space";
import {
  type CurveStep,
  curveStep,
  type LearningCurve,
  type ValidationPoint,
  validationLoss,
  validationSetOf,
} from "./validation";

/** Options of `trainExperiment`: the run directory, resume, where to stop, and a progress label. */
export interface TrainRunOptions {
  out: Output;
  /** Run directory: config, vocabulary, auditory space, checkpoints and the final model go there (none: memory only). */
  dir?: string | null;
  /** Continue from `dir`'s checkpoint. */
  resume?: boolean;
  /** Stop (as if killed) once this many steps have been taken in this process (tests of `--resume`). */
  stopAfter?: number;
  /** Progress label. */
  label?: string;
}

/** What `trainExperiment` returns: the trained parameters, every step's report, the learning curve and the time taken. */
export interface TrainRunResult {
  /** Final theta (new tensors: the caller owns them). */
  params: ParamTree;
  reports: MetaStepReport[];
  /** Steps done in total (all processes). */
  step: number;
  seconds: number;
  /** True when `stopAfter` ended the run early. */
  stopped: boolean;
  /** Every step's training loss and, every `train.validateEvery` steps, the loss on held-out source videos. */
  curve: LearningCurve;
}

/**
 * The tasks of meta-step `step` (Algorithm 1, lines 2-9): episode from the sampler, collated, read as tasks. Under
 * the "paper" reading the sampler also draws a fresh batch of every domain, on which line 9 evaluates its theta'.
 *
 * @param exp - The prepared experiment.
 * @param sampler - The episodic sampler (`samplerOf`).
 * @param step - The meta-step.
 * @param key - Picks each video's caption.
 * @returns The tasks, under `meta.reading`; the caller disposes their batches.
 */
export function tasksOf(exp: Experiment, sampler: EpisodicSampler, step: number, key: Key): Task<CaptionBatch>[] {
  const mb = sampler.episode(step);
  const n = mb.support.length;
  const k = rng.split(key, 2 * n + 2);
  const support = mb.support.map((s, i) => batchOf(s, exp.data, exp.config, k[i]));
  const query = batchOf(mb.query, exp.data, exp.config, k[n]);
  const supportEval = mb.supportEval?.map((s, i) => batchOf(s, exp.data, exp.config, k[n + 1 + i]));
  const queryEval = mb.queryEval ? batchOf(mb.queryEval, exp.data, exp.config, k[2 * n + 1]) : undefined;
  return episodeTasks(
    {
      supportDomains: mb.supportDomains,
      queryDomain: mb.queryDomain,
      support,
      query,
      ...(supportEval ? { supportEval } : {}),
      ...(queryEval ? { queryEval } : {}),
    },
    { reading: exp.config.meta.reading },
  );
}

/**
 * Algorithm 1's sampler for a config: k = batchSize, m = queryBatchSize (default 2k > k, section 3.1).
 *
 * @param exp - The prepared experiment.
 * @returns The sampler over the dataset's source domains.
 */
export function samplerOf(exp: Experiment): EpisodicSampler {
  const { config } = exp;
  return new EpisodicSampler(exp.data.dataset, {
    batchSize: config.train.batchSize,
    queryBatchSize: config.train.queryBatchSize ?? 2 * config.train.batchSize,
    supportDomains: config.train.supportDomains ?? undefined,
    evalBatches: readingNeedsEvalBatches(config.meta.reading),
    seed: config.seed,
  });
}

function releaseTasks(tasks: Task<CaptionBatch>[]): void {
  const seen = new Set<CaptionBatch>();
  for (const t of tasks) for (const b of [...t.support, t.query]) seen.add(b);
  for (const b of seen) disposeBatch(b);
}

/**
 * Meta-train on the source domains (Algorithm 1, lines 1-11) with the configured learner: checkpoints of theta,
 * the outer optimiser's state and the step every `train.checkpointEvery` steps (atomic), so `resume` continues to
 * exactly the parameters an uninterrupted run reaches.
 *
 * @param exp - The prepared experiment.
 * @param options - `out`, the run directory `dir`, `resume`, `stopAfter` and a progress `label`.
 * @returns theta (the caller's), every step's report, the steps done, the seconds, whether it stopped early and the
 *   learning curve.
 * @throws `TavtError` (from `@tavt/core`) `NOT_FOUND` or `CHECKPOINT_CORRUPT` when resuming without a valid checkpoint,
 *   `DIVERGED` when a step diverges.
 */
export async function trainExperiment(exp: Experiment, options: TrainRunOptions): Promise<TrainRunResult> {
  const { config, captioner, learner } = exp;
  const dir = options.dir ?? null;
  const total = config.train.steps;
  const t0 = performance.now();
  let params: ParamTree;
  let state: MetaState | undefined;
  let start = 0;
  if (dir && options.resume) {
    const saved = loadTrainState(dir);
    params = saved.params;
    state = saved.state;
    start = saved.meta.step;
    options.out.note(`resuming ${join(dir, STATE_FILE)} at step ${start}/${total}`);
  } else {
    params = captioner.init(rng.foldIn(exp.key, "init"));
    if (dir) {
      writeFileAtomic(join(dir, CONFIG_FILE), configToYaml(config));
      exp.data.vocab.save(join(dir, VOCAB_FILE));
      if (exp.space) await saveSpace(join(dir, SPACE_FILE), exp.space);
    }
  }
  const sampler = samplerOf(exp);
  const progress = createProgress(options.out, { label: options.label ?? `train ${learner.name}`, total });
  progress.update(start);
  const trainKey = rng.foldIn(exp.key, "train");
  const every = config.train.checkpointEvery;
  const validateEvery = config.train.validateEvery;
  const validation = validateEvery > 0 ? validationSetOf(exp) : null;
  const steps: CurveStep[] = [];
  const points: ValidationPoint[] = [];
  const validate = (step: number, p: ParamTree) => {
    if (validation) points.push({ step, ...validationLoss(exp, p, validation) });
  };
  if (validation && start === 0) validate(0, params);
  let stopped = false;
  let taken = 0;
  let result: Awaited<ReturnType<typeof metaTrain<CaptionBatch>>>;
  try {
    result = await metaTrain<CaptionBatch>({
      params,
      learner,
      state,
      startStep: start,
      steps: Math.max(0, total - start),
      key: trainKey,
      loss: captioner.lossFn({ training: true }),
      sampleTasks: (step, key) => tasksOf(exp, sampler, step, key),
      releaseTasks,
      explainDivergence: ({ params: p, tasks }) =>
        explainNonFinite(
          exp,
          p,
          tasks.map((t) => t.query),
        ),
      onStep: ({ step, report, params: p, state: s }) => {
        const done = step + 1;
        taken++;
        steps.push(curveStep(done, report));
        if (validation && (done % validateEvery === 0 || done === total)) validate(done, p);
        const clippedSoFar = steps.filter((x) => x.clipped).length;
        progress.update(done, {
          loss: report.loss,
          query: report.queryLoss,
          ...(points.length > 0 ? { val: points[points.length - 1]!.total } : {}),
          ...(clippedSoFar > 0 ? { clipped: clippedSoFar } : {}),
        });
        if (dir && every > 0 && done % every === 0 && done < total) {
          saveTrainState(dir, p, s, { step: done, steps: total, seed: config.seed, learner: learner.name });
        }
        if (options.stopAfter !== undefined && taken >= options.stopAfter && done < total) {
          stopped = true;
          return false;
        }
        return undefined;
      },
    });
  } finally {
    progress.stop();
    disposeTree(params);
    if (state) learner.disposeState(state);
    validation?.dispose();
  }
  const clipped = steps.filter((x) => x.clipped);
  if (clipped.length > 0 && config.meta.clipNorm !== null) {
    const max = Math.max(...clipped.map((x) => x.gradNorm));
    options.out.note(
      `${options.label ?? `train ${learner.name}`}: gradient clipped to norm ${config.meta.clipNorm} on ${clipped.length} of ${steps.length} steps (largest norm ${max.toPrecision(3)})`,
    );
  }
  const step = start + result.reports.length;
  if (dir && !stopped) {
    saveTrainState(dir, result.params, result.state, { step, steps: total, seed: config.seed, learner: learner.name });
    saveModel(join(dir, MODEL_FILE), result.params, {
      kind: config.model.kind,
      learner: learner.name,
      seed: String(config.seed),
      step: String(step),
      modelConfig: JSON.stringify(exp.modelConfig),
    });
  }
  learner.disposeState(result.state);
  return {
    params: result.params,
    reports: result.reports,
    step,
    seconds: (performance.now() - t0) / 1000,
    stopped,
    curve: { steps, validation: points, validationSet: validation?.describe ?? "none" },
  };
}
