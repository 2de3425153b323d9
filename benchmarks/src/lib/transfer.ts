import {
  type AuditorySpaceLike,
  adaptExperiment,
  type CaptionScores,
  captionVideos,
  type ExperimentConfig,
  type ExperimentData,
  ensureBackend,
  evalIds,
  type GeneratedCaption,
  type LearningCurve,
  loadExperimentData,
  needsBank,
  type Output,
  prepareExperiment,
  resolveConfig,
  scoreCaptions,
  spaceFor,
  trainExperiment,
} from "@tavt/cli";
import { disposeTree, isTavtError } from "@tavt/core";
import { type CaptionDiversity, captionDiversity } from "@tavt/metrics";
import { runInWorkers } from "./workers";

/** One row of a results table: a method (model, learner, ablation) given as config overrides. */
export interface Variant {
  name: string;
  sets: string[];
  /**
   * Overrides applied before the benchmark's settings and the user's --set (which win over them): a method's tuned
   * defaults, such as the outer learning rate `benchmarks:lr-search` chose for it.
   */
  base?: string[];
}

/** Where a trained model is tested: one domain, or the union of several (the paper's MSR-VTT-dagger). */
export interface TargetGroup {
  name: string;
  domains: string[];
}

export interface TransferSpec {
  preset: "quick" | "default" | "paper";
  /** Overrides every variant shares (the benchmark's settings, then the user's --set). */
  sets: string[];
  variants: Variant[];
  seeds: number[];
  /** Target groups; default each of the config's target domains on its own. */
  targets?: (config: ExperimentConfig) => TargetGroup[];
  /** Shares of each target's support set to adapt on (Figure 5); default [adapt.fraction]. */
  fractions?: number[];
  /**
   * Record a run whose meta-training diverges (a `DIVERGED` error) in its curve record and go on with the next,
   * instead of stopping the benchmark (the learning-rate search, where a too-large rate is an expected outcome).
   */
  continueOnDivergence?: boolean;
  /**
   * How many (seed, method) runs go at once, each in its own worker process with one BLAS thread (default 1: all
   * in this process). Rows, curves and captions are the same for any count; only the wall time changes.
   */
  jobs?: number;
  out: Output;
}

/** One measured cell: a method on a target at a seed (and a support fraction). */
export interface TransferRow extends CaptionScores {
  method: string;
  target: string;
  seed: number;
  fraction: number;
  trainSeconds: number;
  /** "full" or "cap" (audio-absent target: L_cap with the AVMM frozen). */
  adaptLoss: string;
  /** Caption diagnostics (@tavt/metrics captionDiversity): distinct captions per test video, x100. */
  distinct: number;
  /** Distinct words over the method's captions of this target. */
  vocabulary: number;
  /** Mean caption length in words. */
  length: number;
  /** Mean reference length in words (the same videos' references). */
  refLength: number;
}

/** The learning curve of one method at one seed. */
export interface CurveRecord {
  method: string;
  seed: number;
  curve: LearningCurve;
  /** Why meta-training stopped early (the `DIVERGED` message), when `continueOnDivergence` let the run go on. */
  diverged?: string;
}

export interface TransferResult {
  rows: TransferRow[];
  /** The resolved config of each method (seed of the first run). */
  configs: Record<string, ExperimentConfig>;
  /** Some of the first TAVT method's captions on the first target (for the alpha-trace figure). */
  captions: GeneratedCaption[];
  /** Each method's and seed's meta-training curve (training loss per step, validation loss every N steps). */
  curves: CurveRecord[];
  seconds: number;
  /** Runs that went at once (worker processes; 1 or absent: all in the calling process). */
  jobs?: number;
}

/** The caption diversity of generated captions against their references (@tavt/metrics). */
export function diversityOf(caps: readonly GeneratedCaption[]): CaptionDiversity {
  return captionDiversity(
    Object.fromEntries(caps.map((c) => [c.id, c.caption])),
    Object.fromEntries(caps.map((c) => [c.id, c.references])),
  );
}

/** A results row's caption diagnostics. */
export function diagnosticsOf(
  d: CaptionDiversity,
): Pick<TransferRow, "distinct" | "vocabulary" | "length" | "refLength"> {
  return {
    distinct: 100 * d.distinctShare,
    vocabulary: d.vocabulary,
    length: d.meanLength,
    refLength: d.referenceLength,
  };
}

/** One meta-training run and everything measured on it: a method at a seed, as plain data (a worker gets it as JSON). */
export interface TransferJob {
  method: string;
  seed: number;
  /** The method's resolved config (seed included). */
  config: ExperimentConfig;
  /** Where it is tested; null: each of the dataset's target domains on its own. */
  groups: TargetGroup[] | null;
  /** Support fractions (Figure 5); null: the config's adapt.fraction, not named in labels. */
  fractions: number[] | null;
  continueOnDivergence: boolean;
}

/** What one job produced. */
export interface JobResult {
  rows: TransferRow[];
  curve: CurveRecord;
  /** The first target's first captions, where the method is TAVT with sight and sound (the alpha-trace figure). */
  captions: GeneratedCaption[];
}

/** Data and auditory spaces a process keeps between jobs (methods that agree on them share them). */
export class JobCaches {
  readonly data = new Map<string, ExperimentData>();
  readonly spaces = new Map<string, AuditorySpaceLike>();

  /** Closes every dataset opened. */
  close(): void {
    for (const d of this.data.values()) d.dataset.close();
    this.data.clear();
    this.spaces.clear();
  }
}

