import type { ColumnTable } from "arquero";
import type { CaptionDataset } from "./dataset";
import { type BuildVocabularyOptions, buildVocabulary, captionTokens, type Vocabulary } from "./vocabulary";

/** One row of `datasetStats`: a domain (or "all"). */
export interface DomainStatsRow {
  domain: string;
  role: string;
  videos: number;
  train: number;
  test: number;
  captions: number;
  captionsPerVideo: number;
  wordsPerCaption: number;
  /** Whether the domain's videos have audio. */
  audio: boolean;
}

export interface DatasetStats {
  /** Per-domain rows (dataset order) then an "all" row, as an arquero table (`table.print()`, `toCSV`, ...). */
  table: ColumnTable;
  rows: DomainStatsRow[];
  /** Tokens in the dataset's joint vocabulary (specials included), or the given vocabulary's size. */
  vocabularySize: number;
  /** Distinct caption words before the `minCount` cut. */
  distinctWords: number;
}

/**
 * Per-domain counts of a dataset: videos, train/test split sizes, captions per video, words per caption (metrics
 * tokenizer), and the vocabulary size (built with `minCount`, default 3, unless `vocabulary` is given).
 * Async because arquero is an ES module, loaded on first use (so `require("@tavt/datasets")` works too).
 */
export async function datasetStats(
  dataset: CaptionDataset,
  options: BuildVocabularyOptions & { vocabulary?: Vocabulary } = {},
): Promise<DatasetStats> {
  const aq = await import("arquero");
  const perVideo = dataset.videos.map((v) => ({
    domain: v.domain,
    train: v.split === "train" ? 1 : 0,
    test: v.split === "test" ? 1 : 0,
    captions: v.captions.length,
    words: v.captions.reduce((n, c) => n + captionTokens(c).length, 0),
  }));
  const rollup = {
    videos: "count()",
    train: "d => op.sum(d.train)",
    test: "d => op.sum(d.test)",
    captions: "d => op.sum(d.captions)",
    words: "d => op.sum(d.words)",
  };
  const videos = aq.from(perVideo);
  const byDomain = videos.groupby("domain").rollup(rollup);
  const all = videos.rollup(rollup).derive({ domain: () => "all" });
  const order = new Map(dataset.domains.map((d, i) => [d, i]));
  const roles = Object.fromEntries(dataset.domains.map((d) => [d, dataset.role(d)]));
  const audio = Object.fromEntries(
    dataset.domains.map((d) => [d, dataset.audio !== null && !dataset.audioAbsentDomains.has(d)]),
  );
  const table = byDomain
    .params({ order: Object.fromEntries(order), roles, audio })
    .derive({ rank: "(d, $) => $.order[d.domain]" })
    .orderby("rank")
    .concat(all.derive({ rank: () => 1e9 }))
    .params({ roles, audio, anyAudio: dataset.hasAudio })
    .derive({
      role: "(d, $) => d.domain === 'all' ? '' : $.roles[d.domain]",
      captionsPerVideo: "d => op.round(100 * d.captions / d.videos) / 100",
      wordsPerCaption: "d => op.round(100 * d.words / d.captions) / 100",
      audio: "(d, $) => d.domain === 'all' ? $.anyAudio : $.audio[d.domain]",
    })
    .select("domain", "role", "videos", "train", "test", "captions", "captionsPerVideo", "wordsPerCaption", "audio");
  const vocab = options.vocabulary ?? buildVocabulary(dataset.videos, options);
  const distinct = new Set<string>();
  for (const v of dataset.videos) for (const c of v.captions) for (const w of captionTokens(c)) distinct.add(w);
  return {
    table,
    rows: table.objects() as unknown as DomainStatsRow[],
    vocabularySize: vocab.size,
    distinctWords: distinct.size,
  };
}
