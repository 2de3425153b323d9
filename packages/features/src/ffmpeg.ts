import { spawn, spawnSync } from "node:child_process";
import { TavtError } from "@tavt/core";

/** How to install ffmpeg, named in every "ffmpeg not found" error. */
export const FFMPEG_INSTALL =
  "install ffmpeg (Debian/Ubuntu: apt-get install ffmpeg; macOS: brew install ffmpeg) or set TAVT_FFMPEG to its path";

/** The ffmpeg and ffprobe binaries: `TAVT_FFMPEG` / `TAVT_FFPROBE`, else from PATH. */
export interface FfmpegBinaries {
  ffmpeg: string;
  ffprobe: string;
}

/**
 * Find ffmpeg and ffprobe (run `-version` once); throws NOT_FOUND with install instructions when missing.
 *
 * @param env - Read for `TAVT_FFMPEG` and `TAVT_FFPROBE` (`process.env` by default).
 * @returns The paths or names of ffmpeg and ffprobe.
 * @throws `TavtError` (from `@tavt/core`) `NOT_FOUND` with install instructions when either does not run.
 */
export function findFfmpeg(env: NodeJS.ProcessEnv = process.env): FfmpegBinaries {
  const ffmpeg = env.TAVT_FFMPEG ?? "ffmpeg";
  const ffprobe =
    env.TAVT_FFPROBE ?? (env.TAVT_FFMPEG ? env.TAVT_FFMPEG.replace(/ffmpeg([^/\\]*)$/, "ffprobe$1") : "ffprobe");
  for (const bin of [ffmpeg, ffprobe]) {
    const r = spawnSync(bin, ["-version"], { stdio: "ignore" });
    if (r.error || r.status !== 0) {
      throw new TavtError("NOT_FOUND", `${bin}: not found or not runnable; ${FFMPEG_INSTALL}`, { file: bin });
    }
  }
  return { ffmpeg, ffprobe };
}

/** Run a binary, collecting stdout; rejects with the last stderr line when it fails. */
function run(bin: string, args: string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    let err = "";
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => {
      err = (err + b.toString("utf8")).slice(-4000);
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve(Buffer.concat(out));
      else {
        const last = err.trim().split("\n").filter(Boolean).pop() ?? `exit code ${code}`;
        reject(new Error(last));
      }
    });
  });
}

/** What ffprobe says about a video: its duration and whether it has video and audio streams. */
export interface VideoInfo {
  duration: number;
  hasVideo: boolean;
  hasAudio: boolean;
}

/**
 * A video's duration and streams, from ffprobe.
 *
 * @param bins - The ffmpeg and ffprobe binaries.
 * @param file - The video file.
 * @returns Its duration and whether it has video and audio streams.
 * @throws `TavtError` (from `@tavt/core`) `BAD_FILE` when ffprobe cannot read it.
 */
export async function probeVideo(bins: FfmpegBinaries, file: string): Promise<VideoInfo> {
  let json: { streams?: { codec_type?: string; duration?: string }[]; format?: { duration?: string } };
  try {
    const out = await run(bins.ffprobe, [
      "-v",
      "error",
      "-show_entries",
      "format=duration:stream=codec_type,duration",
      "-of",
      "json",
      file,
    ]);
    json = JSON.parse(out.toString("utf8"));
  } catch (e) {
    throw new TavtError("BAD_FILE", `${file}: unreadable video (${(e as Error).message})`, { file });
  }
  const streams = json.streams ?? [];
  const duration = Number(json.format?.duration ?? streams.find((s) => s.duration)?.duration ?? Number.NaN);
  return {
    duration,
    hasVideo: streams.some((s) => s.codec_type === "video"),
    hasAudio: streams.some((s) => s.codec_type === "audio"),
  };
}

/** How frames are sampled and sized. */
export interface FrameOptions {
  /** Frames per second to sample; ignored when `count` is set. */
  fps?: number;
  /** Sample this many frames spread uniformly over the video (needs its duration). */
  count?: number;
  /** Resize so that the shorter side is this many pixels (aspect kept); 0: native size. */
  resize: number;
  /** Centre crop to a square of this many pixels; 0: no crop. */
  crop: number;
}

/** Decoded RGB frames, `[frames, height, width, 3]` bytes. */
export interface Frames {
  data: Uint8Array;
  frames: number;
  height: number;
  width: number;
}

