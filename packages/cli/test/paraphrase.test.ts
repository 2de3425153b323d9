import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type GeneratedCaption, resolveConfig, scoreCaptions } from "../src";
import { run, TINY, tempDir } from "./helpers";

/**
 * A paraphrase table in Meteor 1.5's format (what paraphrase-en.gz holds, uncompressed): groups of three lines,
 * probability, phrase, paraphrase. Meteor's own table is not available here; this one knows one pair.
 */
function tinyTable(dir: string): string {
  const file = join(dir, "paraphrase-tiny.txt");
  writeFileSync(file, "0.5\nplays the guitar\nstrums an instrument\n");
  return file;
}

const caption = (id: string, caption: string, references: string[]): GeneratedCaption => ({
  id,
  domain: "Music",
  caption,
  words: caption.split(" "),
  alphaAv: [],
  alphaVa: [],
  references,
});

describe("METEOR's paraphrase module from config and CLI (metrics.meteor.paraphraseTable)", () => {
  const caps = [
    caption("v1", "a man strums an instrument on stage", ["a man plays the guitar on stage"]),
    caption("v2", "a woman is singing", ["a woman is singing a song"]),
  ];

  it("--set metrics.meteor.paraphraseTable=FILE adds the paraphrase matches to METEOR, nothing else", () => {
    const table = tinyTable(tempDir());
    const config = resolveConfig({ preset: "quick", sets: [`metrics.meteor.paraphraseTable=${table}`] });
    expect(config.metrics?.meteor?.paraphraseTable).toBe(table);
    const plain = scoreCaptions(caps, resolveConfig({ preset: "quick" }).metrics);
    const para = scoreCaptions(caps, config.metrics);
    expect(para.METEOR).toBeGreaterThan(plain.METEOR + 1);
    expect([para.BLEU4, para.ROUGE_L, para.CIDEr]).toEqual([plain.BLEU4, plain.ROUGE_L, plain.CIDEr]);
    expect(scoreCaptions(caps, { meteor: { paraphraseTable: null } })).toEqual(plain);
  });

  it("tavt score --paraphrase-table FILE; a missing table is a user error naming the option", async () => {
    const dir = tempDir();
    const table = tinyTable(dir);
    const refs = join(dir, "refs.json");
    const cands = join(dir, "cands.json");
    writeFileSync(refs, JSON.stringify(Object.fromEntries(caps.map((c) => [c.id, c.references]))));
    writeFileSync(cands, JSON.stringify(Object.fromEntries(caps.map((c) => [c.id, c.caption]))));
    const plain = await run("score", "--refs", refs, "--cands", cands, "--metrics", "meteor", "--json");
    const para = await run(
      "score",
      "--refs",
      refs,
      "--cands",
      cands,
      "--metrics",
      "meteor",
      "--json",
      "--paraphrase-table",
      table,
    );
    expect([plain.code, para.code]).toEqual([0, 0]);
    expect(JSON.parse(para.stdout).METEOR).toBeGreaterThan(JSON.parse(plain.stdout).METEOR + 0.01);
    const missing = await run("score", "--refs", refs, "--cands", cands, "--paraphrase-table", join(dir, "nope.gz"));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^tavt: --paraphrase-table .*nope\.gz: paraphrase table not found/);
  });

  it("tavt eval --set metrics.meteor.paraphraseTable=FILE scores a trained run with the table", async () => {
    const dir = tempDir();
    const table = tinyTable(dir);
    const runDir = join(dir, "run");
    expect((await run("train", "--preset", "quick", ...TINY, "--out", runDir, "--quiet")).code).toBe(0);
    const ev = await run("eval", "--model", runDir, "--set", `metrics.meteor.paraphraseTable=${table}`, "--json");
    expect(ev.code, ev.stderr).toBe(0);
    const bad = await run("eval", "--model", runDir, "--set", `metrics.meteor.paraphraseTable=${join(dir, "x.gz")}`);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/metrics\.meteor\.paraphraseTable .*x\.gz: paraphrase table not found/);
  }, 120_000);
});
