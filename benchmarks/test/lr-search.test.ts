import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Output, PRESETS, resolveConfig } from "@tavt/cli";
import { describe, expect, it } from "vitest";
import { lrSearchSvg } from "../src/lib/lr-chart";
import { benchOptions } from "../src/lib/options";
import {
  ABLATION_VARIANTS,
  CROSS_CATEGORY_VARIANTS,
  crossCategoryVariants,
  PAPER_TARGETS,
  TUNED_OUTER_LR,
} from "../src/lib/settings";
import { runTransfer } from "../src/lib/transfer";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const published = join(repo, "docs", "results", "lr-search", "search.json");

describe("the outer learning-rate search", () => {
  it("--lrs parses a grid and rejects what is not a positive number", () => {
    expect(benchOptions(["--lrs", "0.001,3e-3"]).lrs).toEqual([0.001, 0.003]);
    expect(() => benchOptions(["--lrs", "0.001,-1"])).toThrow(/--lrs: "-1" is not a positive number/);
    expect(() => benchOptions(["--lrs", "a"])).toThrow(/--lrs/);
  });

  it.skipIf(!existsSync(published))("the tuned rates are the published search's choices", () => {
    const search = JSON.parse(readFileSync(published, "utf8")) as { choices: Record<string, number> };
    expect(Object.keys(search.choices).sort()).toEqual(CROSS_CATEGORY_VARIANTS.map((v) => v.name).sort());
    // TAVT (MAML)'s rate is the default preset's own; every other method's is in TUNED_OUTER_LR
    expect(PRESETS.default.meta.outerLr).toBe(search.choices["TAVT (MAML)"]);
    for (const [method, lr] of Object.entries(search.choices)) {
      expect(TUNED_OUTER_LR[method] ?? PRESETS.default.meta.outerLr, method).toBe(lr);
    }
  });

  it("each default-preset row starts from its tuned rate, which a user's --set overrides; other presets keep theirs", () => {
    const user = "meta.outerLr=0.0005";
    for (const v of crossCategoryVariants("default")) {
      const config = resolveConfig({ preset: "default", sets: [...(v.base ?? []), ...v.sets] });
      expect(config.meta.outerLr, v.name).toBe(TUNED_OUTER_LR[v.name] ?? PRESETS.default.meta.outerLr);
      const overridden = resolveConfig({ preset: "default", sets: [...(v.base ?? []), user, ...v.sets] });
      expect(overridden.meta.outerLr, v.name).toBe(0.0005);
    }
    for (const v of crossCategoryVariants("paper")) {
      expect(resolveConfig({ preset: "paper", sets: [...(v.base ?? []), ...v.sets] }).meta.outerLr).toBe(1e-3);
    }
    // the ablations' joint row is the joint baseline, at the same rate
    const joint = ABLATION_VARIANTS(PAPER_TARGETS, "default").find((v) => v.name.startsWith("w/o MAML"))!;
    const config = resolveConfig({ preset: "default", sets: [...(joint.base ?? []), ...joint.sets] });
    expect(config.meta.outerLr).toBe(TUNED_OUTER_LR["TAVT (joint, no MAML)"] ?? PRESETS.default.meta.outerLr);
  });

  it("its chart draws every finite cell and leaves a diverged one out", async () => {
    const svg = await lrSearchSvg({
      grid: [0.001, 0.01],
      seeds: [0],
      steps: 5,
      choices: { A: 0.001 },
      cells: [
        { method: "A", lr: 0.001, seed: 0, finalNll: 1.5 },
        { method: "A", lr: 0.01, seed: 0, finalNll: null },
      ],
    });
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toContain("final validation NLL per word");
    // one line point and one marker for the finite cell; none for the diverged one
    expect(svg.match(/<path[^>]*aria-roledescription="point"/g)?.length).toBe(1);
  });

  it("a diverging run is recorded and the search goes on with the next (continueOnDivergence)", async () => {
    const result = await runTransfer({
      preset: "quick",
      sets: ["train.steps=3", "train.validateEvery=1", "meta.clipNorm=null", "meta.warmup=0"],
      variants: [
        { name: "huge", sets: ["model.kind=vanillaTransformer", "meta.outerLr=1e30"] },
        { name: "fine", sets: ["model.kind=vanillaTransformer", "meta.outerLr=0.003"] },
      ],
      seeds: [0],
      targets: () => [],
      continueOnDivergence: true,
      out: new Output({ quiet: true }),
    });
    expect(result.rows).toEqual([]);
    const [huge, fine] = result.curves;
    expect(huge!.diverged).toMatch(/step \d/);
    expect(fine!.diverged).toBeUndefined();
    expect(fine!.curve.validation.length).toBe(4);
    expect(fine!.curve.validation.every((p) => Number.isFinite(p.nll))).toBe(true);
  }, 120_000);
});
