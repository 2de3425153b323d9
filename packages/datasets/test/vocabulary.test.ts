import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BOS_ID, buildVocabulary, EOS_ID, makeSynthetic, PAD_ID, UNK_ID, Vocabulary } from "../src";

const tmp = mkdtempSync(join(tmpdir(), "tavt-vocab-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const captions = [
  "A man is cooking pasta.",
  "a man is cooking",
  "a woman is cooking pasta",
  "the dog barks at a man",
  "a man sings",
];

describe("Vocabulary", () => {
  const v = Vocabulary.build(captions);

  it("has the special ids of DESIGN.md, then words seen >= 3 times by frequency", () => {
    expect([PAD_ID, BOS_ID, EOS_ID, UNK_ID]).toEqual([0, 1, 2, 3]);
    expect(v.words.slice(0, 4)).toEqual(["<pad>", "<bos>", "<eos>", "<unk>"]);
    // counts: a 5, man 4, is 3, cooking 3 (lowercased, punctuation removed by the metrics tokenizer)
    expect(v.words.slice(4)).toEqual(["a", "man", "cooking", "is"]);
    expect(v.counts.slice(4)).toEqual([5, 4, 3, 3]);
  });

  it("encodes with <unk> for rare words and decodes up to <eos>", () => {
    expect(v.encode("A man is cooking pasta!")).toEqual([4, 5, 7, 6, UNK_ID]);
    expect(v.decode([BOS_ID, 4, 5, 7, 6, UNK_ID, EOS_ID, 4, PAD_ID])).toBe("a man is cooking <unk>");
    expect(() => v.decode([99])).toThrow(/out of range/);
  });

  it("saves and loads as JSON", () => {
    const file = join(tmp, "vocab.json");
    v.save(file);
    const back = Vocabulary.load(file);
    expect(back.words).toEqual(v.words);
    expect(back.encode("a man is cooking")).toEqual(v.encode("a man is cooking"));
    writeFileSync(file, JSON.stringify({ format: "tavt-vocabulary", words: ["<pad>", "x"], counts: [0, 1] }));
    expect(() => Vocabulary.load(file)).toThrow(`${file}: word 1 must be "<bos>"`);
    expect(() => Vocabulary.load(join(tmp, "none.json"))).toThrow(/not found/);
  });

  it("min count is configurable and the synthetic captions give a small closed vocabulary", () => {
    expect(Vocabulary.build(captions, { minCount: 1 }).size).toBe(4 + 11);
    const ds = makeSynthetic({ videos: 400 });
    const sv = buildVocabulary(ds.videos);
    expect(sv.size).toBeGreaterThan(100);
    expect(sv.size).toBeLessThan(250);
    for (const v2 of ds.videos.slice(0, 50)) for (const c of v2.captions) expect(sv.encode(c)).not.toContain(UNK_ID);
  });
});
