import { type Key, TavtError } from "@tavt/core";
import {
  buildVocabulary,
  type CaptionBatch,
  CaptionDataset,
  collate,
  joinTargetDataset,
  loadDataset,
  loadMsrvtt,
  loadMsvd,
  makeMsvdLike,
  makeSynthetic,
  msvdLikeFor,
  type Sample,
  Vocabulary,
} from "@tavt/datasets";
import type { DataConfig, ExperimentConfig } from "../config/schema";

/** A loaded dataset with its vocabulary and feature dims. */
export interface ExperimentData {
  dataset: CaptionDataset;
  vocab: Vocabulary;
  visualDim: number;
  /** Audio feature dim, or null when no video has audio. */
  audioDim: number | null;
  /** A short description for logs and result files. */
  describe: string;
}

function requireAnnotations(c: DataConfig): string {
  if (!c.annotations) {
    throw new TavtError(
      "BAD_CONFIG",
      `data.source "${c.source}" needs data.annotations (--annotations DIR): the ${c.source === "dir" ? "dataset" : "annotation"} directory`,
      { field: "data.annotations" },
    );
  }
  return c.annotations;
}

/**
 * Open the dataset a config names (synthetic by default; MSR-VTT, MSVD or a dataset directory).
 *
 * @param config - The experiment config (`data` section).
 * @returns The dataset, joined with the cross-dataset target when `data.target` names one.
 * @throws `TavtError` (from `@tavt/core`) `BAD_CONFIG` for a source that lacks its annotations or features,
 *   `NOT_FOUND` or `BAD_FILE` for files that cannot be read.
 */
export async function openDataset(config: ExperimentConfig): Promise<CaptionDataset> {
  const c = config.data;
  const f = c.features;
  const paths = {
    visual: f.visual ?? undefined,
    visualDim: f.visualDim ?? undefined,
    group: f.group ?? undefined,
  };
  let ds: CaptionDataset;
  switch (c.source) {
    case "synthetic": {
      const { seed, ...rest } = c.synthetic;
      ds = makeSynthetic({ ...rest, seed: seed ?? 0 });
      break;
    }
    case "msrvtt":
      if (!f.visual) {
        throw new TavtError("BAD_CONFIG", "data.source msrvtt needs visual features (--features PATH)", {
          field: "data.features.visual",
        });
      }
      ds = await loadMsrvtt(requireAnnotations(c), {
        ...paths,
        audio: f.audio ?? undefined,
        audioDim: f.audioDim ?? undefined,
      });
      break;
    case "msvd":
      if (!f.visual) {
        throw new TavtError("BAD_CONFIG", "data.source msvd needs visual features (--features PATH)", {
          field: "data.features.visual",
        });
      }
      ds = await loadMsvd(requireAnnotations(c), paths);
      break;
    case "dir":
      ds = await loadDataset(requireAnnotations(c), {
        visualDim: f.visualDim ?? undefined,
        audioDim: f.audioDim ?? undefined,
      });
      break;
  }
  if (c.target.source !== "none") ds = joinTargetDataset(ds, await openTarget(config));
  if (c.targetDomains || c.audioAbsentDomains) {
    const targets = c.targetDomains ?? ds.targetDomains;
    ds = new CaptionDataset({
      name: ds.name,
      videos: ds.videos,
      sourceDomains: ds.sourceDomains.filter((d) => !targets.includes(d)),
      targetDomains: targets,
      visual: ds.visual,
      audio: ds.audio,
      audioAbsentDomains: [...new Set([...ds.audioAbsentDomains, ...(c.audioAbsentDomains ?? [])])],
    });
  }
  return ds;
}

