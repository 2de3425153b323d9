import { existsSync, readdirSync, statSync } from "node:fs";
import { basename, extname, join } from "node:path";
import { TavtError } from "@tavt/core";
import { decodeAudio, decodeFrames, type FfmpegBinaries, type FrameOptions, findFfmpeg, probeVideo } from "./ffmpeg";
import { logMelExamples, VGGISH_LOG_MEL } from "./logmel";
import { OnnxModel } from "./onnx";
import { loadVggishPca, postprocessVggish, type VggishPca } from "./postprocess";
import { recordOfAudio, recordOfVisual, writeExtractorRecord } from "./record";
import { StoreWriter } from "./stores";

/** The video files `extractFeatures` reads from a directory. */
export const VIDEO_EXTENSIONS = [".mp4", ".webm", ".avi", ".mkv", ".mov", ".m4v"] as const;

/** ImageNet's per-channel mean and standard deviation (RGB, on [0, 1]): torchvision's normalisation. */
export const IMAGENET_MEAN: readonly [number, number, number] = [0.485, 0.456, 0.406];
/** ImageNet's per-channel standard deviations, the default frame normalisation. */
export const IMAGENET_STD: readonly [number, number, number] = [0.229, 0.224, 0.225];

/** How frame features are extracted: the ONNX model, its output, frame sampling, resize, crop, normalisation, the store. */
export interface VisualOptions {
  /** An image model as ONNX: input `[n, 3, H, W]` float32 (normalised RGB), output `[n, ...]` per frame. */
  model: string;
  /** The model output to keep (default its first); flattened per frame. */
  output?: string;
  /** Where the features go: `.h5` is HDF5, anything else a directory of `<id>.npy`. */
  out: string;
  frames: FrameOptions;
  mean: readonly [number, number, number];
  std: readonly [number, number, number];
  /** Frames per model call (default 16). */
  batch?: number;
}

/** How audio features are extracted: the ONNX model, its output, the example shape, VGGish's PCA, the store. */
export interface AudioOptions {
  /** An audio model as ONNX taking log-mel examples (VGGish: `[n, 1, 96, 64]`), output `[n, ...]` per example. */
  model: string;
  output?: string;
  out: string;
  /** The shape of one example as the model takes it (default `[1, 96, 64]`: NCHW, one channel). */
  exampleShape?: readonly number[];
  batch?: number;
  /** VGGish's PCA parameters, the user's `vggish_pca_params.npz`, applied to every embedding. */
  pca?: string;
  /** After the PCA: clip to [-2, 2] and quantise to 0..255, as VGGish's postprocessor (needs `pca`). */
  quantize?: boolean;
}

/** One video the run could not use, and why. */
export interface FailedVideo {
  id: string;
  file: string;
  reason: string;
}

/** A progress event of `extractFeatures`: the start, or one video done. */
export type ExtractEvent =
  | { kind: "start"; total: number; done: number }
  | { kind: "video"; id: string; status: "extracted" | "failed"; completed: number; total: number; reason?: string };

/** Options of `extractFeatures`: the videos, visual and audio settings, concurrency, progress. */
export interface ExtractOptions {
  /** A directory of videos (the extensions of VIDEO_EXTENSIONS), or a list of video files. */
  videos: string | readonly string[];
  visual?: VisualOptions;
  audio?: AudioOptions;
  /** Videos processed at once (default 2). */
  concurrency?: number;
  ffmpeg?: FfmpegBinaries;
  onEvent?: (e: ExtractEvent) => void;
}

/** What `extractFeatures` returns: how many videos were extracted, skipped and failed, and why. */
export interface ExtractSummary {
  total: number;
  extracted: number;
  /** Videos already in the stores (an earlier run): not read again. */
  skipped: number;
  failed: FailedVideo[];
  seconds: number;
}

/**
 * The video files of a directory (sorted), or the list given.
 *
 * @param videos - A directory, or a list of video files (returned as given).
 * @returns The paths of the directory's files with a video extension, sorted.
 * @throws `TavtError` (from `@tavt/core`) `NOT_FOUND` when the directory does not exist.
 */
export function listVideos(videos: string | readonly string[]): string[] {
  if (typeof videos !== "string") return [...videos];
  if (!existsSync(videos) || !statSync(videos).isDirectory()) {
    throw new TavtError("NOT_FOUND", `${videos}: video directory not found`, { file: videos, field: "--videos" });
  }
  return readdirSync(videos)
    .filter((f) => (VIDEO_EXTENSIONS as readonly string[]).includes(extname(f).toLowerCase()))
    .sort()
    .map((f) => join(videos, f));
}

/**
 * A video's id: its file name without the extension (`video17.mp4` -> `video17`).
 *
 * @param file - The video file's path.
 * @returns Its base name without the extension.
 */
