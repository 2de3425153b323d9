import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openFeatureStore } from "@tavt/datasets";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ExtractOptions, extractFeatures, IMAGENET_MEAN, IMAGENET_STD } from "../src";
import { allclose, FIXTURES, ffmpeg, floats, haveOrt, onnxFixture, skipFfmpeg } from "./helpers";

const fx = onnxFixture();

/**
 * Videos synthesised with ffmpeg: tones over testsrc (mp4, mkv, avi), one without an audio stream, one with a
 * silent track, one cut short (unreadable), and the fixture clip PyTorch's outputs were computed on.
 */
function makeVideos(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const src = (d: number) => ["-f", "lavfi", "-i", `testsrc=size=64x48:rate=10:duration=${d}`];
  const tone = (f: number, d: number) => ["-f", "lavfi", "-i", `sine=frequency=${f}:sample_rate=44100:duration=${d}`];
  ffmpeg(
    ...src(2),
    ...tone(660, 2),
    "-c:v",
    "libx264",
    "-pix_fmt",
    "yuv420p",
    "-c:a",
    "aac",
    "-shortest",
    join(dir, "tone660.mkv"),
  );
  ffmpeg(...src(3), ...tone(880, 3), "-c:v", "mpeg4", "-c:a", "pcm_s16le", "-shortest", join(dir, "tone880.avi"));
  ffmpeg(...src(2), "-c:v", "libx264", "-pix_fmt", "yuv420p", join(dir, "noaudio.mp4"));
  ffmpeg(
    ...src(2),
    "-f",
    "lavfi",
    "-i",
    "anullsrc=r=16000:cl=mono",
    "-t",
    "2",
    "-c:v",
    "libx264",
    "-pix_fmt",
    "yuv420p",
    "-c:a",
    "aac",
    "-shortest",
    join(dir, "silent.mp4"),
  );
  const whole = readFileSync(join(FIXTURES, "clip.mp4"));
  writeFileSync(join(dir, "truncated.mp4"), whole.subarray(0, Math.floor(whole.length / 3)));
  copyFileSync(join(FIXTURES, "clip.mp4"), join(dir, "clip.mp4"));
  writeFileSync(join(dir, "notes.txt"), "not a video");
}

const options = (videos: string, out: string, audioOut: string): ExtractOptions => ({
  videos,
  visual: {
    model: join(FIXTURES, "tiny-image.onnx"),
    output: "embedding",
    out,
    frames: { fps: 4, resize: 32, crop: 32 },
    mean: IMAGENET_MEAN,
    std: IMAGENET_STD,
  },
  audio: { model: join(FIXTURES, "tiny-audio.onnx"), out: audioOut },
  concurrency: 2,
});

describe.skipIf(skipFfmpeg || !haveOrt)("extractFeatures on videos synthesised with ffmpeg", () => {
  let dir = "";
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "tavt-features-"));
    makeVideos(join(dir, "videos"));
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("HDF5 and .npy stores keyed by video id; unusable videos reported and in neither store; PyTorch's numbers", async () => {
    const out = join(dir, "visual.h5");
    const audioOut = join(dir, "audio");
    const s = await extractFeatures(options(join(dir, "videos"), out, audioOut));
    expect([s.total, s.extracted, s.skipped]).toEqual([6, 3, 0]);
    expect(s.failed.map((f) => [f.id, f.reason.replace(/ \(.*$/, "")])).toEqual([
      ["noaudio", "no audio stream"],
      ["silent", "silent audio"],
      ["truncated", "unreadable video"],
    ]);
    const visual = await openFeatureStore(out);
    const audio = await openFeatureStore(audioOut);
    try {
      expect(visual.ids()).toEqual(["clip", "tone660", "tone880"]);
      expect(audio.ids()).toEqual(["clip", "tone660", "tone880"]);
      expect(visual.shape("tone880")).toEqual([12, 6]); // 3 s at 4 fps
      expect(audio.shape("tone880")).toEqual([3, 3]); // 3 s: three 0.96 s examples
      const v = allclose(visual.read("clip"), floats(fx.embedding), 1e-5, 1e-5);
      const a = allclose(audio.read("clip"), floats(fx.audioEmbedding), 1e-4, 1e-4);
      console.log(
        `extracted vs PyTorch on clip.mp4: visual max |difference| ${v.maxAbs.toExponential(2)}, audio ${a.maxAbs.toExponential(2)}`,
      );
      expect(v.ok && a.ok).toBe(true);
    } finally {
      visual.close();
      audio.close();
    }
    expect(existsSync(`${out}.parts`)).toBe(false);
  }, 120_000);

  it("an interrupted run leaves no .h5 and its finished videos; the next run resumes from them", async () => {
    const out = join(dir, "resume.h5");
    const audioOut = join(dir, "resume-audio.h5");
    const first = options(join(dir, "videos"), out, audioOut);
    let n = 0;
    first.concurrency = 1;
    first.onEvent = (e) => {
      if (e.kind === "video" && e.status === "extracted" && ++n === 2) throw new Error("interrupted");
    };
    await expect(extractFeatures(first)).rejects.toThrow(/interrupted/);
    expect(existsSync(out) || existsSync(audioOut)).toBe(false); // never a half-written store
    expect(readdirSync(`${out}.parts`).sort()).toEqual(
      ["clip.npy", "noaudio.npy"].slice(0, 0).concat(["clip.npy", "tone660.npy"]),
    );
    const second = await extractFeatures(options(join(dir, "videos"), out, audioOut));
    expect([second.extracted, second.skipped, second.failed.length]).toEqual([1, 2, 3]);
    const store = await openFeatureStore(out);
    expect(store.ids()).toEqual(["clip", "tone660", "tone880"]);
    store.close();
    expect(existsSync(`${out}.parts`)).toBe(false);
    // a third run finds everything done
    const third = await extractFeatures(options(join(dir, "videos"), out, audioOut));
    expect([third.extracted, third.skipped]).toEqual([0, 3]);
  }, 120_000);
});
