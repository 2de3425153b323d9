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

/**
 * The shared protocol of the paper's transfer experiments: for each seed and method, meta-train on the source
 * domains, then for each target (group) and support fraction adapt (meta-test, Algorithm 1 lines 12-16) and
 * caption and score the target's test split. Data and auditory spaces are shared among methods that agree on them.
 */
export async function runTransfer(spec: TransferSpec): Promise<TransferResult> {
  const t0 = performance.now();
  await ensureBackend(spec.out);
  const dataCache = new Map<string, ExperimentData>();
  const spaceCache = new Map<string, AuditorySpaceLike>();
  const rows: TransferRow[] = [];
  const configs: Record<string, ExperimentConfig> = {};
  let captions: GeneratedCaption[] = [];
  const curves: CurveRecord[] = [];
  for (const seed of spec.seeds) {
    for (const v of spec.variants) {
      const config = resolveConfig({
        preset: spec.preset,
        sets: [...(v.base ?? []), ...spec.sets, ...v.sets, `seed=${seed}`],
      });
      configs[v.name] ??= config;
      const dataKey = JSON.stringify(config.data);
      let data = dataCache.get(dataKey);
      if (!data) {
        data = await loadExperimentData(config);
        dataCache.set(dataKey, data);
        spec.out.note(data.describe);
      }
      let space: AuditorySpaceLike | null = null;
      if (needsBank(config)) {
        const spaceKey = JSON.stringify([dataKey, config.space, config.model.clipLen, seed]);
        space = spaceCache.get(spaceKey) ?? null;
        if (!space) {
          space = await spaceFor(config, data);
          spaceCache.set(spaceKey, space);
        }
      }
      const exp = await prepareExperiment(config, { data, space });
      spec.out.note(`[seed ${seed}] ${v.name}: meta-training (${exp.learner.name}, ${config.train.steps} steps)`);
      let trained: Awaited<ReturnType<typeof trainExperiment>>;
      try {
        trained = await trainExperiment(exp, { out: spec.out, label: `${v.name} s${seed}` });
      } catch (e) {
        if (!(spec.continueOnDivergence && isTavtError(e) && e.code === "DIVERGED")) throw e;
        spec.out.note(`[seed ${seed}] ${v.name}: ${e.message}`);
        curves.push({
          method: v.name,
          seed,
          curve: { steps: [], validation: [], validationSet: "" },
          diverged: e.message,
        });
        exp.dispose();
        continue;
      }
      curves.push({ method: v.name, seed, curve: trained.curve });
      const groups = spec.targets?.(config) ?? exp.data.dataset.targetDomains.map((d) => ({ name: d, domains: [d] }));
      for (const g of groups) {
        for (const fraction of spec.fractions ?? [config.adapt.fraction]) {
          const adapted = await adaptExperiment(exp, trained.params, g.domains, {
            out: spec.out,
            label: `${v.name} s${seed} -> ${g.name}${spec.fractions ? ` ${fraction * 100}%` : ""}`,
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
            method: v.name,
            target: g.name,
            seed,
            fraction,
            ...scores,
            trainSeconds: trained.seconds,
            adaptLoss: adapted.lossUsed,
            ...diagnosticsOf(diversity),
          });
          spec.out.note(
            `[seed ${seed}] ${v.name} -> ${g.name}${spec.fractions ? ` (${fraction * 100}%)` : ""}: BLEU-4 ${scores.BLEU4.toFixed(2)} METEOR ${scores.METEOR.toFixed(2)} ROUGE-L ${scores.ROUGE_L.toFixed(2)} CIDEr ${scores.CIDEr.toFixed(2)}; ${diversity.distinctCaptions}/${diversity.videos} distinct captions, ${diversity.vocabulary} words`,
          );
        }
      }
      disposeTree(trained.params);
      exp.dispose();
    }
  }
  for (const d of dataCache.values()) d.dataset.close();
  return { rows, configs, captions, curves, seconds: (performance.now() - t0) / 1000 };
}