export const videoId = (file: string) => basename(file, extname(file));

/**
 * Normalised NCHW float32 `[n, 3, H, W]` from RGB bytes `[n, H, W, 3]`.
 *
 * @param rgb - RGB bytes `[n, H, W, 3]`.
 * @param n - The number of frames.
 * @param h - H, the frame height.
 * @param w - W, the frame width.
 * @param mean - Per channel, subtracted after scaling to [0, 1].
 * @param std - Per channel, divided by after subtracting the mean.
 * @returns float32 `[n, 3, H, W]`.
 */
export function normaliseFrames(
  rgb: Uint8Array,
  n: number,
  h: number,
  w: number,
  mean: readonly number[],
  std: readonly number[],
): Float32Array {
  const out = new Float32Array(n * 3 * h * w);
  const plane = h * w;
  for (let f = 0; f < n; f++) {
    for (let p = 0; p < plane; p++) {
      for (let c = 0; c < 3; c++) {
        out[(f * 3 + c) * plane + p] = (rgb[(f * plane + p) * 3 + c]! / 255 - mean[c]!) / std[c]!;
      }
    }
  }
  return out;
}

/** Run a model over `[n, ...item]` inputs in batches; returns `[n, dim]`. */
async function runBatched(model: OnnxModel, data: Float32Array, item: readonly number[], n: number, batch: number) {
  const size = item.reduce((a, b) => a * b, 1);
  const parts: Float32Array[] = [];
  let dim = 0;
  for (let s = 0; s < n; s += batch) {
    const m = Math.min(batch, n - s);
    const r = await model.run(data.subarray(s * size, (s + m) * size), [m, ...item]);
    dim = r.dim;
    parts.push(r.data);
  }
  const out = new Float32Array(n * dim);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return { data: out, dim };
}

/**
 * Visual features of one video: `[frames, dim]`.
 *
 * @param bins - The ffmpeg and ffprobe binaries.
 * @param model - The image model.
 * @param file - The video file.
 * @param o - The frame sampling, normalisation and batch size.
 * @returns The features, row-major `[frames, dim]`, with their shape.
 * @throws `TavtError` (from `@tavt/core`) `BAD_FILE` for an unreadable video; Error when it has no video stream or no
 *   frame decodes.
 */
export async function visualFeatures(
  bins: FfmpegBinaries,
  model: OnnxModel,
  file: string,
  o: VisualOptions,
): Promise<{ data: Float32Array; shape: [number, number] }> {
  const info = await probeVideo(bins, file);
  if (!info.hasVideo) throw new Error("no video stream");
  const fr = await decodeFrames(bins, file, info, o.frames);
  if (fr.frames === 0) throw new Error("no frame could be decoded");
  const x = normaliseFrames(fr.data, fr.frames, fr.height, fr.width, o.mean, o.std);
  const r = await runBatched(model, x, [3, fr.height, fr.width], fr.frames, o.batch ?? 16);
  return { data: r.data, shape: [fr.frames, r.dim] };
}

/**
 * Audio features of one video: VGGish log-mel examples through the audio model, `[examples, dim]`.
 *
 * @param bins - The ffmpeg and ffprobe binaries.
 * @param model - The audio model.
 * @param file - The video file.
 * @param o - The example shape, batch size, and whether PCA and quantisation apply.
 * @param pca - VGGish's PCA parameters (from `loadVggishPca`), or null.
 * @returns The features, row-major `[examples, dim]`, with their shape.
 * @throws `TavtError` (from `@tavt/core`) `BAD_FILE` for an unreadable video, `BAD_INPUT` for an example shape that
 *   does not fit or `o.pca`/`o.quantize` without `pca`; Error for no audio stream, silent or too short audio.
 */
export async function audioFeatures(
  bins: FfmpegBinaries,
  model: OnnxModel,
  file: string,
  o: AudioOptions,
  pca: VggishPca | null = null,
): Promise<{ data: Float32Array; shape: [number, number] }> {
  const info = await probeVideo(bins, file);
  if (!info.hasAudio) throw new Error("no audio stream");
  const pcm = await decodeAudio(bins, file, VGGISH_LOG_MEL.sampleRate);
  if (!pcm.some((v) => Math.abs(v) > 1e-6)) throw new Error("silent audio (every sample is 0)");
  const ex = logMelExamples(pcm);
  if (ex.examples === 0) throw new Error(`audio shorter than one ${VGGISH_LOG_MEL.exampleSeconds} s example`);
  const shape = o.exampleShape ?? [1, ex.frames, ex.bands];
  if (shape.reduce((a, b) => a * b, 1) !== ex.frames * ex.bands) {
    throw new TavtError(
      "BAD_INPUT",
      `audio example shape [${shape.join(", ")}] does not hold ${ex.frames} x ${ex.bands} log-mel values`,
      { field: "exampleShape" },
    );
  }
  const r = await runBatched(model, ex.data, shape, ex.examples, o.batch ?? 64);
  if (pca)
    return { data: postprocessVggish(r.data, ex.examples, pca, o.quantize ?? false), shape: [ex.examples, r.dim] };
  if (o.pca)
    throw new TavtError("BAD_INPUT", `audioFeatures: pass the PCA of ${o.pca} (loadVggishPca)`, { field: "pca" });
  if (o.quantize) {
    throw new TavtError("BAD_INPUT", "quantisation follows VGGish's PCA: give the PCA file too", { field: "pca" });
  }
  return { data: r.data, shape: [ex.examples, r.dim] };
}

