/**
 * The documented real-data commands, run as written: feature files in every documented layout (HDF5 keyed "videoN",
 * a directory of .npy, an .npz) for all 10,000 MSR-VTT videos of the annotation release (and MSVD's 1,970 for the
 * cross-dataset target), at small dims; then the cross-category and cross-dataset benchmarks in their quick
 * configuration on them, with an external audio corpus (space.corpus) and with a space prebuilt by
 * `tavt clusters build` (space.path). Every path is given relative to the directory the "user" ran the command
 * in (INIT_CWD), while the script runs in benchmarks/ as nx runs it. The features are seeded noise: this checks
 * that the commands run, not what they score.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { openFeatureStore } from "@tavt/datasets";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  MSRVTT_DIR,
  MSVD_DIR,
  missingData,
  msrvttIds,
  msvdIds,
  writeFakeCorpus,
  writeFakeStore,
} from "./helpers/realFeatures";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const tsx = join(root, "node_modules", ".bin", "tsx");
const tavtBin = join(root, "..", "packages", "cli", "dist", "bin.js");

// The runs check paths, layouts and the space step, not arithmetic: once per CI, on the default backend's pass.
const why =
  missingData() ??
  (process.env.TAVT_BACKEND === "wasm"
    ? "TAVT_BACKEND=wasm (these runs check the commands, not the kernels: they run on the default backend's pass)"
    : null);
if (why) console.warn(`skipping the real-data benchmark runs: ${why}`);

/** Small dims: dv 8, da 4, 20 frames (the data.frames default); the corpus has 400 pooled audio units. */
const VISUAL = { frames: 20, dim: 8 };
const AUDIO = { frames: 20, dim: 4 };
/**
 * The quick configuration, cut further so that the runs take seconds: no meta-step or adaptation step (these runs
 * check paths, layouts and the space step; the training loop is tested elsewhere), two videos captioned per target.
 */
const TINY = ["--set", "train.steps=0", "--set", "adapt.steps=0", "--set", "eval.limit=2", "--set", "space.k=4"];

let work = "";

