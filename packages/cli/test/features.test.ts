import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { audioStoreBeside } from "../src/commands/features";
import { run, TINY, tempDir } from "./helpers";

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, "..", "..", "features", "test", "fixtures");
const bin = join(here, "..", "dist", "bin.js");
const haveFfmpeg = ["ffmpeg", "ffprobe"].every((b) => spawnSync(b, ["-version"], { stdio: "ignore" }).status === 0);
const haveOrt = await import("@tavt/features")
  .then((f) => f.loadOnnxRuntime())
  .then(
    () => true,
    () => false,
  );
const skip = (!haveFfmpeg && process.env.CI !== "true") || !haveOrt;
if (skip)
  console.warn("skipping tavt features extract: ffmpeg (apt-get install ffmpeg) or onnxruntime-node is missing");

const MODELS = [
  "--visual-model",
  join(fixtures, "tiny-image.onnx"),
  "--visual-output",
  "embedding",
  "--audio-model",
  join(fixtures, "tiny-audio.onnx"),
  "--fps",
  "4",
  "--resize",
  "32",
  "--crop",
  "32",
];

function videos(dir: string, copies: number): string {
  const v = join(dir, "videos");
  mkdirSync(v, { recursive: true });
  for (let i = 0; i < copies; i++) copyFileSync(join(fixtures, "clip.mp4"), join(v, `video${i}.mp4`));
  const whole = readFileSync(join(fixtures, "clip.mp4"));
  writeFileSync(join(v, `video${copies}.mp4`), whole.subarray(0, 2000));
  return v;
}

