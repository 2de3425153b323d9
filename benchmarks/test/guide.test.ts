/**
 * docs/reproduce-msrvtt.md, run: every fenced `sh runnable` block of the guide is split into commands and each is
 * run here at a small scale, on stand-in features for every MSR-VTT and MSVD video id (seeded noise at small dims,
 * in the layouts and file names the guide uses), from a directory laid out as the guide says (data/msrvtt,
 * data/msvd, videos/, models/, feats/). `tavt features extract` runs on copies of @tavt/features' fixture clip with
 * its tiny ONNX models standing in for ResNet-101 and VGGish, writing beside the stand-in stores (its --out and
 * --audio-out are redirected, so the later commands read stores that hold every video id); `tavt bench speed`
 * runs at --size tiny with one step of each kind. `pnpm tavt ARGS` runs the built CLI in that directory; `pnpm nx run benchmarks:NAME -- ARGS`
 * runs the benchmark script as nx does (in benchmarks/, INIT_CWD the guide's directory) with SMALL appended. A
 * shell block not marked runnable, or a command of another form, fails the test: nothing in the guide goes unrun.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MSRVTT_DIR, MSVD_DIR, missingData, msrvttIds, msvdIds, writeFakeStore } from "./helpers/realFeatures";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const guide = join(root, "..", "docs", "reproduce-msrvtt.md");
const tsx = join(root, "node_modules", ".bin", "tsx");
const tavtBin = join(root, "..", "packages", "cli", "dist", "bin.js");
const featureFixtures = join(root, "..", "packages", "features", "test", "fixtures");
/** `tavt features extract` needs ffmpeg and onnxruntime-node (CI has both: there a missing one fails the test). */
const extractWhy =
  process.env.CI === "true"
    ? null
    : !["ffmpeg", "ffprobe"].every((b) => spawnSync(b, ["-version"], { stdio: "ignore" }).status === 0)
      ? "ffmpeg is not on PATH"
      : !existsSync(join(root, "..", "packages", "features", "node_modules", "onnxruntime-node"))
        ? "onnxruntime-node is not installed"
        : null;

/**
 * What the test appends to every benchmark command (the last --preset wins): the quick preset (width 32, one block
 * per stack) instead of the paper's, one seed, no meta-step or adaptation step (the training loop is tested
 * elsewhere), two videos captioned per target. The guide's data options, paths and space settings run as written.
 */
const SMALL = ["--preset", "quick", "--seeds", "0"].concat(
  ...["train.steps=0", "adapt.steps=0", "eval.limit=2"].map((s) => ["--set", s]),
);

