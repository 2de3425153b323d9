import { join } from "node:path";
import { type Key, rng, type tf } from "@tavt/core";
import { getMetaLearner, type MetaLearner } from "@tavt/meta";
import type { Captioner, TavtConfig } from "@tavt/model";
import type { ExperimentConfig } from "../config/schema";
import { SPACE_FILE, VOCAB_FILE } from "./checkpoint";
import { type ExperimentData, loadExperimentData, loadVocabulary } from "./data";
import { isLearnerFile, learnerFileName, resolveLearnerName } from "./learnerModule";
import { makeCaptioner, modelConfigOf, needsBank } from "./model";
import { type AuditorySpaceLike, bankOf, loadSpace, spaceFor } from "./space";

/** Everything a pipeline needs: data, vocabulary, auditory space, captioner and meta-learner. */
export interface Experiment {
  config: ExperimentConfig;
  data: ExperimentData;
  /** The universal auditory space (null for models without an AVMM). */
  space: AuditorySpaceLike | null;
  bank: tf.Tensor2D | null;
  modelConfig: TavtConfig;
  captioner: Captioner;
  learner: MetaLearner;
  /** The run's root key (seeded by `config.seed`). */
  key: Key;
  dispose(): void;
}

/** Options of `prepareExperiment`: data or an auditory space already loaded, or a run directory to load them from. */
export interface PrepareOptions {
  /** Reuse loaded data (benchmarks share one dataset among their rows). */
  data?: ExperimentData;
  /** Reuse an auditory space. */
  space?: AuditorySpaceLike | null;
  /** A run directory holding `vocab.json` and `space.safetensors` to load instead of building. */
  fromDir?: string;
}

/**
 * The meta-learner a config names, with its settings. `meta.learner` is a registered name or a learner file; a file
 * must have been loaded (`prepareExperiment` does it, or `resolveLearnerName`).
 *
 * @param config - The experiment config (`meta` section).
 * @returns A new learner with the config's settings.
 * @throws `TavtError` (from `@tavt/core`) `NOT_FOUND` for an unknown learner name, `BAD_CONFIG` for settings out of
 *   range.
 */
export function learnerOf(config: ExperimentConfig): MetaLearner {
  const m = config.meta;
  return getMetaLearner(isLearnerFile(m.learner) ? learnerFileName(m.learner) : m.learner, {
    innerLr: m.innerLr,
    innerOptimizer: m.innerOptimizer,
    innerSteps: m.innerSteps,
    outerLr: m.outerLr,
    outerSchedule: {
      warmupSteps: m.warmup,
      decay: m.decay,
      totalSteps: Math.max(1, config.train.steps),
      minLrRatio: m.minLrRatio,
    },
    ...(m.clipNorm !== null ? { clipNorm: m.clipNorm } : {}),
  });
}

/**
 * Load data, build (or load) the auditory space, and make the captioner and the learner of a config.
 *
 * @param config - The experiment config.
 * @param options - Data or an auditory space to reuse, or `fromDir`, a run directory to load them from.
 * @returns The experiment: config, data, auditory space and bank, model config, captioner, learner and root key.
 * @throws `TavtError` (from `@tavt/core`) `NOT_FOUND` for an unknown learner or a missing file, `BAD_CONFIG` or
 *   `BAD_INPUT` for a config or data that does not fit, `BAD_FILE` for a malformed file.
 */
export async function prepareExperiment(config: ExperimentConfig, options: PrepareOptions = {}): Promise<Experiment> {
  await resolveLearnerName(config.meta.learner); // a learner file is loaded and registered
  const learner = learnerOf(config); // fails early on an unknown learner name
  const vocab = options.fromDir ? loadVocabulary(join(options.fromDir, VOCAB_FILE)) : undefined;
  const data = options.data ?? (await loadExperimentData(config, vocab));
  let space: AuditorySpaceLike | null = options.space ?? null;
  if (!space && needsBank(config)) {
    if (options.fromDir && !config.space.path) space = await loadSpace(join(options.fromDir, SPACE_FILE));
    else space = await spaceFor(config, data);
  }
  const modelConfig = modelConfigOf(config, data, space?.k ?? config.space.k);
  const bank = space ? bankOf(space) : null;
  const captioner = makeCaptioner(config, modelConfig, bank);
  return {
    config,
    data,
    space,
    bank,
    modelConfig,
    captioner,
    learner,
    key: rng.key(config.seed),
    dispose() {
      bank?.dispose();
    },
  };
}
