import { type ParamTree, rng } from "@tavt/core";
import { disposeBatch, miniBatches } from "@tavt/datasets";
import { score } from "@tavt/metrics";
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

export const SCORE_COLUMNS = ["BLEU1", "BLEU4", "METEOR", "ROUGE_L", "CIDEr"] as const;

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

export interface EvaluationResult {
  scores: CaptionScores;
  captions: GeneratedCaption[];
}

export interface CaptionVideosOptions {
  /** Called after each batch with the number of videos captioned so far (of `ids.length`). */
  onBatch?: (videosDone: number) => void;
}

/** Caption videos (beam search, or greedy) in batches, keeping the alpha traces. */
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

/** BLEU-4, METEOR, ROUGE-L and CIDEr-D (coco-caption's definitions, @tavt/metrics) of generated captions, x100. */
export function scoreCaptions(captions: readonly GeneratedCaption[]): CaptionScores {
  const refs: Record<string, string[]> = {};
  const cands: Record<string, string> = {};
  for (const c of captions) {
    refs[c.id] = c.references;
    cands[c.id] = c.caption;
  }
  const s = score(refs, cands);
  return {
    BLEU1: 100 * s.Bleu_1,
    BLEU4: 100 * s.Bleu_4,
    METEOR: 100 * s.METEOR,
    ROUGE_L: 100 * s.ROUGE_L,
    CIDEr: 100 * s.CIDEr,
  };
}

/** The ids of a domain's split, at most `eval.limit` of them (a seeded choice when limited). */
export function evalIds(exp: Experiment, domain: string): string[] {
  const ids = exp.data.dataset.ids({ domains: [domain], split: exp.config.eval.split });
  const limit = exp.config.eval.limit;
  if (limit === null || ids.length <= limit) return ids;
  const perm = rng.permutation(rng.foldIn(exp.key, `eval:${domain}`), ids.length);
  return Array.from(perm.subarray(0, limit), (i) => ids[i]!).sort();
}

/** Caption and score the eval split of some domains. */
export function evaluateDomains(exp: Experiment, params: ParamTree, domains: readonly string[]): EvaluationResult {
  const captions = domains.flatMap((d) => captionVideos(exp, params, evalIds(exp, d)));
  return { scores: scoreCaptions(captions), captions };
}

/** Alpha traces of the first `n` captions that have them (Figure 11). */
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
