// Remakes public/example: a small run trained by the CLI on the embedded synthetic benchmark (the quick preset,
// 300 joint steps) and the features of the first 5 test videos of each target domain, with their references.
//
//   pnpm --filter web exec tsx scripts/make-example.ts [out-dir]     # default: public/example
//
// Training runs on whatever backend tavt picks (TAVT_BACKEND to choose; the committed example came from the native
// backend with TAVT_NATIVE_THREADS=1).
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { openFeatureStore, writeNpz } from "@tavt/datasets";

const app = join(dirname(fileURLToPath(import.meta.url)), "..");
const cli = join(app, "..", "..", "packages", "cli", "dist", "bin.js");
const out = process.argv[2] ?? join(app, "public", "example");
const work = mkdtempSync(join(tmpdir(), "tavt-example-"));
const tavt = (...args: string[]) => execFileSync(process.execPath, [cli, ...args], { stdio: "inherit" });

try {
  const run = join(work, "run");
  tavt(
    "train",
    "--preset",
    "quick",
    "--meta-learner",
    "joint",
    "--set",
    "train.steps=300",
    "--seed",
    "1",
    "--out",
    run,
    "-q",
  );
  // The quick preset's data (400 synthetic videos, generator seed 0), written out as a dataset directory.
  tavt("data", "synth", "--out", join(work, "synth"), "--videos", "400", "--format", "npz", "-q");
  const annotations = JSON.parse(readFileSync(join(work, "synth", "annotations.json"), "utf8")) as {
    videos: { id: string; domain: string; split: string; captions: string[] }[];
  };
  const picked = ["Animation", "Music", "Animal", "Kids", "Beauty"].flatMap((d) =>
    annotations.videos.filter((v) => v.domain === d && v.split === "test").slice(0, 5),
  );
  mkdirSync(out, { recursive: true });
  for (const f of ["config.yaml", "vocab.json", "space.safetensors", "model.safetensors"]) {
    copyFileSync(join(run, f), join(out, f));
  }
  for (const kind of ["visual", "audio"]) {
    const store = await openFeatureStore(join(work, "synth", `${kind}.npz`));
    writeNpz(
      join(out, `${kind}.npz`),
      picked.map((v) => ({ id: v.id, data: store.read(v.id), shape: store.shape(v.id) })),
    );
    store.close();
  }
  writeFileSync(
    join(out, "references.json"),
    `${JSON.stringify(Object.fromEntries(picked.map((v) => [v.id, v.captions])), null, 1)}\n`,
  );
  console.log(`wrote ${out}: a run and ${picked.length} videos' features and references`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