describe("tavt features extract", () => {
  it("the audio store beside the visual one", () => {
    expect(audioStoreBeside("feats/msrvtt.h5")).toBe("feats/msrvtt-audio.h5");
    expect(audioStoreBeside("feats/resnet/")).toBe("feats/resnet-audio");
  });

  it.skipIf(skip)(
    "--audio-pca FILE (VGGish's PCA parameters) and --audio-quantize",
    async () => {
      const dir = tempDir();
      const { writeNpz } = await import("@tavt/datasets");
      const pca = join(dir, "pca.npz");
      // a permutation with a scale as the PCA matrix, zero means: feature i of the output is 2 x feature (i + 1) % 3
      writeNpz(pca, [
        { id: "pca_eigen_vectors", data: new Float32Array([0, 2, 0, 0, 0, 2, 2, 0, 0]), shape: [3, 3] },
        { id: "pca_means", data: new Float32Array(3), shape: [3, 1] },
      ]);
      const v = videos(dir, 1);
      const audioOnly = MODELS.slice(4, 6);
      const plain = await run("features", "extract", "--videos", v, ...audioOnly, "--out", join(dir, "a"), "--quiet");
      const pcad = await run(
        "features",
        "extract",
        "--videos",
        v,
        ...audioOnly,
        "--out",
        join(dir, "b"),
        "--audio-pca",
        pca,
        "--quiet",
      );
      const quant = await run(
        "features",
        "extract",
        "--videos",
        v,
        ...audioOnly,
        "--out",
        join(dir, "c"),
        "--audio-pca",
        pca,
        "--audio-quantize",
        "--quiet",
      );
      expect([plain.code, pcad.code, quant.code]).toEqual([1, 1, 1]); // the truncated video
      const { decodeNpy } = await import("@tavt/datasets");
      const read = (d: string) => decodeNpy(readFileSync(join(dir, d, "video0.npy")), d).data;
      const a = read("a");
      const b = read("b");
      const c = read("c");
      for (let r = 0; r < a.length / 3; r++) {
        for (let i = 0; i < 3; i++) {
          const want = 2 * a[r * 3 + ((i + 1) % 3)]!;
          expect(b[r * 3 + i]).toBeCloseTo(want, 5);
          expect(c[r * 3 + i]).toBe(Math.floor((Math.min(2, Math.max(-2, b[r * 3 + i]!)) + 2) * (255 / 4)));
        }
      }
      const bad = await run(
        "features",
        "extract",
        "--videos",
        v,
        ...audioOnly,
        "--out",
        join(dir, "d"),
        "--audio-quantize",
      );
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/--audio-quantize: give --audio-pca too/);
    },
    60_000,
  );

  it("without ffmpeg: exit 2, saying how to install it", async () => {
    const dir = tempDir();
    const saved = process.env.TAVT_FFMPEG;
    process.env.TAVT_FFMPEG = join(dir, "no-ffmpeg");
    try {
      const r = await run("features", "extract", "--videos", videos(dir, 1), ...MODELS, "--out", join(dir, "v.h5"));
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(
        /no-ffmpeg: not found or not runnable; install ffmpeg \(Debian\/Ubuntu: apt-get install ffmpeg/,
      );
    } finally {
      if (saved === undefined) delete process.env.TAVT_FFMPEG;
      else process.env.TAVT_FFMPEG = saved;
    }
  });

  it.skipIf(skip)(
    "prints its summary, lists the unreadable video and exits 1; killed and rerun, it resumes",
    async () => {
      const dir = tempDir();
      const v = videos(dir, 6);
      const out = join(dir, "feats", "msrvtt.h5");
      // a run killed after its first videos: no .h5 yet, the finished videos kept as parts
      const child = spawn(process.execPath, [
        bin,
        "features",
        "extract",
        "--videos",
        v,
        ...MODELS,
        "--out",
        out,
        "--concurrency",
        "1",
        "--quiet",
      ]);
      let stderr = "";
      let exited = false;
      child.stderr.on("data", (b: Buffer) => {
        stderr += b.toString();
      });
      child.on("close", () => {
        exited = true;
      });
      const parts = `${out}.parts`;
      const audioParts = join(dir, "feats", "msrvtt-audio.h5.parts");
      const npys = (d: string) => (existsSync(d) ? readdirSync(d).filter((f) => f.endsWith(".npy")) : []);
      // a video is done when both its visual and its audio part are written (the visual one comes first, so a
      // kill between the two leaves a visual part that the rerun extracts again)
      const done = () => npys(parts).filter((f) => npys(audioParts).includes(f)).length;
      const t0 = Date.now();
      while (done() < 2) {
        if (exited) throw new Error(`the first run ended before it could be killed: ${stderr}`);
        if (Date.now() - t0 > 60_000) throw new Error("the first run wrote nothing in 60 s");
        await new Promise((r) => setTimeout(r, 20));
      }
      child.kill("SIGKILL");
      while (!exited) await new Promise((r) => setTimeout(r, 10));
      const kept = done();
      expect(existsSync(out)).toBe(false);
      console.log(`killed run: no ${out.split("/").pop()}, ${kept} videos kept in ${parts.split("/").pop()}/`);

      const r = await run("features", "extract", "--videos", v, ...MODELS, "--out", out);
      console.log(r.stdout.trim());
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(
        new RegExp(
          `^extracted ${6 - kept} of 7 videos \\(${kept} already done, 1 failed\\) in [0-9.]+ s: visual .*msrvtt\\.h5, audio .*msrvtt-audio\\.h5\\n$`,
        ),
      );
      expect(r.stderr).toMatch(/video6\.mp4: unreadable video/);
      expect(r.stderr.trim().split("\n").pop()).toBe(
        "tavt: 1 of 7 videos could not be used (listed above); the stores hold the others",
      );
      expect(existsSync(out) && existsSync(join(dir, "feats", "msrvtt-audio.h5")) && !existsSync(parts)).toBe(true);
      const again = await run("features", "extract", "--videos", v, ...MODELS, "--out", out, "--json");
      expect(JSON.parse(again.stdout)).toMatchObject({ total: 7, extracted: 0, skipped: 6 });
    },
    120_000,
  );

  it.skipIf(skip)(
    "tavt caption --run RUN --videos DIR extracts features as the run's were made, then captions",
    async () => {
      const dir = tempDir();
      const clip = join(fixtures, "clip.mp4");
      const copies = (sub: string, names: string[]) => {
        mkdirSync(join(dir, sub), { recursive: true });
        for (const n of names) copyFileSync(clip, join(dir, sub, `${n}.mp4`));
        return join(dir, sub);
      };
      // a dataset directory whose features tavt features extract made: 4 domains of 8 videos (6 train, 2 test)
      const ids = Array.from({ length: 32 }, (_, i) => `video${i}`);
      const ds = join(dir, "ds");
      const ex = await run(
        "features",
        "extract",
        "--videos",
        copies("train-videos", ids),
        ...MODELS,
        "--out",
        join(ds, "visual.h5"),
        "--audio-out",
        join(ds, "audio.h5"),
        "--quiet",
      );
      expect(ex.code, ex.stderr).toBe(0);
      expect(existsSync(join(ds, "visual.h5.extractor.json")) && existsSync(join(ds, "audio.h5.extractor.json"))).toBe(
        true,
      );
      const domains = ["A", "B", "C", "T"];
      writeFileSync(
        join(ds, "annotations.json"),
        JSON.stringify({
          format: "tavt-dataset",
          version: 1,
          name: "clips",
          sourceDomains: ["A", "B", "C"],
          targetDomains: ["T"],
          audioAbsentDomains: [],
          features: { visual: "visual.h5", audio: "audio.h5" },
          videos: ids.map((id, i) => ({
            id,
            domain: domains[i % 4],
            captions: ["colour bars and a tone", "a test pattern with a beep"],
            split: Math.floor(i / 4) < 6 ? "train" : "test",
          })),
        }),
      );
      const runDir = join(dir, "run");
      const tr = await run(
        "train",
        "--preset",
        "quick",
        ...TINY,
        "--data",
        "dir",
        "--annotations",
        ds,
        "--set",
        "space.source=source-domains",
        "--set",
        "space.unit=1",
        "--set",
        "data.minCount=1",
        "--out",
        runDir,
        "--quiet",
      );
      expect(tr.code, tr.stderr).toBe(0);
      const fresh = copies("new-videos", ["new0", "new1"]);
      writeFileSync(join(fresh, "new2.mp4"), readFileSync(clip).subarray(0, 2000));
      const cap = await run("caption", "--run", runDir, "--videos", fresh, "--json");
      expect(cap.code).toBe(1); // new2 is unreadable
      expect((JSON.parse(cap.stdout) as { id: string }[]).map((c) => c.id)).toEqual(["new0", "new1"]);
      expect(cap.stderr).toMatch(/new2\.mp4: unreadable video/);
      // captions of the same clip through --features made by hand the same way are the same
      const same = await run(
        "caption",
        "--run",
        runDir,
        "--features",
        join(ds, "visual.h5"),
        "--audio-features",
        join(ds, "audio.h5"),
        "--json",
      );
      const byId = new Map(
        (JSON.parse(same.stdout) as { id: string; caption: string }[]).map((c) => [c.id, c.caption]),
      );
      expect(JSON.parse(cap.stdout)[0].caption).toBe(byId.get("video0"));
      // a run whose features were not made by tavt features extract: the error says so
      rmSync(join(ds, "visual.h5.extractor.json"));
      const none = await run("caption", "--run", runDir, "--videos", fresh);
      expect(none.code).toBe(2);
      expect(none.stderr).toMatch(
        /visual\.h5\.extractor\.json not found: the run's features .* were not made by tavt features extract/,
      );
    },
    180_000,
  );
});
