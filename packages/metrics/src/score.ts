import { bleuCooked } from "./bleu";
import { ciderCooked } from "./cider";
import type { Candidates, InputFiles, References } from "./io";
import { validateInputs } from "./io";
import { defaultMeteorScorer, type MeteorOptions, MeteorScorer } from "./meteor/meteor";
import { cookCorpus } from "./ngrams";
import { rougeL } from "./rouge";
import { tokenize } from "./tokenizer";

/** The four metric families; `score` computes the ones asked for. */
export type MetricName = "bleu" | "meteor" | "rouge" | "cider";
/** Every metric family, in the order `score` computes them. */
export const ALL_METRICS: readonly MetricName[] = ["bleu", "meteor", "rouge", "cider"];

/** coco-caption's result keys of each metric family. */
export type MetricKey<M extends MetricName = MetricName> = M extends "bleu"
  ? "Bleu_1" | "Bleu_2" | "Bleu_3" | "Bleu_4"
  : M extends "meteor"
    ? "METEOR"
    : M extends "rouge"
      ? "ROUGE_L"
      : "CIDEr";

/** Scores under coco-caption's key names. */
export type CocoScores<M extends MetricName = MetricName> = { [K in MetricKey<M>]: number };

/** Corpus scores, plus per-item scores (by id) when asked for. */
export type ScoreResult<M extends MetricName = MetricName> = CocoScores<M> & {
  perItem?: Record<string, CocoScores<M>>;
};

/** Options of {@link score}. */
export interface ScoreOptions<M extends MetricName = MetricName> {
  /** Metric families to compute. Default: all four. */
  metrics?: readonly M[];
  /** Run coco-caption's tokenizer path (PTB tokens, lower case, punctuation removed) first. Default true. */
  tokenize?: boolean;
  /** Also return each item's scores under `perItem`. Default false. */
  perItem?: boolean;
  /** METEOR settings (modules, paraphrase table, ...), or a ready scorer to reuse its loaded resources. */
  meteor?: MeteorOptions | MeteorScorer;
  /** File names for error messages. */
  files?: InputFiles;
}

/**
 * Score candidate captions against references as coco-caption's COCOEvalCap does: tokenize (optional), then
 * BLEU-1..4, METEOR, ROUGE-L and CIDEr-D over the candidate ids. Inputs are checked first (MetricsInputError,
 * code "BAD_INPUT", naming the id). Returns `{ Bleu_1, Bleu_2, Bleu_3, Bleu_4, METEOR, ROUGE_L, CIDEr }`
 * (the requested ones) and, with `perItem`, the same per id.
 *
 * @param refs - Reference captions per id, `{ id: [caption, ...] }`.
 * @param cands - One candidate caption per id, `{ id: caption }`; every id needs references.
 * @param options - Which metrics (`metrics`, default all), whether to tokenize (`tokenize`, default true), per-item
 *   scores (`perItem`), METEOR settings or a scorer to reuse (`meteor`), file names for messages (`files`).
 * @returns coco-caption's keys, unscaled (multiply by 100 for the usual tables), and `perItem` when asked for.
 * @throws {@link MetricsInputError} (code `BAD_INPUT`) for a candidate without references, an empty reference list
 *   or a caption that is not a string.
 * @example
 * ```ts
 * const s = score({ v1: ["a dog runs", "a dog is running"] }, { v1: "a dog is running" });
 * console.log(s.Bleu_4, s.CIDEr);
 * ```
 */
export function score<M extends MetricName = MetricName>(
  refs: References,
  cands: Candidates,
  options: ScoreOptions<M> = {},
): ScoreResult<M> {
  validateInputs(refs, cands, options.files);
  const metrics: readonly MetricName[] = options.metrics ?? ALL_METRICS;
  const ids = Object.keys(cands);
  const tok = options.tokenize ?? true;
  const prep = tok ? (s: string) => tokenize(s) : (s: string) => s;
  const r = ids.map((id) => refs[id]!.map(prep));
  const c = ids.map((id) => prep(cands[id]!));
  const corpus: Record<string, number> = {};
  const items: Record<string, number[]> = {};
  const cooked =
    metrics.includes("bleu") || metrics.includes("cider") ? cookCorpus(r, c, 4, metrics.includes("cider")) : undefined;
  if (metrics.includes("bleu")) {
    const b = bleuCooked(cooked!);
    for (let k = 0; k < 4; k++) {
      corpus[`Bleu_${k + 1}`] = b.corpus[k]!;
      items[`Bleu_${k + 1}`] = b.items[k]!;
    }
  }
  if (metrics.includes("meteor")) {
    const m = options.meteor;
    const scorer =
      m instanceof MeteorScorer ? m : m && Object.keys(m).length > 0 ? new MeteorScorer(m) : defaultMeteorScorer();
    const res = scorer.score(r, c);
    corpus.METEOR = res.corpus;
    items.METEOR = res.items;
  }
  if (metrics.includes("rouge")) {
    const res = rougeL(r, c);
    corpus.ROUGE_L = res.corpus;
    items.ROUGE_L = res.items;
  }
  if (metrics.includes("cider")) {
    const res = ciderCooked(cooked!);
    corpus.CIDEr = res.corpus;
    items.CIDEr = res.items;
  }
  const out = corpus as ScoreResult<M>;
  if (options.perItem) {
    const per: Record<string, Record<string, number>> = {};
    ids.forEach((id, i) => {
      const row: Record<string, number> = {};
      for (const [k, v] of Object.entries(items)) row[k] = v[i]!;
      per[id] = row;
    });
    out.perItem = per as Record<string, CocoScores<M>>;
  }
  return out;
}
