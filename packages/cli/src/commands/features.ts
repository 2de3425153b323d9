import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TavtError } from "@tavt/core";
import { Command } from "commander";
import type { ExperimentConfig } from "../config/schema";
import { usageError } from "../errors";
import type { Output } from "../output";
import { createProgress } from "../progress";
import { type CommonOptions, example, outputOf, withCommon } from "./common";

type FeaturesModule = typeof import("@tavt/features");

interface ExtractCliOptions extends CommonOptions {
  videos: string;
  visualModel?: string;
  visualOutput?: string;
  audioModel?: string;
  audioOutput?: string;
  out: string;
  audioOut?: string;
  fps?: string;
  frames?: string;
  resize: string;
  crop: string;
  mean?: string;
  std?: string;
  audioExampleShape: string;
  audioPca?: string;
  audioQuantize?: boolean;
  concurrency: string;
}

/** @tavt/features, loaded on use (an optional peer of the CLI: it brings onnxruntime-node). */
async function loadFeatures(): Promise<FeaturesModule> {
  try {
    return await import("@tavt/features");
  } catch (e) {
    throw new TavtError(
      "NOT_FOUND",
      `tavt features needs @tavt/features (pnpm add @tavt/features onnxruntime-node; with npm add --ignore-scripts): ${(e as Error).message.split("\n")[0]}`,
    );
  }
}

function number(flag: string, v: string | undefined, min: number, integer: boolean): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === "" || !Number.isFinite(n) || n < min || (integer && !Number.isInteger(n))) {
    throw usageError(`${flag} ${v}: expected ${integer ? "an integer" : "a number"} >= ${min}`, { field: flag });
  }
  return n;
}

function numbers(flag: string, v: string, count?: number): number[] {
  const xs = v.split(",").map((s) => Number(s));
  if (xs.some((x) => !Number.isFinite(x)) || (count !== undefined && xs.length !== count)) {
    throw usageError(`${flag} ${v}: expected ${count ?? "some"} comma-separated numbers`, { field: flag });
  }
  return xs;
}

/** The audio store beside a visual one: `feats/msrvtt.h5` -> `feats/msrvtt-audio.h5`, `feats/v` -> `feats/v-audio`. */
export function audioStoreBeside(out: string): string {
  const m = /^(.*?)(\.h5|\.hdf5)?$/i.exec(out.replace(/[/\\]+$/, ""))!;
  return `${m[1]}-audio${m[2] ?? ""}`;
}

