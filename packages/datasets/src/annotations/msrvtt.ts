import { join } from "node:path";
import { TavtError } from "@tavt/core";
import { CaptionDataset } from "../dataset";
import {
  MSRVTT_CATEGORY_NAMES,
  MSRVTT_DOMAIN_CATEGORIES,
  msrvttCategoryDomain,
  PAPER_DOMAINS,
  type PaperDomain,
  SOURCE_DOMAINS,
  TARGET_DOMAINS,
} from "../domains";
import { type FeaturePaths, openFeaturePaths } from "../featureOptions";
import { naturalSort, type SplitOptions, splitByDomainRandom } from "../split";
import type { DomainRole, SplitName, VideoRecord } from "../types";
import { arrayField, isRecord, readJson, readText, stringField } from "./json";

/** One MSR-VTT video as the release describes it, with its paper domain (Table 6). */
export interface MsrvttVideo {
  id: string;
  category: number;
  categoryName: string;
  domain: PaperDomain;
  /** The release's own split: "train" (6,513), "validate" (497) or "test" (2,990). */
  officialSplit: string;
  url: string;
  captions: string[];
}

/** The three files of the MSR-VTT 10K annotation release. */
export const MSRVTT_FILES = ["train_val_videodatainfo.json", "test_videodatainfo.json", "category.txt"] as const;

/** Parse `category.txt` ("name<TAB>id" per line) and check it numbers categories as Table 6's mapping assumes. */
function readCategories(file: string): Map<number, string> {
  const out = new Map<number, string>();
  readText(file, "MSR-VTT category list")
    .split(/\r?\n/)
    .forEach((line, i) => {
      if (line.trim() === "") return;
      const m = /^(.*\S)\s+(\d+)\s*$/.exec(line);
      if (!m) throw new TavtError("BAD_FILE", `${file}:${i + 1}: expected "name<TAB>id", got ${JSON.stringify(line)}`);
      out.set(Number(m[2]), m[1]!);
    });
  for (const [id, name] of Object.entries(MSRVTT_CATEGORY_NAMES)) {
    if (out.get(Number(id)) !== name) {
      throw new TavtError(
        "BAD_FILE",
        `${file}: category ${id} is ${JSON.stringify(out.get(Number(id)))}, expected "${name}" (the 2016 release's numbering)`,
        { file, id },
      );
    }
  }
  return out;
}

/**
 * Read the MSR-VTT annotation release from `dir` (`train_val_videodatainfo.json`, `test_videodatainfo.json`,
 * `category.txt`) and give every video its paper domain (Table 6). Videos in natural id order.
 *
 * @param dir - The directory of MSR-VTT's annotation release.
 * @returns Every video with its category, paper domain, official split, URL and captions.
 * @throws `TavtError` (from `@tavt/core`) `NOT_FOUND` for a missing file, `BAD_FILE` for a malformed one (naming the
 *   file and, where it applies, the video).
 */
export function loadMsrvttAnnotations(dir: string): MsrvttVideo[] {
  const categories = readCategories(join(dir, "category.txt"));
  const videos = new Map<string, MsrvttVideo>();
  const files = [join(dir, "train_val_videodatainfo.json"), join(dir, "test_videodatainfo.json")];
  const parsed = files.map((f) => ({ file: f, json: readJson(f, "MSR-VTT annotation file") }));
  for (const { file, json } of parsed) {
    arrayField(json, "videos", file).forEach((v, i) => {
      const id = stringField(v, "video_id", file, `videos[${i}]`);
      const category = isRecord(v) ? v.category : undefined;
      const domain = typeof category === "number" ? msrvttCategoryDomain(category) : undefined;
      if (typeof category !== "number" || domain === undefined) {
        throw new TavtError(
          "BAD_FILE",
          `${file}: video "${id}" has category ${JSON.stringify(category)}, expected an id 0-19 of category.txt`,
          { file, id },
        );
      }
      if (videos.has(id)) throw new TavtError("BAD_FILE", `${file}: video "${id}" is listed twice`, { file, id });
      videos.set(id, {
        id,
        category,
        categoryName: categories.get(category) ?? String(category),
        domain,
        officialSplit: isRecord(v) && typeof v.split === "string" ? v.split : "",
        url: isRecord(v) && typeof v.url === "string" ? v.url : "",
        captions: [],
      });
    });
  }
  for (const { file, json } of parsed) {
    arrayField(json, "sentences", file).forEach((s, i) => {
      const id = stringField(s, "video_id", file, `sentences[${i}]`);
      const caption = stringField(s, "caption", file, `sentences[${i}] (video "${id}")`);
      const video = videos.get(id);
      if (!video) {
        throw new TavtError("BAD_FILE", `${file}: sentences[${i}] names video "${id}", which no file lists`, {
          file,
          id,
        });
      }
      video.captions.push(caption);
    });
  }
  return naturalSort([...videos.keys()]).map((id) => videos.get(id)!);
}

