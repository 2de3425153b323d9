import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { TavtError, writeFileAtomic } from "@tavt/core";
import type { AudioOptions, VisualOptions } from "./extract";
import type { FrameOptions } from "./ffmpeg";

/**
 * How a feature store was extracted, written beside it as `<store>.extractor.json`: what `tavt caption --videos`
 * repeats on new videos so that they get the features a run was trained on. Model and PCA paths are absolute.
 */
export interface ExtractorRecord {
  format: "tavt-extractor";
  version: 1;
  visual?: { model: string; output?: string; frames: FrameOptions; mean: number[]; std: number[] };
  audio?: { model: string; output?: string; exampleShape?: number[]; pca?: string; quantize?: boolean };
}

/**
 * The path of a store's `<store>.extractor.json`.
 *
 * @param store - The feature store's path (trailing slashes are dropped).
 * @returns `<store>.extractor.json`.
 */
export const recordPath = (store: string) => `${store.replace(/[/\\]+$/, "")}.extractor.json`;

/**
 * The record of how frame features were made, from the visual options.
 *
 * @param v - The visual options.
 * @returns The model path (absolute), output, frame options, mean and std.
 */
export function recordOfVisual(v: VisualOptions): NonNullable<ExtractorRecord["visual"]> {
  return { model: resolve(v.model), output: v.output, frames: { ...v.frames }, mean: [...v.mean], std: [...v.std] };
}

/**
 * The record of how audio features were made, from the audio options.
 *
 * @param a - The audio options.
 * @returns The model and PCA paths (absolute), output, example shape and quantisation.
 */
export function recordOfAudio(a: AudioOptions): NonNullable<ExtractorRecord["audio"]> {
  return {
    model: resolve(a.model),
    output: a.output,
    exampleShape: a.exampleShape ? [...a.exampleShape] : undefined,
    pca: a.pca ? resolve(a.pca) : undefined,
    quantize: a.quantize,
  };
}

/**
 * Write (or update) a store's extractor record.
 *
 * @param store - The feature store's path.
 * @param part - The `visual` and/or `audio` records.
 */
export function writeExtractorRecord(store: string, part: Omit<ExtractorRecord, "format" | "version">): void {
  const record: ExtractorRecord = { format: "tavt-extractor", version: 1, ...part };
  writeFileAtomic(recordPath(store), `${JSON.stringify(record, null, 1)}\n`);
}

/**
 * The record beside a store, or null where there is none (features made some other way).
 *
 * @param store - The feature store's path.
 * @returns The record, or null when there is no `<store>.extractor.json`.
 * @throws `TavtError` (from `@tavt/core`) `BAD_FILE` for a record that is not valid JSON or not an extractor record.
 */
export function readExtractorRecord(store: string): ExtractorRecord | null {
  const file = recordPath(store);
  if (!existsSync(file)) return null;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new TavtError("BAD_FILE", `${file}: not valid JSON (${(e as Error).message})`, { file });
  }
  const r = json as Partial<ExtractorRecord>;
  if (r.format !== "tavt-extractor" || r.version !== 1) {
    throw new TavtError("BAD_FILE", `${file}: expected {"format": "tavt-extractor", "version": 1, ...}`, { file });
  }
  return r as ExtractorRecord;
}