/**
 * Extract visual and/or audio features of every video into feature stores keyed by video id, ready for
 * `--features` / `--audio-features`. Videos already in the stores are skipped (resume); a video that cannot be
 * decoded, has no stream the run needs, or is silent is reported in `failed` and written to neither store, so the
 * two stores always hold the same videos. Up to `concurrency` videos are processed at once.
 *
 * @param o - The videos, the visual and/or audio options, `concurrency` (2), the binaries and `onEvent`.
 * @returns How many videos there were, were extracted, skipped and failed (with why), and the seconds taken.
 * @throws `TavtError` (from `@tavt/core`) `BAD_INPUT` with neither model or two videos of one id, `NOT_FOUND` for a
 *   missing video directory or ffmpeg.
 */
export async function extractFeatures(o: ExtractOptions): Promise<ExtractSummary> {
  const t0 = performance.now();
  if (!o.visual && !o.audio) {
    throw new TavtError("BAD_INPUT", "nothing to extract: give a visual model, an audio model or both", {
      field: "model",
    });
  }
  const files = listVideos(o.videos);
  const bins = o.ffmpeg ?? findFfmpeg();
  const vModel = o.visual ? await OnnxModel.open(o.visual.model, o.visual.output) : null;
  const aModel = o.audio ? await OnnxModel.open(o.audio.model, o.audio.output) : null;
  const pca = o.audio?.pca ? await loadVggishPca(o.audio.pca) : null;
  const vStore = o.visual ? await StoreWriter.open(o.visual.out) : null;
  const aStore = o.audio ? await StoreWriter.open(o.audio.out) : null;
  const seen = new Map<string, string>();
  for (const f of files) {
    const id = videoId(f);
    const other = seen.get(id);
    if (other) {
      throw new TavtError("BAD_INPUT", `${f} and ${other} have the same video id "${id}"`, { file: f, id });
    }
    seen.set(id, f);
  }
  const todo = files.filter((f) => !((vStore?.has(videoId(f)) ?? true) && (aStore?.has(videoId(f)) ?? true)));
  const skipped = files.length - todo.length;
  const failed: FailedVideo[] = [];
  let extracted = 0;
  let completed = skipped;
  o.onEvent?.({ kind: "start", total: files.length, done: skipped });
  let next = 0;
  const worker = async () => {
    while (next < todo.length) {
      const file = todo[next++]!;
      const id = videoId(file);
      let reason: string | null = null;
      try {
        const v = vModel && o.visual ? await visualFeatures(bins, vModel, file, o.visual) : null;
        const a = aModel && o.audio ? await audioFeatures(bins, aModel, file, o.audio, pca) : null;
        if (v) vStore!.write(id, v.data, v.shape);
        if (a) aStore!.write(id, a.data, a.shape);
        extracted++;
      } catch (e) {
        if (e instanceof TavtError && e.code !== "BAD_FILE") throw e;
        reason = (e as Error).message.replace(`${file}: `, "");
        failed.push({ id, file, reason });
      }
      completed++;
      if (reason === null) o.onEvent?.({ kind: "video", id, status: "extracted", completed, total: files.length });
      else o.onEvent?.({ kind: "video", id, status: "failed", reason, completed, total: files.length });
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, o.concurrency ?? 2) }, worker));
    await vStore?.finish();
    await aStore?.finish();
    if (o.visual) writeExtractorRecord(o.visual.out, { visual: recordOfVisual(o.visual) });
    if (o.audio) writeExtractorRecord(o.audio.out, { audio: recordOfAudio(o.audio) });
  } finally {
    vStore?.close();
    aStore?.close();
    await vModel?.close();
    await aModel?.close();
  }
  failed.sort((x, y) => x.id.localeCompare(y.id));
  return { total: files.length, extracted, skipped, failed, seconds: (performance.now() - t0) / 1000 };
}
