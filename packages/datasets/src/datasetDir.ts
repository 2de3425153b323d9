import { join } from "node:path";
import { TavtError, writeFileAtomic } from "@tavt/core";
import { arrayField, isRecord, readJson, stringField } from "./annotations/json";
import { CaptionDataset } from "./dataset";
import { openFeatureStore, writeFeatureStore } from "./stores/open";
import type { FeatureFormat } from "./stores/store";
import type { SplitName, VideoRecord } from "./types";

/** The annotation file of a dataset directory. */
export const DATASET_ANNOTATIONS = "annotations.json";

const FEATURE_NAMES: Record<Exclude<FeatureFormat, "memory">, (m: "visual" | "audio") => string> = {
  npy: (m) => m,
  npz: (m) => `${m}.npz`,
  hdf5: (m) => `${m}.h5`,
};

/** `annotations.json` of a dataset directory. */
export interface DatasetAnnotationsFile {
  format: "tavt-dataset";
  version: 1;
  name: string;
  sourceDomains: string[];
  targetDomains: string[];
  audioAbsentDomains: string[];
  /** Feature paths relative to the directory; `audio` null when there is none. */
  features: { visual: string; audio: string | null };
  videos: VideoRecord[];
}

/**
 * Write a dataset as a directory: `annotations.json` plus visual and audio feature stores in one of the three
 * layouts (`visual/` and `audio/` of `.npy` files, `visual.npz`/`audio.npz`, or `visual.h5`/`audio.h5`).
 * Features are read and written one video at a time; each file is written atomically, annotations last.
 *
 * @param dir - The directory to write (created when missing).
 * @param dataset - The dataset to write.
 * @param options - `format`: "npy" (default), "npz" or "hdf5".
 * @returns What was written to `annotations.json`.
 * @throws `TavtError` (from `@tavt/core`) `BAD_INPUT` for a video id that cannot be a file name ("npy" format).
 */
export async function writeDataset(
  dir: string,
  dataset: CaptionDataset,
  options: { format?: Exclude<FeatureFormat, "memory"> } = {},
): Promise<DatasetAnnotationsFile> {
  const format = options.format ?? "npy";
  const visualPath = FEATURE_NAMES[format]("visual");
  const withAudio = dataset.videos.filter((v) => dataset.audio && !dataset.audioAbsentDomains.has(v.domain));
  const audioPath = withAudio.length > 0 ? FEATURE_NAMES[format]("audio") : null;
  await writeFeatureStore(
    join(dir, visualPath),
    format,
    (function* () {
      for (const v of dataset.videos) {
        const s = dataset.sample(v.id);
        yield { id: v.id, data: s.visual, shape: s.visualShape };
      }
    })(),
  );
  if (audioPath) {
    await writeFeatureStore(
      join(dir, audioPath),
      format,
      (function* () {
        for (const v of withAudio) {
          const s = dataset.sample(v.id);
          yield { id: v.id, data: s.audio!, shape: s.audioShape! };
        }
      })(),
    );
  }
  const file: DatasetAnnotationsFile = {
    format: "tavt-dataset",
    version: 1,
    name: dataset.name,
    sourceDomains: [...dataset.sourceDomains],
    targetDomains: [...dataset.targetDomains],
    audioAbsentDomains: [...dataset.audioAbsentDomains],
    features: { visual: visualPath, audio: audioPath },
    videos: dataset.videos.map((v) => ({ id: v.id, domain: v.domain, split: v.split, captions: [...v.captions] })),
  };
  writeFileAtomic(join(dir, DATASET_ANNOTATIONS), `${JSON.stringify(file, null, 1)}\n`);
  return file;
}

function stringList(obj: Record<string, unknown>, key: string, file: string): string[] {
  const v = obj[key] ?? [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) {
    throw new TavtError("BAD_FILE", `${file}: "${key}" must be an array of strings`, { file, field: key });
  }
  return v as string[];
}

/**
 * Read a dataset directory written by `writeDataset` (or by hand in the same layout); features open lazily.
 *
 * @param dir - A directory holding `annotations.json`.
 * @param options - `visualDim` and `audioDim`: dims checked on every read.
 * @returns The dataset.
 * @throws `TavtError` (from `@tavt/core`) `NOT_FOUND` for a missing file, `BAD_FILE` for malformed annotations or
 *   feature files.
 */
export async function loadDataset(
  dir: string,
  options: { visualDim?: number; audioDim?: number } = {},
): Promise<CaptionDataset> {
  const file = join(dir, DATASET_ANNOTATIONS);
  const json = readJson(file, "dataset annotations");
  if (!isRecord(json) || json.format !== "tavt-dataset") {
    throw new TavtError("BAD_FILE", `${file}: expected {"format": "tavt-dataset", ...}`, { file, field: "format" });
  }
  const videos: VideoRecord[] = arrayField(json, "videos", file).map((v, i) => {
    const id = stringField(v, "id", file, `videos[${i}]`);
    const where = `video "${id}"`;
    const domain = stringField(v, "domain", file, where);
    const split = stringField(v, "split", file, where);
    if (split !== "train" && split !== "test") {
      throw new TavtError("BAD_FILE", `${file}: ${where}: split must be "train" or "test", got "${split}"`, {
        file,
        id,
      });
    }
    const captions = isRecord(v) ? v.captions : undefined;
    if (!Array.isArray(captions) || captions.length === 0 || captions.some((c) => typeof c !== "string")) {
      throw new TavtError("BAD_FILE", `${file}: ${where}: "captions" must be a non-empty array of strings`, {
        file,
        id,
      });
    }
    return { id, domain, split: split as SplitName, captions: captions as string[] };
  });
  const features = isRecord(json.features) ? json.features : {};
  const visualRel = stringField(features, "visual", file, "features");
  const audioRel = typeof features.audio === "string" ? features.audio : null;
  const visual = await openFeatureStore(join(dir, visualRel), { dim: options.visualDim });
  const audio = audioRel ? await openFeatureStore(join(dir, audioRel), { dim: options.audioDim }) : null;
  return new CaptionDataset({
    name: typeof json.name === "string" ? json.name : dir,
    videos,
    sourceDomains: stringList(json, "sourceDomains", file),
    targetDomains: stringList(json, "targetDomains", file),
    audioAbsentDomains: stringList(json, "audioAbsentDomains", file),
    visual,
    audio,
  });
}
