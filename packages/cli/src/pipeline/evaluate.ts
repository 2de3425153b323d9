import { existsSync } from "node:fs";
import { type ParamTree, rng, TavtError } from "@tavt/core";
import { disposeBatch, miniBatches } from "@tavt/datasets";
import { MeteorScorer, score } from "@tavt/metrics";
import type { MetricsConfig } from "../config/schema";
import type { AlphaTrace } from "../report/charts";
import { batchOf } from "./data";
import type { Experiment } from "./experiment";

/** The metrics of the paper's tables (x100, as the paper prints them). */
export interface CaptionScores {
  BLEU1: number;
  BLEU4: number;
  METEOR: number;
  ROUGE_L: number;
  CIDEr: number;
}

/** The score columns of an evaluation table, in order. */
export const SCORE_COLUMNS = ["BLEU1", "BLEU4", "METEOR", "ROUGE_L", "CIDEr"] as const;

/** One generated caption with its video id and per-word alpha traces. */
export interface GeneratedCaption {
  id: string;
  domain: string;
  caption: string;
  words: string[];
  /** Per word: mean over d of alpha_av / alpha_va (Figure 11); empty for single-stream models. */
  alphaAv: number[];
  alphaVa: number[];
  references: string[];
}

/** What evaluating one domain returns: its scores and its captions. */
export interface EvaluationResult {
  scores: CaptionScores;
  captions: GeneratedCaption[];
}

/** Options of `captionVideos`: a callback after each batch. */
export interface CaptionVideosOptions {
  /** Called after each batch with the number of videos captioned so far (of `ids.length`). */
  onBatch?: (videosDone: number) => void;
}

/**
 * Caption videos (beam search, or greedy) in batches, keeping the alpha traces.
 *
 * @param exp - The prepared experiment.
 * @param params - The parameters to caption with.
 * @param ids - The videos to caption.
 * @param options - `onBatch`, called after each batch.
 * @returns One caption per video, with its words, alpha traces and references.
 */
export function captionVideos(
  exp: Experiment,
  params: ParamTree,
  ids: readonly string[],
  options: CaptionVideosOptions = {},
): GeneratedCaption[] {
  const { config, data } = exp;
  const out: GeneratedCaption[] = [];
  for (const chunk of miniBatches(ids, config.eval.batchSize)) {
    const samples = data.dataset.samples(chunk);
    const batch = batchOf(samples, data, config);
    try {
      const decoded = exp.captioner.caption(params, batch, {
        greedy: config.eval.greedy,
        beam: config.eval.beam,
        decode: (w) => data.vocab.decode(w),
      });
      decoded.forEach((d, i) => {
        const s = samples[i]!;
        out.push({
          id: s.id,
          domain: s.domain,
          caption: d.caption,
          words: d.ids.map((w) => data.vocab.word(w)),
          alphaAv: d.alphaAv,
          alphaVa: d.alphaVa,
          references: s.captions,
        });
      });
    } finally {
      disposeBatch(batch);
    }
    options.onBatch?.(out.length);
  }
  return out;
}

const paraphraseScorers = new Map<string, MeteorScorer>();

/**
 * The METEOR scorer with Meteor's paraphrase module on `table` (a Meteor 1.5 paraphrase table), loaded once per
 * file and reused. A missing or unreadable file is a user error naming `field`.
 *
 * @param table - The paraphrase table file.
 * @param field - The config key or option that named it, for errors.
 * @returns The scorer.
 * @throws `TavtError` (from `@tavt/core`) `NOT_FOUND` for a missing file, `BAD_FILE` for an unreadable one.
 */