function filterOf(o: FrameOptions, duration: number): { filter: string; max?: number } {
  const parts: string[] = [];
  if (o.count !== undefined) {
    if (!(duration > 0)) throw new Error("unknown duration, cannot spread frames over it");
    parts.push(`fps=${(o.count / duration).toPrecision(12)}`);
  } else if (o.fps !== undefined) parts.push(`fps=${o.fps}`);
  if (o.resize > 0) {
    parts.push(`scale='if(lte(iw,ih),${o.resize},-2)':'if(lte(iw,ih),-2,${o.resize})':flags=bilinear`);
  }
  if (o.crop > 0) parts.push(`crop=${o.crop}:${o.crop}`);
  return { filter: parts.join(","), max: o.count };
}

/**
 * Split a stream of binary PPM images (P6, maxval 255) into RGB frames of one size.
 *
 * @param buf - Concatenated P6 images.
 * @returns The frames' RGB bytes `[frames, height, width, 3]`, with their count and size.
 * @throws Error for an image that is not P6 with maxval 255, or frames of different sizes.
 */
export function parsePpmStream(buf: Uint8Array): Frames {
  const chunks: Uint8Array[] = [];
  let width = 0;
  let height = 0;
  let at = 0;
  const token = (): string => {
    for (;;) {
      while (at < buf.length && /\s/.test(String.fromCharCode(buf[at]!))) at++;
      if (buf[at] === 0x23) while (at < buf.length && buf[at] !== 0x0a) at++;
      else break;
    }
    const start = at;
    while (at < buf.length && !/\s/.test(String.fromCharCode(buf[at]!))) at++;
    return String.fromCharCode(...buf.subarray(start, at));
  };
  while (at < buf.length) {
    if (token() !== "P6") throw new Error("ffmpeg gave a frame that is not a binary PPM");
    const w = Number(token());
    const h = Number(token());
    const maxval = Number(token());
    at++; // the single whitespace after maxval
    if (maxval !== 255) throw new Error(`PPM maxval ${maxval}, expected 255`);
    if (chunks.length > 0 && (w !== width || h !== height)) throw new Error("frames of different sizes");
    width = w;
    height = h;
    const n = w * h * 3;
    if (at + n > buf.length) break; // a cut-off last frame
    chunks.push(buf.subarray(at, at + n));
    at += n;
  }
  const data = new Uint8Array(chunks.length * width * height * 3);
  chunks.forEach((c, i) => {
    data.set(c, i * c.length);
  });
  return { data, frames: chunks.length, height, width };
}

/**
 * Decode a video's frames to RGB24 with ffmpeg (`fps`, `scale`, `crop` filters), as a PPM stream.
 *
 * @param bins - The ffmpeg and ffprobe binaries.
 * @param file - The video file.
 * @param info - What `probeVideo` said about it.
 * @param o - How frames are sampled and sized.
 * @returns The decoded frames.
 * @throws Error when ffmpeg fails (its last stderr line) or the stream is malformed.
 */
export async function decodeFrames(
  bins: FfmpegBinaries,
  file: string,
  info: VideoInfo,
  o: FrameOptions,
): Promise<Frames> {
  const { filter, max } = filterOf(o, info.duration);
  const args = ["-v", "error", "-i", file, "-an"];
  if (filter) args.push("-vf", filter);
  if (max !== undefined) args.push("-frames:v", String(max));
  args.push("-f", "image2pipe", "-c:v", "ppm", "-pix_fmt", "rgb24", "-");
  return parsePpmStream(await run(bins.ffmpeg, args));
}

/**
 * Decode a video's audio to mono float32 PCM at `sampleRate` (16 kHz for VGGish).
 *
 * @param bins - The ffmpeg and ffprobe binaries.
 * @param file - The video file.
 * @param sampleRate - Samples per second (16000 by default).
 * @returns The samples.
 * @throws Error when ffmpeg fails (its last stderr line).
 */
export async function decodeAudio(bins: FfmpegBinaries, file: string, sampleRate = 16000): Promise<Float32Array> {
  const raw = await run(bins.ffmpeg, [
    "-v",
    "error",
    "-i",
    file,
    "-vn",
    "-ac",
    "1",
    "-ar",
    String(sampleRate),
    "-f",
    "f32le",
    "-",
  ]);
  const copy = new Uint8Array(raw.length - (raw.length % 4));
  copy.set(raw.subarray(0, copy.length));
  return new Float32Array(copy.buffer);
}