/** The cross-dataset target `data.target` names (Table 2): the MSVD-like set, MSVD, or a dataset directory. */
async function openTarget(config: ExperimentConfig): Promise<CaptionDataset> {
  const t = config.data.target;
  switch (t.source) {
    case "synthetic": {
      if (config.data.source !== "synthetic") {
        throw new TavtError(
          "BAD_CONFIG",
          `data.target.source "synthetic" (the MSVD-like set) goes with data.source synthetic, not ${config.data.source}; for real data use data.target.source msvd`,
          { field: "data.target.source" },
        );
      }
      const { seed, ...rest } = config.data.synthetic;
      return makeMsvdLike(msvdLikeFor({ ...rest, seed: seed ?? 0 }, t.synthetic));
    }
    case "msvd":
    case "dir": {
      if (!t.annotations) {
        throw new TavtError(
          "BAD_CONFIG",
          `data.target.source "${t.source}" needs data.target.annotations (--target-annotations DIR)`,
          { field: "data.target.annotations" },
        );
      }
      if (t.source === "dir") return loadDataset(t.annotations, { visualDim: t.features.visualDim ?? undefined });
      if (!t.features.visual) {
        throw new TavtError("BAD_CONFIG", "data.target.source msvd needs visual features (--target-features PATH)", {
          field: "data.target.features.visual",
        });
      }
      return loadMsvd(t.annotations, {
        visual: t.features.visual,
        visualDim: t.features.visualDim ?? undefined,
        group: t.features.group ?? undefined,
      });
    }
    default:
      throw new TavtError("BAD_CONFIG", `data.target.source "${t.source}" has nothing to open`);
  }
}

/**
 * The dataset, the joint vocabulary (words seen fewer than `minCount` times become `<unk>`) and the dims.
 *
 * @param config - The experiment config.
 * @param vocab - A vocabulary to use instead of building one (a trained model's).
 * @returns The dataset, the vocabulary, the visual and audio dims and a description.
 * @throws `TavtError` (from `@tavt/core`) `BAD_INPUT` for a dataset without videos, and the errors of `openDataset`.
 */
export async function loadExperimentData(config: ExperimentConfig, vocab?: Vocabulary): Promise<ExperimentData> {
  const dataset = await openDataset(config);
  if (dataset.videos.length === 0) throw new TavtError("BAD_INPUT", `dataset "${dataset.name}" has no videos`);
  const first = dataset.sample(dataset.videos[0]!.id);
  const withAudio = dataset.videos.find((v) => dataset.audio && !dataset.audioAbsentDomains.has(v.domain));
  const audioDim = withAudio ? dataset.sample(withAudio.id).audioShape![1] : null;
  const v = vocab ?? buildVocabulary(dataset.videos, { minCount: config.data.minCount });
  return {
    dataset,
    vocab: v,
    visualDim: first.visualShape[1],
    audioDim,
    describe: `${dataset.name}: ${dataset.videos.length} videos, ${dataset.domains.length} domains, vocabulary ${v.size}`,
  };
}

/** Load a vocabulary saved beside a model. */
export function loadVocabulary(path: string): Vocabulary {
  return Vocabulary.load(path);
}

/**
 * Collate samples the way every pipeline does: fixed frames, captions cut to `data.maxLen` tokens.
 *
 * @param samples - The videos' samples.
 * @param data - The experiment's data (its vocabulary).
 * @param config - The experiment config (`data.maxLen`, `data.frames`).
 * @param key - Picks one caption per video when given.
 * @returns The batch; the caller disposes it.
 */
export function batchOf(
  samples: readonly Sample[],
  data: ExperimentData,
  config: ExperimentConfig,
  key?: Key,
): CaptionBatch {
  return collate(samples, data.vocab, {
    maxLen: config.data.maxLen,
    padToMaxLen: true,
    frames: config.data.frames,
    key,
  });
}

/**
 * Whether a domain's videos have audio.
 *
 * @param dataset - The dataset.
 * @param domain - A domain's name.
 * @returns True when the dataset has an audio store and the domain is not audio-absent.
 */
export function domainHasAudio(dataset: CaptionDataset, domain: string): boolean {
  return dataset.audio !== null && !dataset.audioAbsentDomains.has(domain);
}