export function paraphraseMeteor(table: string, field = "metrics.meteor.paraphraseTable"): MeteorScorer {
  const cached = paraphraseScorers.get(table);
  if (cached) return cached;
  if (!existsSync(table)) {
    throw new TavtError("NOT_FOUND", `${field} ${table}: paraphrase table not found (Meteor 1.5's paraphrase-en.gz)`, {
      file: table,
      field,
    });
  }
  let scorer: MeteorScorer;
  try {
    scorer = new MeteorScorer({ paraphraseTable: table });
  } catch (e) {
    throw new TavtError("BAD_FILE", `${field} ${table}: not a Meteor paraphrase table (${(e as Error).message})`, {
      file: table,
      field,
    });
  }
  paraphraseScorers.set(table, scorer);
  return scorer;
}

/**
 * BLEU-4, METEOR, ROUGE-L and CIDEr-D (coco-caption's definitions, @tavt/metrics) of generated captions, x100.
 * `metrics` is the config's `metrics` section: `meteor.paraphraseTable` adds METEOR's paraphrase module.
 *
 * @param captions - The generated captions with their references.
 * @param metrics - The config's `metrics` section.
 * @returns BLEU-1, BLEU-4, METEOR, ROUGE-L and CIDEr-D, each x100.
 * @throws `TavtError` (from `@tavt/core`) `NOT_FOUND` or `BAD_FILE` for the paraphrase table.
 */
export function scoreCaptions(captions: readonly GeneratedCaption[], metrics?: MetricsConfig): CaptionScores {
  const refs: Record<string, string[]> = {};
  const cands: Record<string, string> = {};
  for (const c of captions) {
    refs[c.id] = c.references;
    cands[c.id] = c.caption;
  }
  const table = metrics?.meteor?.paraphraseTable;
  const s = score(refs, cands, table ? { meteor: paraphraseMeteor(table) } : {});
  return {
    BLEU1: 100 * s.Bleu_1,
    BLEU4: 100 * s.Bleu_4,
    METEOR: 100 * s.METEOR,
    ROUGE_L: 100 * s.ROUGE_L,
    CIDEr: 100 * s.CIDEr,
  };
}

/**
 * The ids of a domain's split, at most `eval.limit` of them (a seeded choice when limited).
 *
 * @param exp - The prepared experiment.
 * @param domain - A domain's name.
 * @returns The ids of the domain's `eval.split`, at most `eval.limit` (a seeded choice, sorted).
 */
export function evalIds(exp: Experiment, domain: string): string[] {
  const ids = exp.data.dataset.ids({ domains: [domain], split: exp.config.eval.split });
  const limit = exp.config.eval.limit;
  if (limit === null || ids.length <= limit) return ids;
  const perm = rng.permutation(rng.foldIn(exp.key, `eval:${domain}`), ids.length);
  return Array.from(perm.subarray(0, limit), (i) => ids[i]!).sort();
}

/**
 * Caption and score the eval split of some domains.
 *
 * @param exp - The prepared experiment.
 * @param params - The parameters to caption with.
 * @param domains - The domains to evaluate together.
 * @returns The scores over all their captions, and the captions.
 */
export function evaluateDomains(exp: Experiment, params: ParamTree, domains: readonly string[]): EvaluationResult {
  const captions = domains.flatMap((d) => captionVideos(exp, params, evalIds(exp, d)));
  return { scores: scoreCaptions(captions, exp.config.metrics), captions };
}

/**
 * Alpha traces of the first `n` captions that have them (Figure 11).
 *
 * @param captions - The generated captions.
 * @param n - How many traces (4 by default).
 * @param label - Put before each caption's id in its label.
 * @returns The first `n` captions' alpha traces (single-stream captions have none and are skipped).
 */
export function tracesOf(captions: readonly GeneratedCaption[], n = 4, label = ""): AlphaTrace[] {
  return captions
    .filter((c) => c.alphaAv.length > 0 && c.words.length > 0)
    .slice(0, n)
    .map((c) => ({
      label: `${label}${c.id}`, // the caption's words are on the chart's axis
      words: c.words,
      alphaAv: c.alphaAv,
      alphaVa: c.alphaVa,
    }));
}
