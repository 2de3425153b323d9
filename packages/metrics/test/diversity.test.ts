import { describe, expect, it } from "vitest";
import { captionDiversity, isMetricsInputError } from "../src";

describe("captionDiversity", () => {
  it("counts distinct captions, words and lengths after coco-caption tokenization (hand-counted)", () => {
    const cands = {
      v1: "A man is cooking.",
      v2: "a man is cooking", // the same sentence once tokenized
      v3: "A dog runs",
      v4: "",
    };
    const refs = {
      v1: ["a man cooks food", "someone is cooking"],
      v2: ["a chef cooks"],
      v3: ["a dog is running on grass"],
      v4: ["nothing"],
    };
    const d = captionDiversity(cands, refs);
    expect(d.videos).toBe(4);
    expect(d.distinctCaptions).toBe(3); // "a man is cooking", "a dog runs", ""
    expect(d.distinctShare).toBe(0.75);
    expect(d.vocabulary).toBe(6); // a, man, is, cooking, dog, runs
    expect(d.meanLength).toBe((4 + 4 + 3 + 0) / 4);
    // references: 4 + 3 + 3 + 6 + 1 words over 5 sentences; words: a man cooks food someone is cooking chef dog
    // running on grass nothing
    expect(d.referenceLength).toBe(17 / 5);
    expect(d.referenceVocabulary).toBe(13);
  });

  it("template collapse: one sentence for every video gives a share of 1/videos", () => {
    const cands = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`v${i}`, "a bridge is shown"]));
    const d = captionDiversity(cands);
    expect(d.distinctCaptions).toBe(1);
    expect(d.distinctShare).toBeCloseTo(0.1, 12);
    expect(d.vocabulary).toBe(4);
    expect(Number.isNaN(d.referenceLength)).toBe(true);
  });

  it("rejects an empty set and captions without references", () => {
    expect(() => captionDiversity({})).toThrow(/no captions/);
    try {
      captionDiversity({ a: "x" }, { b: ["y"] });
      expect.unreachable();
    } catch (e) {
      expect(isMetricsInputError(e)).toBe(true);
      expect((e as Error).message).toMatch(/"a" has no references/);
    }
  });
});