/** Run a benchmark script as `pnpm nx run benchmarks:<name>:quick -- <args>` does: in benchmarks/, INIT_CWD = work. */
function bench(name: string, args: string[]) {
  const r = spawnSync(tsx, [`src/${name}.ts`, "--quick", "--quiet", ...args], {
    cwd: root,
    env: { ...process.env, INIT_CWD: work },
    encoding: "utf8",
    timeout: 300_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface ResolvedConfig {
  data: { features: { visual: string; audio: string | null }; target: { features: { visual: string | null } } };
  space: { path: string | null; corpus: string | null };
}

/** Every seed's scores a run wrote (rows.json). */
function resultRows(out: string): { method: string; target: string; BLEU4: number; METEOR: number }[] {
  return JSON.parse(readFileSync(join(work, out, "rows.json"), "utf8"));
}

/** The resolved config of one method, as run.json records it. */
function configOf(out: string, method: string): ResolvedConfig {
  const run = JSON.parse(readFileSync(join(work, out, "run.json"), "utf8")) as {
    configs: Record<string, ResolvedConfig>;
  };
  const c = run.configs[method];
  if (!c) throw new Error(`${out}/run.json: no config for ${method}`);
  return c;
}

describe.skipIf(why !== null)("the documented real-data benchmark commands, on all 10,000 MSR-VTT video ids", () => {
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), "tavt-realdata-"));
    mkdirSync(join(work, "feats"));
    const ids = msrvttIds();
    const f = (p: string) => join(work, "feats", p);
    await writeFakeStore("hdf5", f("resnet.h5"), ids, { ...VISUAL, seed: 1 });
    await writeFakeStore("hdf5", f("vggish.h5"), ids, { ...AUDIO, seed: 2 });
    await writeFakeStore("npy", f("resnet-npy"), ids, { ...VISUAL, seed: 1 });
    await writeFakeStore("npz", f("vggish.npz"), ids, { ...AUDIO, seed: 2 });
    await writeFakeStore("npz", f("msvd-resnet.npz"), msvdIds(), { ...VISUAL, seed: 3 });
    writeFakeCorpus(f("flickr-units.npy"), 400, AUDIO.dim, 4);
    // the auditory-space step, as the guide runs it
    const r = spawnSync(
      process.execPath,
      [
        tavtBin,
        "clusters",
        "build",
        "--features",
        "feats/flickr-units.npy",
        "--k",
        "4",
        "--out",
        "feats/space.safetensors",
      ],
      { cwd: work, encoding: "utf8" },
    );
    expect(r.stderr + r.stdout).not.toMatch(/Error|error:/);
    expect(r.status).toBe(0);
  }, 120_000);
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("every layout holds every video id of the release, keyed videoN, at the small dims", async () => {
    const ids = msrvttIds();
    expect(ids.length).toBe(10000);
    for (const [p, shape] of [
      ["resnet.h5", VISUAL],
      ["resnet-npy", VISUAL],
      ["vggish.npz", AUDIO],
      ["vggish.h5", AUDIO],
    ] as const) {
      const store = await openFeatureStore(join(work, "feats", p));
      try {
        expect(store.ids().length, p).toBe(10000);
        expect(store.has("video0") && store.has("video9999"), p).toBe(true);
        expect(store.shape("video4321"), p).toEqual([shape.frames, shape.dim]);
      } finally {
        store.close();
      }
    }
    expect(existsSync(join(work, "feats", "space.safetensors"))).toBe(true);
  });

  it("cross-category: HDF5 features, M fitted on space.corpus; relative paths from where the command was run", () => {
    const r = bench("cross-category", [
      "--data",
      "msrvtt",
      "--annotations",
      MSRVTT_DIR,
      "--features",
      "feats/resnet.h5",
      "--audio-features",
      "feats/vggish.h5",
      "--set",
      "space.corpus=feats/flickr-units.npy",
      "--out",
      "results/cc-corpus",
      ...TINY,
    ]);
    expect(r.status, r.stderr).toBe(0);
    const rows = resultRows("results/cc-corpus");
    expect(new Set(rows.map((x) => x.target))).toEqual(new Set(["Animation", "Music", "Animal", "Kids", "Beauty"]));
    expect(rows.length).toBe(4 * 5);
    for (const x of rows) expect(Number.isFinite(x.METEOR)).toBe(true);
    const c = configOf("results/cc-corpus", "TAVT (MAML)");
    expect(c.data.features.visual).toBe(join(work, "feats", "resnet.h5"));
    expect(c.space.corpus).toBe(join(work, "feats", "flickr-units.npy"));
  }, 300_000);

  it("cross-dataset: a .npy directory and .npz files (MSVD target), M loaded from a space prebuilt by tavt clusters build", () => {
    const r = bench("cross-dataset", [
      "--data",
      "msrvtt",
      "--annotations",
      MSRVTT_DIR,
      "--features",
      "feats/resnet-npy",
      "--audio-features",
      "feats/vggish.npz",
      "--target-data",
      "msvd",
      "--target-annotations",
      MSVD_DIR,
      "--target-features",
      "feats/msvd-resnet.npz",
      "--set",
      "space.path=feats/space.safetensors",
      "--out",
      "results/cd-path",
      ...TINY,
    ]);
    // without space.corpus, building M on real data is a config error: success means the saved space was loaded
    expect(r.status, r.stderr).toBe(0);
    const rows = resultRows("results/cd-path");
    expect(rows.map((x) => x.target)).toEqual(Array(4).fill("MSVD"));
    for (const x of rows) expect(Number.isFinite(x.BLEU4)).toBe(true);
    const c = configOf("results/cd-path", "TAVT (MAML)");
    expect([c.data.features.visual, c.data.features.audio, c.data.target.features.visual]).toEqual([
      join(work, "feats", "resnet-npy"),
      join(work, "feats", "vggish.npz"),
      join(work, "feats", "msvd-resnet.npz"),
    ]);
    expect(c.space.path).toBe(join(work, "feats", "space.safetensors"));
  }, 300_000);

  it("with no audio corpus and no saved space, a real-data run stops (exit 2) naming the exact flag to add", () => {
    const r = bench("cross-category", [
      "--data",
      "msrvtt",
      "--annotations",
      MSRVTT_DIR,
      "--features",
      "feats/resnet.h5",
      "--audio-features",
      "feats/vggish.h5",
      "--out",
      "results/cc-none",
      ...TINY,
    ]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /add --set space\.corpus=FILE .*--set space\.path=FILE .*--set space\.source=source-domains/,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /); // one line, no stack trace
  }, 300_000);

  it("a relative path that exists nowhere is reported from the caller's directory", () => {
    const r = bench("cross-category", [
      "--data",
      "msrvtt",
      "--annotations",
      MSRVTT_DIR,
      "--features",
      "feats/nope.h5",
      "--set",
      "space.corpus=feats/flickr-units.npy",
      "--out",
      "results/cc-nope",
      ...TINY,
    ]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(join(work, "feats", "nope.h5"));
  }, 300_000);
});
