import { CaptionDataset, collate, disposeBatch, type FeatureStore, miniBatches } from "@tavt/datasets";
import type { LoadedRun } from "./run";

/** One video's caption with its per-word modality gates (paper Figure 11), as `tavt caption --json` prints it. */
export interface VideoCaption {
  id: string;
  caption: string;
  words: string[];
  alphaAv: number[];
  alphaVa: number[];
}

export interface CaptionOptions {
  /** Greedy search (default: the run's eval.greedy); else beam search of width `beam` (default: eval.beam). */
  greedy?: boolean;
  beam?: number;
  /** Only these videos (default: every video of the visual store). */
  ids?: readonly string[];
  /** After each batch: videos captioned so far, of how many. */
  onProgress?: (done: number, total: number) => void;
  /** Waits between batches (a page yields to repaint the progress bar); default none. */
  pause?: () => Promise<void>;
}

/**
 * Caption the videos of feature stores with a run, as `tavt caption` does: the run's batch size, frames and caption
 * length, captions padded and cut the same way, the same search; audio features where given, else A_rec.
 */
export async function captionStores(
  run: LoadedRun,
  visual: FeatureStore,
  audio: FeatureStore | null,
  options: CaptionOptions = {},
): Promise<VideoCaption[]> {
  const { settings, vocab } = run;
  const ids = options.ids ? [...options.ids] : visual.ids();
  const ds = new CaptionDataset({
    name: visual.path,
    videos: ids.map((id) => ({ id, domain: "input", captions: [""], split: "test" as const })),
    visual,
    audio,
  });
  const out: VideoCaption[] = [];
  const greedy = options.greedy ?? settings.greedy;
  const beam = options.beam ?? settings.beam;
  for (const chunk of miniBatches(ids, settings.batchSize)) {
    const samples = ds.samples(chunk);
    const batch = collate(samples, vocab, { maxLen: settings.maxLen, padToMaxLen: true, frames: settings.frames });
    try {
      const decoded = run.captioner.caption(run.params, batch, { greedy, beam, decode: (w) => vocab.decode(w) });
      decoded.forEach((d, i) => {
        out.push({
          id: samples[i]!.id,
          caption: d.caption,
          words: d.ids.map((w) => vocab.word(w)),
          alphaAv: d.alphaAv,
          alphaVa: d.alphaVa,
        });
      });
    } finally {
      disposeBatch(batch);
    }
    options.onProgress?.(out.length, ids.length);
    if (options.pause) await options.pause();
  }
  return out;
}
