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

/** Per-domain statistics of a dataset and its vocabulary size. */
export interface DatasetStats {
  /** Per-domain rows (dataset order) then an "all" row; `tavt data stats` prints them as a table. */
  rows: DomainStatsRow[];
  /** Tokens in the dataset's joint vocabulary (specials included), or the given vocabulary's size. */
  vocabularySize: number;
  /** Distinct caption words before the `minCount` cut. */
  distinctWords: number;
}

/** Rounded to 2 decimals, as the table prints it. */
const round2 = (x: number) => Math.round(100 * x) / 100;

/**
 * Per-domain counts of a dataset: videos, train/test split sizes, captions per video, words per caption (metrics
 * tokenizer), and the vocabulary size (built with `minCount`, default 3, unless `vocabulary` is given).
 *
 * @param dataset - Any caption dataset.
 * @param options - Vocabulary settings, or a vocabulary to count against.
 * @returns Per-domain rows (videos, splits, captions, words per caption, audio) and an `all` row, and the vocabulary size.
 */
export function datasetStats(
  dataset: CaptionDataset,
  options: BuildVocabularyOptions & { vocabulary?: Vocabulary } = {},
): DatasetStats {
  const counts = new Map<string, { videos: number; train: number; test: number; captions: number; words: number }>();
  const zero = () => ({ videos: 0, train: 0, test: 0, captions: 0, words: 0 });
  for (const d of dataset.domains) counts.set(d, zero());
  const all = zero();
  for (const v of dataset.videos) {
    const words = v.captions.reduce((n, c) => n + captionTokens(c).length, 0);
    let c = counts.get(v.domain);
    if (c === undefined) {
      c = zero();
      counts.set(v.domain, c);
    }
    for (const t of [c, all]) {
      t.videos++;
      if (v.split === "train") t.train++;
      if (v.split === "test") t.test++;
      t.captions += v.captions.length;
      t.words += words;
    }
  }
  const row = (domain: string, role: string, c: ReturnType<typeof zero>, audio: boolean): DomainStatsRow => ({
    domain,
    role,
    videos: c.videos,
    train: c.train,
    test: c.test,
    captions: c.captions,
    captionsPerVideo: round2(c.captions / c.videos),
    wordsPerCaption: round2(c.words / c.captions),
    audio,
  });
  const rows = [...counts]
    .filter(([, c]) => c.videos > 0)
    .map(([d, c]) => row(d, dataset.role(d), c, dataset.audio !== null && !dataset.audioAbsentDomains.has(d)));
  rows.push(row("all", "", all, dataset.hasAudio));
  const vocab = options.vocabulary ?? buildVocabulary(dataset.videos, options);
  const distinct = new Set<string>();
  for (const v of dataset.videos) for (const c of v.captions) for (const w of captionTokens(c)) distinct.add(w);
  return { rows, vocabularySize: vocab.size, distinctWords: distinct.size };
}