/** The shell commands of the guide's runnable blocks (comments dropped, `\` continuations joined). */
function guideCommands(text: string): { commands: string[]; unmarked: string[] } {
  const commands: string[] = [];
  const unmarked: string[] = [];
  const fence = /^```([^\n]*)\n([\s\S]*?)^```$/gm;
  for (const m of text.matchAll(fence)) {
    const info = m[1]!.trim().split(/\s+/);
    if (!["sh", "bash", "shell", "console"].includes(info[0] ?? "")) continue;
    if (!info.includes("runnable")) {
      unmarked.push(m[2]!.split("\n")[0]!);
      continue;
    }
    const joined = m[2]!.replace(/\\\n\s*/g, " ");
    for (const line of joined.split("\n")) {
      const cmd = line.replace(/(^|\s)#.*$/, "").trim();
      if (cmd) commands.push(cmd);
    }
  }
  return { commands, unmarked };
}

/** Split a command line into words (no quoting is used in the guide; refuse any, so that none is misread). */
function words(cmd: string): string[] {
  if (/["'`$|;&<>]/.test(cmd)) throw new Error(`guide command uses shell syntax the test does not run: ${cmd}`);
  return cmd.split(/\s+/);
}

const why =
  missingData() ??
  (process.env.TAVT_BACKEND === "wasm"
    ? "TAVT_BACKEND=wasm (the guide's commands are checked once, on the default backend's pass)"
    : null);
if (why) console.warn(`skipping the run of docs/reproduce-msrvtt.md: ${why}`);

describe("docs/reproduce-msrvtt.md: every command in it runs", () => {
  const { commands, unmarked } = guideCommands(readFileSync(guide, "utf8"));

  it("every shell block of the guide is marked runnable (so this test runs it)", () => {
    expect(unmarked).toEqual([]);
    expect(commands.length).toBeGreaterThan(4);
  });

  describe.skipIf(why !== null)("on stand-in features for every MSR-VTT and MSVD video id", () => {
    let work = "";
    beforeAll(async () => {
      work = mkdtempSync(join(tmpdir(), "tavt-guide-"));
      mkdirSync(join(work, "data"));
      mkdirSync(join(work, "feats"));
      symlinkSync(MSRVTT_DIR, join(work, "data", "msrvtt"));
      symlinkSync(MSVD_DIR, join(work, "data", "msvd"));
      const f = (p: string) => join(work, "feats", p);
      const ids = msrvttIds();
      await writeFakeStore("hdf5", f("resnet101.h5"), ids, { frames: 20, dim: 8, seed: 1 });
      await writeFakeStore("hdf5", f("vggish.h5"), ids, { frames: 20, dim: 4, seed: 2 });
      await writeFakeStore("hdf5", f("msvd-resnet101.h5"), msvdIds(), { frames: 20, dim: 8, seed: 3 });
      // videos and models for `tavt features extract`: @tavt/features' fixture clip and tiny ONNX models
      for (const [dir, names] of [
        ["msrvtt", ["video0", "video1"]],
        ["msvd", ["vid1"]],
        ["external", ["flickr0"]],
      ] as const) {
        mkdirSync(join(work, "videos", dir), { recursive: true });
        for (const n of names) copyFileSync(join(featureFixtures, "clip.mp4"), join(work, "videos", dir, `${n}.mp4`));
      }
      mkdirSync(join(work, "models"));
      copyFileSync(join(featureFixtures, "tiny-image.onnx"), join(work, "models", "resnet101.onnx"));
      copyFileSync(join(featureFixtures, "tiny-audio.onnx"), join(work, "models", "vggish.onnx"));
      const external = Array.from({ length: 200 }, (_, i) => `flickr${i}`);
      await writeFakeStore("hdf5", f("external-vggish.h5"), external, { frames: 20, dim: 4, seed: 4 });
    }, 120_000);
    afterAll(() => {
      if (work) rmSync(work, { recursive: true, force: true });
    });

    for (const [i, cmd] of commands.entries()) {
      const extract = cmd.startsWith("pnpm tavt features extract");
      if (extract && extractWhy) console.warn(`skipping guide command ${i + 1} (${cmd}): ${extractWhy}`);
      it.skipIf(extract && extractWhy !== null)(
        `${i + 1}. ${cmd}`,
        () => {
          const w = words(cmd);
          let r: ReturnType<typeof spawnSync>;
          const t0 = performance.now();
          if (extract) {
            // the stand-in stores the later commands read stay: the extracted stores go beside them
            const out = ["--out", join(work, "extracted", `command-${i + 1}.h5`)];
            if (w.includes("--audio-out"))
              out.push("--audio-out", join(work, "extracted", `command-${i + 1}-audio.h5`));
            r = spawnSync(process.execPath, [tavtBin, ...w.slice(2), ...out], { cwd: work, encoding: "utf8" });
            expect(existsSync(out[1]!), String(r.stderr)).toBe(true);
          } else if (w[0] === "pnpm" && w[1] === "tavt") {
            // the paper-size speed measurement is cut to the tiny model, one step of each kind (the last option wins)
            const small =
              w[2] === "bench"
                ? ["--size", "tiny", "--steps", "1", "--warmup", "0", "--meta-steps", "1", "--meta-warmup", "0"]
                : [];
            r = spawnSync(process.execPath, [tavtBin, ...w.slice(2), ...small], { cwd: work, encoding: "utf8" });
          } else if (w[0] === "pnpm" && w[1] === "nx" && w[2] === "run" && w[3]?.startsWith("benchmarks:")) {
            const [name, config] = w[3].slice("benchmarks:".length).split(":");
            const rest = w[4] === "--" ? w.slice(5) : w.slice(4);
            const quick = config === "quick" ? ["--quick"] : [];
            // results go where the command says (resolved from INIT_CWD), or into the scratch directory
            const out = rest.includes("--out") ? [] : ["--out", join(work, "results", `command-${i + 1}`)];
            r = spawnSync(tsx, [`src/${name}.ts`, ...quick, ...rest, ...SMALL, ...out, "--quiet"], {
              cwd: root,
              env: { ...process.env, INIT_CWD: work },
              encoding: "utf8",
            });
          } else {
            throw new Error(`guide command of a form this test cannot run: ${cmd}`);
          }
          const seconds = (performance.now() - t0) / 1000;
          console.log(`guide command ${i + 1} took ${seconds.toFixed(1)} s: ${cmd}`);
          expect(r.status, String(r.stderr)).toBe(0);
        },
        600_000,
      );
    }
  });
});
