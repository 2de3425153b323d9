import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { encodeNpy } from "@tavt/datasets";
import { describe, expect, it } from "vitest";
import { type WordModality, wordModality, wordModalitySvg } from "../src";
import { run, TINY, tempDir } from "./helpers";

describe("Figure 10: words ranked by mean alpha_av / alpha_va", () => {
  it("averages the ratio over each word's occurrences, drops rare and special tokens, most audio-leaning first", () => {
    const words = wordModality(
      [
        { words: ["a", "dog", "barks", "<eos>"], alphaAv: [0.2, 0.3, 0.8, 0.9], alphaVa: [0.4, 0.6, 0.2, 0.1] },
        { words: ["a", "dog", "barks"], alphaAv: [0.4, 0.3, 0.6], alphaVa: [0.4, 0.5, 0.3] },
        { words: ["a", "cat"], alphaAv: [], alphaVa: [] }, // a single-stream model's caption: no gates
      ],
      2,
    );
    // barks: (0.8/0.2 + 0.6/0.3) / 2 = 3; a: (0.5 + 1) / 2 = 0.75; dog: (0.5 + 0.6) / 2 = 0.55; "cat" never gated.
    expect(words.map((w) => w.word)).toEqual(["barks", "a", "dog"]);
    const close = (w: WordModality, want: [number, number, number, number]) => {
      const got = [w.count, w.alphaAv, w.alphaVa, w.ratio];
      for (const [i, g] of got.entries()) {
        expect(Math.abs(g - want[i]!)).toBeLessThanOrEqual(1e-12 + 1e-9 * Math.abs(want[i]!));
      }
    };
    close(words[0]!, [2, 0.7, 0.25, 3]);
    close(words[1]!, [2, 0.3, 0.4, 0.75]);
    close(words[2]!, [2, 0.3, 0.55, 0.55]);
    expect(wordModality([{ words: ["dog"], alphaAv: [0.5], alphaVa: [0.5] }], 2)).toEqual([]);
  });

  it("draws the ranked words as a diverging bar chart (SVG)", async () => {
    const svg = await wordModalitySvg([
      { word: "barks", count: 2, ratio: 3 },
      { word: "dog", count: 2, ratio: 0.55 },
    ]);
    expect(svg).toMatch(/^<svg/);
    expect(svg).toContain("barks");
    expect(svg).toContain("log2(mean alpha_av / alpha_va)");
  });

  it("tavt eval writes the table and the chart, and prints the words leaning most on sound and on sight", async () => {
    const model = tempDir();
    expect((await run("train", "--preset", "quick", ...TINY, "--out", model, "-q")).code).toBe(0);
    const out = tempDir();
    const e = await run("eval", "--model", model, "--out", out, "--min-word-count", "2", "-q", "--json");
    expect(e.code).toBe(0);
    const json = JSON.parse(e.stdout) as { words: WordModality[] };
    expect(json.words.length).toBeGreaterThan(0);
    const ratios = json.words.map((w) => w.ratio);
    expect([...ratios].sort((a, b) => b - a)).toEqual(ratios);
    expect(json.words.every((w) => w.count >= 2 && !/^</.test(w.word))).toBe(true);
    // The table agrees with the captions written beside it.
    const captions = JSON.parse(readFileSync(join(out, "captions.json"), "utf8"));
    expect(wordModality(captions, 2)).toEqual(json.words);
    expect(JSON.parse(readFileSync(join(out, "word-modality.json"), "utf8"))).toEqual(json.words);
    const md = readFileSync(join(out, "word-modality.md"), "utf8");
    expect(md).toContain("| rank | word | count | alpha_av | alpha_va | alpha_av/alpha_va |");
    expect(md).toContain(`| 1 | ${json.words[0]!.word} |`);
    expect(readFileSync(join(out, "word-modality.svg"), "utf8")).toMatch(/^<svg/);
    const human = await run("eval", "--model", model, "--min-word-count", "2", "-q");
    expect(human.stdout).toMatch(
      /words by mean alpha_av\/alpha_va \(Figure 10; \d+ words\): most on sound: \S+ [\d.]+/,
    );
    const bad = await run("eval", "--model", model, "--min-word-count", "0", "-q");
    expect(bad.code).toBe(2);
    expect(existsSync(join(model, "word-modality.json"))).toBe(false);
  });
});

describe("Figure 9: which auditory prototypes each domain's audio uses (tavt clusters usage)", () => {
  it("assigns every audio unit of every domain, writes the table, CSV, JSON and heat map", async () => {
    const out = tempDir();
    const sets = ["--set", "data.synthetic.videos=200", "--set", "space.k=24"];
    const r = await run("clusters", "usage", "--preset", "quick", ...sets, "--out", out, "-q", "--json");
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as {
      k: number;
      unit: number;
      rows: { domain: string; role: string; videos: number; units: number }[];
      domainsUsing: number[];
    };
    expect([json.k, json.unit]).toEqual([24, 5]);
    expect(json.rows.map((d) => d.domain)).toHaveLength(10);
    for (const d of json.rows) expect(d.units).toBe(d.videos * 4); // 20 frames, T = 5
    const usage = JSON.parse(readFileSync(join(out, "usage.json"), "utf8")) as {
      domains: { counts: number[]; shares: number[]; units: number }[];
      source: string;
    };
    expect(usage.source).toBe("synthetic external audio corpus (3000 clips)");
    for (const d of usage.domains) {
      expect(d.counts.reduce((a, b) => a + b, 0)).toBe(d.units);
      expect(Math.abs(d.shares.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-9);
    }
    // The synthetic world's sounds are shared by all domains: most prototypes serve many domains.
    expect(json.domainsUsing.filter((n) => n >= 5).length).toBeGreaterThanOrEqual(10);
    const csv = readFileSync(join(out, "usage.csv"), "utf8").trim().split("\n");
    expect(csv[0]!.split(",")).toHaveLength(3 + 24);
    expect(csv).toHaveLength(11);
    expect(readFileSync(join(out, "usage.svg"), "utf8")).toMatch(/^<svg/);
    expect(readFileSync(join(out, "usage.md"), "utf8")).toMatch(/of K=24 prototypes .* are used by all 10 domains/);
  });

  it("a space of another audio dim exits 2 naming the file and both dims", async () => {
    const dir = tempDir();
    const npy = join(dir, "points.npy");
    writeFileSync(
      npy,
      encodeNpy(
        Float32Array.from({ length: 40 * 12 }, (_, i) => i % 7),
        [40, 12],
      ),
    );
    const space = join(dir, "space.safetensors");
    expect((await run("clusters", "build", "--features", npy, "--k", "4", "--out", space, "-q")).code).toBe(0);
    const r = await run("clusters", "usage", "--preset", "quick", "--space", space, "-q");
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(
      /--space .*space\.safetensors: prototypes of dim 12, but the audio of synthetic has dim 128/,
    );
  });
});
