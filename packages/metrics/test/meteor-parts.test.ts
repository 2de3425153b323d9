import { describe, expect, it } from "vitest";
import { meteorNormalize, stemEnglish } from "../src/index";
import { readFixture } from "./fixtures";

describe("Meteor 1.5 building blocks against the Java originals", () => {
  it("Snowball English stemmer: every MSR-VTT test word and the algorithm's special cases", () => {
    const { stems } = readFixture<{ stems: Record<string, string> }>("stems.json");
    const words = Object.keys(stems);
    expect(words.length).toBeGreaterThan(5000);
    const wrong = words.filter((w) => stemEnglish(w) !== stems[w]);
    expect(wrong).toEqual([]);
    expect(stemEnglish("generously")).toBe(stems.generously ?? stemEnglish("generously"));
    expect(stemEnglish("playing")).toBe("play");
  });

  it("-norm normalizer: punctuation, quotes, dashes, abbreviations, contractions, Unicode spaces", () => {
    const { cases } = readFixture<{ cases: [string, string][] }>("normalizer.json");
    for (const [line, want] of cases) expect(meteorNormalize(line), line).toBe(want);
  });
});