export function featuresCommand(): Command {
  const features = new Command("features").description(
    "raw videos to feature stores: ffmpeg decoding, your ONNX image and audio models, VGGish's log-mel front end",
  );
  const extract = withCommon(
    new Command("extract")
      .description(
        "extract per-video features of every video in a directory (mp4, webm, avi, mkv, mov) into stores keyed by video id (the file name), ready for --features / --audio-features; resumes by skipping videos already stored; a video that cannot be read, lacks a stream or is silent is reported and skipped (exit 1)",
      )
      .requiredOption("--videos <dir>", "directory of videos")
      .option(
        "--visual-model <file>",
        "ONNX image model: input [n, 3, H, W] normalised RGB, e.g. ResNet-101 without its classifier",
      )
      .option("--visual-output <name>", "the image model's output to keep (default its first)")
      .option("--audio-model <file>", "ONNX audio model on VGGish log-mel examples [n, 1, 96, 64], e.g. VGGish")
      .option("--audio-output <name>", "the audio model's output to keep (default its first)")
      .requiredOption(
        "-o, --out <store>",
        "where features go: a path ending in .h5 is HDF5, anything else a directory of .npy",
      )
      .option(
        "--audio-out <store>",
        "the audio store when both models are given (default --out with -audio: feats/x.h5 -> feats/x-audio.h5)",
      )
      .option("--frames <n>", "frames per video, spread uniformly over it (default 20 unless --fps)")
      .option("--fps <rate>", "frames per second instead of --frames")
      .option("--resize <px>", "shorter side resized to this (0: native size)", "256")
      .option("--crop <px>", "centre crop to a square of this size (0: none)", "224")
      .option("--mean <r,g,b>", "per-channel mean on [0, 1] (default ImageNet 0.485,0.456,0.406)")
      .option("--std <r,g,b>", "per-channel std (default ImageNet 0.229,0.224,0.225)")
      .option("--audio-example-shape <dims>", "one log-mel example as the audio model takes it", "1,96,64")
      .option("--audio-pca <file>", "VGGish's PCA parameters (vggish_pca_params.npz), applied to every audio embedding")
      .option(
        "--audio-quantize",
        "after --audio-pca: clip to [-2, 2] and quantise to 0..255, as VGGish's postprocessor",
      )
      .option("--concurrency <n>", "videos processed at once", "2"),
  ).action(async (o: ExtractCliOptions) => {
    const out = outputOf(o);
    if (!o.visualModel && !o.audioModel)
      throw usageError("give --visual-model, --audio-model or both", { field: "--visual-model" });
    const fps = number("--fps", o.fps, Number.MIN_VALUE, false);
    const count = number("--frames", o.frames, 1, true);
    if (fps !== undefined && count !== undefined)
      throw usageError("--fps and --frames: give one of them", { field: "--fps" });
    if (o.audioQuantize && !o.audioPca)
      throw usageError("--audio-quantize: give --audio-pca too (the quantisation follows VGGish's PCA)", {
        field: "--audio-quantize",
      });
    const f = await loadFeatures();
    const visualOut = o.visualModel ? o.out : undefined;
    const audioOut = o.audioModel ? (o.visualModel ? (o.audioOut ?? audioStoreBeside(o.out)) : o.out) : undefined;
    const mean = o.mean ? (numbers("--mean", o.mean, 3) as [number, number, number]) : f.IMAGENET_MEAN;
    const std = o.std ? (numbers("--std", o.std, 3) as [number, number, number]) : f.IMAGENET_STD;
    const total = { n: 0 };
    const progress = { bar: createProgress(out, { label: "extract", total: 1 }) };
    const summary = await f.extractFeatures({
      videos: o.videos,
      visual: o.visualModel
        ? {
            model: o.visualModel,
            output: o.visualOutput,
            out: visualOut!,
            frames: {
              ...(fps !== undefined ? { fps } : { count: count ?? 20 }),
              resize: number("--resize", o.resize, 0, true)!,
              crop: number("--crop", o.crop, 0, true)!,
            },
            mean,
            std,
          }
        : undefined,
      audio: o.audioModel
        ? {
            model: o.audioModel,
            output: o.audioOutput,
            out: audioOut!,
            exampleShape: numbers("--audio-example-shape", o.audioExampleShape),
            pca: o.audioPca,
            quantize: o.audioQuantize ?? false,
          }
        : undefined,
      concurrency: number("--concurrency", o.concurrency, 1, true),
      ffmpeg: f.findFfmpeg(),
      onEvent: (e) => {
        if (e.kind === "start") {
          progress.bar.stop();
          total.n = e.total;
          progress.bar = createProgress(out, { label: "extract", total: Math.max(1, e.total) });
          if (e.done > 0) progress.bar.log(`${e.done} of ${e.total} videos already in the stores: skipped`);
          progress.bar.update(e.done);
        } else {
          if (e.status === "failed") progress.bar.log(`${e.id}: ${e.reason} (skipped)`);
          progress.bar.update(e.completed);
        }
      },
    });
    progress.bar.stop();
    const stores = [visualOut && `visual ${visualOut}`, audioOut && `audio ${audioOut}`].filter(Boolean).join(", ");
    out.result({ ...summary, stores: { visual: visualOut ?? null, audio: audioOut ?? null } }, () => {
      return `extracted ${summary.extracted} of ${summary.total} videos (${summary.skipped} already done, ${summary.failed.length} failed) in ${summary.seconds.toFixed(1)} s: ${stores}`;
    });
    if (summary.failed.length > 0) {
      for (const x of summary.failed) out.note(`failed: ${x.file}: ${x.reason}`);
      throw new Error(
        `${summary.failed.length} of ${summary.total} videos could not be used (listed above); the stores hold the others`,
      );
    }
  });
  features.addCommand(
    example(
      extract,
      "pnpm tavt features extract --videos videos/ --visual-model resnet101.onnx --audio-model vggish.onnx --out feats/msrvtt.h5",
      "pnpm tavt features extract --videos videos/ --visual-model resnet101.onnx --frames 20 --resize 0 --crop 0 --out feats/resnet101",
    ),
  );
  return features;
}

