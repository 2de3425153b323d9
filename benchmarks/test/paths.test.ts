import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { benchOptions, dataSets } from "../src/lib/options";
import { inputPath, outputPath, resolveSetPath } from "../src/lib/paths";

/** nx runs the scripts in benchmarks/; paths on the command line are meant from where the user ran it (INIT_CWD). */
describe("paths on a benchmark's command line", () => {
  let caller = "";
  const saved = process.env.INIT_CWD;
  beforeAll(() => {
    caller = mkdtempSync(join(tmpdir(), "tavt-caller-"));
    mkdirSync(join(caller, "feats"));
    writeFileSync(join(caller, "feats", "v.h5"), "");
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.INIT_CWD;
    else process.env.INIT_CWD = saved;
  });
  afterAll(() => rmSync(caller, { recursive: true, force: true }));

  it("data options, --out and path-valued --set keys resolve from INIT_CWD; other --set values are left alone", () => {
    process.env.INIT_CWD = caller;
    const o = benchOptions([
      "--data",
      "msrvtt",
      "--annotations",
      "ann",
      "--features",
      "feats/v.h5",
      "--audio-features",
      "/abs/a.h5",
      "--target-features",
      "t.npz",
      "--out",
      "res",
      "--set",
      "space.corpus=feats/units.npy",
      "--set",
      "space.path=null",
      "--set",
      "train.steps=2",
      "--set",
      "meta.learner=maml",
    ]);
    expect(o.features).toBe(join(caller, "feats", "v.h5"));
    expect(o.annotations).toBe(join(caller, "ann"));
    expect(o.audioFeatures).toBe("/abs/a.h5");
    expect(o.targetFeatures).toBe(join(caller, "t.npz"));
    expect(o.out).toBe(join(caller, "res"));
    expect(o.sets).toEqual([
      `space.corpus=${join(caller, "feats", "units.npy")}`,
      "space.path=null",
      "train.steps=2",
      "meta.learner=maml",
    ]);
    expect(dataSets(o)).toContain(`data.features.visual=${join(caller, "feats", "v.h5")}`);
  });

  it("an input that does not exist from INIT_CWD but does from the repository root is found there", () => {
    process.env.INIT_CWD = caller;
    const root = join(process.cwd(), "..");
    expect(inputPath("benchmarks/package.json")).toBe(join(root, "benchmarks", "package.json"));
    expect(inputPath("feats/v.h5")).toBe(join(caller, "feats", "v.h5"));
    expect(outputPath("x/y")).toBe(join(caller, "x", "y"));
    expect(resolveSetPath("meta.learner=./my.mjs")).toBe(`meta.learner=${join(caller, "my.mjs")}`);
  });
});
