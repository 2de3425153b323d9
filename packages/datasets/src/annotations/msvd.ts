import { join } from "node:path";
import { TavtError } from "@tavt/core";
import { CaptionDataset } from "../dataset";
import { type FeaturePaths, openFeaturePaths } from "../featureOptions";
import { naturalSort } from "../split";
import type { SplitName, VideoRecord } from "../types";
import { readText } from "./json";

/** One MSVD (YouTube2Text) video. */
export interface MsvdVideo {
  /** "vidN", the id the caption files and released features use. */
  id: string;
  /** "youtubeid_start_end" from `youtube_video_to_id_mapping.txt`. */
  youtubeId: string;
  /** The common 1200/100/670 split the caption files come in. */
  officialSplit: "train" | "val" | "test";
  captions: string[];
}

/** The files of the MSVD caption release this loader reads. */
export const MSVD_FILES = [
  "youtube_video_to_id_mapping.txt",
  "sents_train_lc_nopunc.txt",
  "sents_val_lc_nopunc.txt",
  "sents_test_lc_nopunc.txt",
] as const;

/**
 * Read MSVD captions from `dir`: `youtube_video_to_id_mapping.txt` ("youtubeid_start_end vidN") and
 * `sents_{train,val,test}_lc_nopunc.txt` ("vidN<TAB>caption"). MSVD has no audio. Videos in natural id order.
 *
 * @param dir - The directory of the MSVD caption files.
 * @returns Every video with its YouTube id, official split and captions.
 * @throws `TavtError` (from `@tavt/core`) `NOT_FOUND` for a missing file, `BAD_FILE` for a malformed line (naming the
 *   file and line).
 */
export function loadMsvdAnnotations(dir: string): MsvdVideo[] {
  const mapFile = join(dir, MSVD_FILES[0]);
  const videos = new Map<string, MsvdVideo>();
  readText(mapFile, "MSVD id mapping")
    .split(/\r?\n/)
    .forEach((line, i) => {
      if (line.trim() === "") return;
      const m = /^(\S+)\s+(\S+)\s*$/.exec(line);
      if (!m) {
        throw new TavtError(
          "BAD_FILE",
          `${mapFile}:${i + 1}: expected "youtubeid_start_end vidN", got ${JSON.stringify(line)}`,
          {
            file: mapFile,
          },
        );
      }
      videos.set(m[2]!, { id: m[2]!, youtubeId: m[1]!, officialSplit: "train", captions: [] });
    });
  for (const split of ["train", "val", "test"] as const) {
    const file = join(dir, `sents_${split}_lc_nopunc.txt`);
    readText(file, `MSVD ${split} captions`)
      .split(/\r?\n/)
      .forEach((line, i) => {
        if (line.trim() === "") return;
        const tab = line.indexOf("\t");
        if (tab < 0) {
          throw new TavtError(
            "BAD_FILE",
            `${file}:${i + 1}: expected "vidN<TAB>caption", got ${JSON.stringify(line)}`,
            {
              file,
            },
          );
        }
        const id = line.slice(0, tab);
        const video = videos.get(id);
        if (!video) {
          throw new TavtError("BAD_FILE", `${file}:${i + 1}: video "${id}" is not in ${MSVD_FILES[0]}`, { file, id });
        }
        video.officialSplit = split;
        video.captions.push(line.slice(tab + 1).trim());
      });
  }
  return naturalSort([...videos.keys()]).map((id) => videos.get(id)!);
}

/** The domain name MSVD videos carry (one domain: the uni-modal target of Table 2). */
export const MSVD_DOMAIN = "MSVD";

/**
 * MSVD videos as `VideoRecord`s: the official train+val (1,300) are the target's train (adaptation) part and the
 * official test (670) its test part, so results compare with published MSVD numbers.
 *
 * @param videos - The videos from `loadMsvdAnnotations`.
 * @returns One record per video in the "MSVD" domain, official test as test and the rest as train.
 */
export function msvdRecords(videos: readonly MsvdVideo[]): VideoRecord[] {
  return videos.map((v) => ({
    id: v.id,
    domain: MSVD_DOMAIN,
    captions: v.captions,
    split: (v.officialSplit === "test" ? "test" : "train") as SplitName,
  }));
}

/** Options of `loadMsvd`: where the visual features are (MSVD has no audio). */
export type LoadMsvdOptions = Omit<FeaturePaths, "audio" | "audioDim">;

/**
 * MSVD as a one-domain, audio-free `CaptionDataset` (the uni-modal target of Table 2).
 *
 * @param dir - The directory of the MSVD caption files.
 * @param options - `visual`: the visual feature store, with `visualDim` and `group`.
 * @returns The dataset, with no audio store.
 * @throws `TavtError` (from `@tavt/core`) `NOT_FOUND` or `BAD_FILE` for missing or malformed annotation or feature
 *   files.
 */
export async function loadMsvd(dir: string, options: LoadMsvdOptions = {}): Promise<CaptionDataset> {
  const videos = loadMsvdAnnotations(dir);
  const { visual } = await openFeaturePaths(options);
  return new CaptionDataset({
    name: "msvd",
    videos: msvdRecords(videos),
    sourceDomains: [],
    targetDomains: [MSVD_DOMAIN],
    visual,
    audio: null,
  });
}