/** How MSR-VTT videos get their per-domain train/test split. */
export interface MsrvttSplitOptions extends SplitOptions {
  /**
   * "random" (default): the seeded per-domain random split of `splitByDomainRandom` (Appendix B's random
   * sampling). "official": the release's own split, train+validate as train and test as test.
   */
  strategy?: "random" | "official";
}

/**
 * The role of a paper domain in Table 1.
 *
 * @param domain - A paper domain's name.
 * @returns "target" for the target domains of Table 1, else "source".
 */
export function paperDomainRole(domain: string): DomainRole {
  return (TARGET_DOMAINS as readonly string[]).includes(domain) ? "target" : "source";
}

/**
 * MSR-VTT videos as `VideoRecord`s with their per-domain split.
 *
 * @param videos - The videos from `loadMsrvttAnnotations`.
 * @param options - `strategy` ("random" by default, or "official"), and the random split's `seed` and `trainFraction`.
 * @returns One record per video: id, domain, captions and split.
 * @throws `TavtError` (from `@tavt/core`) `BAD_CONFIG` for a `trainFraction` outside [0, 1].
 */
export function msrvttRecords(videos: readonly MsrvttVideo[], options: MsrvttSplitOptions = {}): VideoRecord[] {
  const split =
    options.strategy === "official"
      ? new Map<string, SplitName>(videos.map((v) => [v.id, v.officialSplit === "test" ? "test" : "train"]))
      : splitByDomainRandom(videos, options);
  return videos.map((v) => ({ id: v.id, domain: v.domain, captions: v.captions, split: split.get(v.id)! }));
}

/** One row of `msrvttDomainCounts`. */
export interface DomainCount {
  count: number;
  train: number;
  test: number;
  role: DomainRole;
  /** The MSR-VTT categories grouped into this domain (Table 6). */
  categories: string[];
}

/**
 * Videos per paper domain (Table 1) with their train/test split sizes, in Table 1's order. `source` is an
 * annotation directory or videos already loaded. This is what `tavt domains msrvtt --json` prints.
 *
 * @param source - An annotation directory, or videos already loaded.
 * @param options - The split, as for `msrvttRecords`.
 * @returns Per paper domain: video count, train and test sizes, role and MSR-VTT categories.
 * @throws `TavtError` (from `@tavt/core`) `NOT_FOUND` or `BAD_FILE` when `source` is a directory that cannot be read,
 *   `BAD_CONFIG` for a bad split.
 */
export function msrvttDomainCounts(
  source: string | readonly MsrvttVideo[],
  options: MsrvttSplitOptions = {},
): Record<PaperDomain, DomainCount> {
  const videos = typeof source === "string" ? loadMsrvttAnnotations(source) : source;
  const records = msrvttRecords(videos, options);
  const out = {} as Record<PaperDomain, DomainCount>;
  for (const d of PAPER_DOMAINS) {
    out[d] = {
      count: 0,
      train: 0,
      test: 0,
      role: paperDomainRole(d),
      categories: MSRVTT_DOMAIN_CATEGORIES[d].map((c) => MSRVTT_CATEGORY_NAMES[c]!),
    };
  }
  for (const r of records) {
    const row = out[r.domain as PaperDomain];
    row.count++;
    row[r.split]++;
  }
  return out;
}

/** Options of `loadMsrvtt`: feature locations and the split. */
export interface LoadMsrvttOptions extends FeaturePaths, MsrvttSplitOptions {}

/**
 * MSR-VTT as a `CaptionDataset` of the paper's 10 domains (Table 1 sources and targets), from the annotation
 * release in `annotationsDir` and, when given, feature files (`visual`, `audio`) keyed by "videoN".
 *
 * @param annotationsDir - The directory of MSR-VTT's annotation release.
 * @param options - `visual` and `audio`: the feature stores (`.npy` directory, `.npz` or HDF5).
 * @returns The dataset in the paper's 10 domains.
 * @throws `TavtError` (from `@tavt/core`) `NOT_FOUND` or `BAD_FILE` naming the file.
 */
export async function loadMsrvtt(annotationsDir: string, options: LoadMsrvttOptions = {}): Promise<CaptionDataset> {
  const videos = loadMsrvttAnnotations(annotationsDir);
  const { visual, audio } = await openFeaturePaths(options);
  return new CaptionDataset({
    name: "msrvtt",
    videos: msrvttRecords(videos, options),
    sourceDomains: SOURCE_DOMAINS,
    targetDomains: TARGET_DOMAINS,
    visual,
    audio,
  });
}
