import { execFileSync, spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { adaptExperiment, Output, prepareExperiment, resolveConfig, trainExperiment } from "@tavt/cli";
import { disposeTree, flatten, initBackend, rng, tf } from "@tavt/core";
import { describe, expect, it } from "vitest";
import { benchOptions, QUICK_CAPS } from "../src/lib/options";
import { ABLATION_VARIANTS, PAPER_K_VALUES, PAPER_TARGETS, settings } from "../src/lib/settings";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const tsx = join(root, "node_modules", ".bin", "tsx");

/** Issue 15, point 1: every benchmark takes --preset quick|default|paper and --set, and answers --help. */
describe("benchmark options", () => {
  it("--preset picks the preset (default `default`; --quick alone is `quick`); --set comes last", () => {
    expect(benchOptions([]).preset).toBe("default");
    expect(benchOptions(["--quick"]).preset).toBe("quick");
    const o = benchOptions(["--preset", "paper", "--set", "train.steps=3", "--set", "seed=4"]);
    expect(o.preset).toBe("paper");
    const s = settings(o);
    expect(s.preset).toBe("paper");
    expect(s.sets).toEqual(["train.steps=3", "seed=4"]);
    const config = resolveConfig({ preset: s.preset, sets: s.sets });
    expect(config.model.base).toBe("paper");
    expect(config.train.steps).toBe(3);
    expect(config.adapt.optimizer).toBe("adam");
  });

  it("--quick on a larger preset applies its documented caps before --set", () => {
    const s = settings(benchOptions(["--quick", "--preset", "paper", "--set", "train.steps=1"]));
    expect(s.sets).toEqual([...QUICK_CAPS.paper, "train.steps=1"]);
    const config = resolveConfig({ preset: s.preset, sets: s.sets });
    // what the caps keep of the paper: 8 heads, 8 blocks, K = 100, Adam at 1e-4, line 9 on fresh batches, m > k
    expect(config.model.heads ?? 8).toBe(8);
    expect(config.space.k).toBe(100);
    expect([config.meta.innerOptimizer, config.adapt.optimizer, config.meta.reading]).toEqual([
      "adam",
      "adam",
      "paper",
    ]);
    expect(config.train.queryBatchSize!).toBeGreaterThan(config.train.batchSize);
    expect(config.train.steps).toBe(1);
  });

  it("bad options are user errors (exit 2), not crashes", () => {
    expect(() => benchOptions(["--preset", "huge"])).toThrow(/--preset huge: expected one of quick, default, paper/);
    expect(() => benchOptions(["--bogus"])).toThrow(/--bogus.*see --help/);
    expect(() => benchOptions(["--seeds", "1,x"])).toThrow(/"x" is not an integer/);
  });

  // every benchmark target's script (src/redraw.ts is a tool, not a benchmark: it takes a results directory)
  const scripts = readdirSync(join(root, "src")).filter(
    (f) => f.endsWith(".ts") && f !== "redraw.ts" && f !== "results-doc.ts",
  );
  it.each(scripts)("%s --help lists its options, --preset among them (exit 0)", (script) => {
    const help = execFileSync(tsx, [join("src", script), "--help"], { cwd: root, encoding: "utf8" });
    expect(help).toMatch(/^Usage: pnpm nx run benchmarks:/);
    expect(help).toContain("--preset <name>");
    expect(help).toContain("--help");
  });

  it.each(["cross-category.ts", "speed.ts"])("%s --preset huge exits 2 with one line", (script) => {
    const bad = spawnSync(tsx, [join("src", script), "--preset", "huge"], { cwd: root, encoding: "utf8" });
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
  });
});

/** Issue 15, point 5: "w/o real audio" replaces real audio by A_rec at meta-test only; the AVMM trains as usual. */
describe('ablation "w/o real audio" (Table 4)', () => {
  const variant = ABLATION_VARIANTS(PAPER_TARGETS).find((v) => v.name.startsWith("w/o real audio"))!;
  it("keeps real audio for meta-training and makes the target domains audio-absent", () => {
    const config = resolveConfig({ preset: "quick", sets: variant.sets });
    expect(config.model.ablation.realAudio).not.toBe(false);
    expect(config.data.audioAbsentDomains).toEqual([...PAPER_TARGETS]);
    expect(config.model.kind).toBe("tavt");
  });

  it("meta-training moves the AVMM; meta-test on a target adapts with L_cap, the AVMM frozen", async () => {
    await initBackend();
    const tiny = ["data.synthetic.videos=120", "model.dim=8", "model.ffn=16", "space.k=4", "train.batchSize=2"];
    const config = resolveConfig({
      preset: "quick",
      sets: [...variant.sets, ...tiny, "train.steps=2", "train.checkpointEvery=0", "adapt.steps=1"],
    });
    const exp = await prepareExperiment(config);
    const out = new Output({ quiet: true });
    const init = exp.captioner.init(rng.foldIn(exp.key, "init"));
    const trained = await trainExperiment(exp, { out });
    const avmm = Object.keys(flatten(init)).filter((n) => n.startsWith("avmm."));
    expect(avmm.length).toBeGreaterThan(0);
    const moved = avmm.filter((n) =>
      tf.tidy(() => flatten(init)[n]!.sub(flatten(trained.params)[n]!).abs().max().dataSync()[0]! > 0),
    );
    expect(moved.length, "AVMM parameters that meta-training changed").toBeGreaterThan(avmm.length / 2);
    const adapted = await adaptExperiment(exp, trained.params, [...PAPER_TARGETS], { out });
    expect(adapted.lossUsed).toBe("cap");
    for (const n of avmm) {
      const same = tf.tidy(() => flatten(adapted.params)[n]!.equal(flatten(trained.params)[n]!).all().dataSync()[0]);
      expect(same, `${n} is frozen at meta-test`).toBe(1);
    }
    for (const t of [init, trained.params, adapted.params]) disposeTree(t);
    exp.dispose();
    exp.data.dataset.close();
  });
});

/** Issue 15, point 6: Table 10's K values. */
describe("K sweep (Table 10)", () => {
  it("uses the paper's K = 10, 100, 200, 300", () => {
    expect([...PAPER_K_VALUES]).toEqual([10, 100, 200, 300]);
  });
});