/**
 * One job of the transfer protocol: meta-train the method at its seed on the source domains, then for each target
 * (group) and support fraction adapt (meta-test, Algorithm 1 lines 12-16), caption and score the target's test split.
 *
 * @param job - The method, seed, config, targets and fractions.
 * @param caches - Data and spaces kept between jobs of this process.
 * @param out - Progress and notes.
 * @param describeData - Note each dataset as it is opened (worker processes other than the first do not, so that the
 *   note is printed once).
 * @returns The rows, the learning curve and (for TAVT) some captions.
 */
export async function runJob(
  job: TransferJob,
  caches: JobCaches,
  out: Output,
  describeData = true,
): Promise<JobResult> {
  const { config, seed, method } = job;
  const dataKey = JSON.stringify(config.data);
  let data = caches.data.get(dataKey);
  if (!data) {
    data = await loadExperimentData(config);
    caches.data.set(dataKey, data);
    if (describeData) out.note(data.describe);
  }
  let space: AuditorySpaceLike | null = null;
  if (needsBank(config)) {
    const spaceKey = JSON.stringify([dataKey, config.space, config.model.clipLen, seed]);
    space = caches.spaces.get(spaceKey) ?? null;
    if (!space) {
      space = await spaceFor(config, data);
      caches.spaces.set(spaceKey, space);
    }
  }
  const exp = await prepareExperiment(config, { data, space });
  try {
    out.note(`[seed ${seed}] ${method}: meta-training (${exp.learner.name}, ${config.train.steps} steps)`);
    let trained: Awaited<ReturnType<typeof trainExperiment>>;
    try {
      trained = await trainExperiment(exp, { out, label: `${method} s${seed}` });
    } catch (e) {
      if (!(job.continueOnDivergence && isTavtError(e) && e.code === "DIVERGED")) throw e;
      out.note(`[seed ${seed}] ${method}: ${e.message}`);
      const curve = { steps: [], validation: [], validationSet: "" };
      return { rows: [], curve: { method, seed, curve, diverged: e.message }, captions: [] };
    }
    const rows: TransferRow[] = [];
    let captions: GeneratedCaption[] = [];
    const groups = job.groups ?? exp.data.dataset.targetDomains.map((d) => ({ name: d, domains: [d] }));
    for (const g of groups) {
      for (const fraction of job.fractions ?? [config.adapt.fraction]) {
        const pct = job.fractions ? ` ${fraction * 100}%` : "";
        const adapted = await adaptExperiment(exp, trained.params, g.domains, {
          out,
          label: `${method} s${seed} -> ${g.name}${pct}`,
          fraction,
        });
        const caps = g.domains.flatMap((d) => captionVideos(exp, adapted.params, evalIds(exp, d)));
        disposeTree(adapted.params);
        const scores = scoreCaptions(caps, config.metrics);
        const diversity = diversityOf(caps);
        if (captions.length === 0 && config.model.kind === "tavt" && !config.model.ablation.visualOnly) {
          captions = caps.slice(0, 8);
        }
        rows.push({
          method,
          target: g.name,
          seed,
          fraction,
          ...scores,
          trainSeconds: trained.seconds,
          adaptLoss: adapted.lossUsed,
          ...diagnosticsOf(diversity),
        });
        out.note(
          `[seed ${seed}] ${method} -> ${g.name}${job.fractions ? ` (${fraction * 100}%)` : ""}: BLEU-4 ${scores.BLEU4.toFixed(2)} METEOR ${scores.METEOR.toFixed(2)} ROUGE-L ${scores.ROUGE_L.toFixed(2)} CIDEr ${scores.CIDEr.toFixed(2)}; ${diversity.distinctCaptions}/${diversity.videos} distinct captions, ${diversity.vocabulary} words`,
        );
      }
    }
    disposeTree(trained.params);
    return { rows, curve: { method, seed, curve: trained.curve }, captions };
  } finally {
    exp.dispose();
  }
}

/**
 * The jobs of a spec, seed by seed and in the variants' order. Every config is resolved here, so a bad override
 * stops the benchmark before any training.
 */
export function transferJobs(spec: TransferSpec): TransferJob[] {
  return spec.seeds.flatMap((seed) =>
    spec.variants.map((v) => {
      const config = resolveConfig({
        preset: spec.preset,
        sets: [...(v.base ?? []), ...spec.sets, ...v.sets, `seed=${seed}`],
      });
      return {
        method: v.name,
        seed,
        config,
        groups: spec.targets?.(config) ?? null,
        fractions: spec.fractions ?? null,
        continueOnDivergence: spec.continueOnDivergence ?? false,
      };
    }),
  );
}

/**
 * The shared protocol of the paper's transfer experiments: for each seed and method, meta-train on the source
 * domains, then for each target (group) and support fraction adapt and caption and score the target's test split
 * (`runJob`). With `jobs` > 1 the runs go at once in worker processes (./workers.ts); the result is assembled in the
 * same order either way.
 */
export async function runTransfer(spec: TransferSpec): Promise<TransferResult> {
  const t0 = performance.now();
  await ensureBackend(spec.out);
  const jobs = transferJobs(spec);
  const configs: Record<string, ExperimentConfig> = {};
  for (const j of jobs) configs[j.method] ??= j.config;
  const workers = Math.max(1, Math.min(spec.jobs ?? 1, jobs.length));
  let results: JobResult[];
  if (workers === 1) {
    const caches = new JobCaches();
    results = [];
    try {
      for (const j of jobs) results.push(await runJob(j, caches, spec.out));
    } finally {
      caches.close();
    }
  } else {
    results = await runInWorkers(jobs, workers, spec.out);
  }
  return {
    rows: results.flatMap((r) => r.rows),
    configs,
    captions: results.find((r) => r.captions.length > 0)?.captions ?? [],
    curves: results.map((r) => r.curve),
    seconds: (performance.now() - t0) / 1000,
    jobs: workers,
  };
}