/** A run's feature stores: `data.features.*`, or for a dataset directory the paths of its annotations.json. */
export function runStores(config: ExperimentConfig): { visual: string | null; audio: string | null } {
  const f = config.data.features;
  if (config.data.source !== "dir") return { visual: f.visual, audio: f.audio };
  const dir = config.data.annotations;
  if (!dir) return { visual: null, audio: null };
  const file = join(dir, "annotations.json");
  if (!existsSync(file)) return { visual: null, audio: null };
  const json = JSON.parse(readFileSync(file, "utf8")) as { features?: { visual?: string; audio?: string | null } };
  return {
    visual: json.features?.visual ? join(dir, json.features.visual) : null,
    audio: json.features?.audio ? join(dir, json.features.audio) : null,
  };
}

/**
 * Features of new videos for a trained run, extracted as the run's own were: the settings recorded beside its
 * feature stores by `tavt features extract` (`<store>.extractor.json`). Written to a temporary directory.
 */
export async function extractForRun(
  config: ExperimentConfig,
  videos: string,
  out: Output,
): Promise<{ dir: string; visual: string; audio: string | null; failed: { file: string; reason: string }[] }> {
  const f = await loadFeatures();
  const stores = runStores(config);
  if (!stores.visual) {
    throw new TavtError(
      "BAD_INPUT",
      "--videos: the run names no visual feature store to take the extractor settings from; give --features",
      {
        field: "--videos",
      },
    );
  }
  const visual = f.readExtractorRecord(stores.visual)?.visual;
  if (!visual) {
    throw new TavtError(
      "NOT_FOUND",
      `--videos: ${f.recordPath(stores.visual)} not found: the run's features (${stores.visual}) were not made by tavt features extract, so how to extract new ones is unknown; extract them the same way yourself and give --features`,
      { file: f.recordPath(stores.visual), field: "--videos" },
    );
  }
  const audio = stores.audio ? (f.readExtractorRecord(stores.audio)?.audio ?? null) : null;
  const dir = mkdtempSync(join(tmpdir(), "tavt-caption-"));
  const progress = { bar: createProgress(out, { label: "extract", total: 1 }) };
  const summary = await f.extractFeatures({
    videos,
    visual: {
      ...visual,
      out: join(dir, "visual"),
      mean: visual.mean as [number, number, number],
      std: visual.std as [number, number, number],
    },
    audio: audio ? { ...audio, out: join(dir, "audio") } : undefined,
    ffmpeg: f.findFfmpeg(),
    onEvent: (e) => {
      if (e.kind === "start") {
        progress.bar.stop();
        progress.bar = createProgress(out, { label: "extract", total: Math.max(1, e.total) });
      } else {
        if (e.status === "failed") progress.bar.log(`${e.id}: ${e.reason} (skipped)`);
        progress.bar.update(e.completed);
      }
    },
  });
  progress.bar.stop();
  out.note(
    `extracted features of ${summary.extracted} of ${summary.total} videos as the run's were (${f.recordPath(stores.visual)})`,
  );
  return { dir, visual: join(dir, "visual"), audio: audio ? join(dir, "audio") : null, failed: summary.failed };
}
