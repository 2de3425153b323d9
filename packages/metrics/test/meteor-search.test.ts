import { describe, expect, it } from "vitest";
import { align, collectMatches, type PreparedSentence } from "../src/meteor/aligner";
import { boundApplies, scoreBound } from "../src/meteor/bound";
import { METEOR_DEFAULT_PARAMETERS, MeteorScorer } from "../src/meteor/meteor";
import { SortedLinePairs } from "../src/meteor/sorted-lines";
import { computeMetrics, type MeteorStats, statsOfAlignment } from "../src/meteor/stats";
import { SynonymIndex } from "../src/meteor/synonym-index";
import { SynonymDictionary } from "../src/meteor/synonyms";
import { readFixture } from "./fixtures";

const bytes = (s: string) => new TextEncoder().encode(s);

describe("METEOR search shortcuts give what the plain search gives", () => {
  it("sorted synsets file: binary search finds every word; unsorted, CR, non-ASCII files are refused", () => {
    const text = "bank\n1 2\ncar\n3\ndog\n4 5 6\nzoo\n7";
    const t = SortedLinePairs.from(bytes(text))!;
    expect(t.size).toBe(4);
    expect(["bank", "car", "dog", "zoo", "ban", "banks", "", "cat", "é"].map((w) => t.find(w))).toEqual([
      0, 1, 2, 3, -1, -1, -1, -1, -1,
    ]);
    expect(t.text(t.valueStart(2), t.valueEnd(2))).toBe("4 5 6");
    expect(t.text(t.valueStart(3), t.valueEnd(3))).toBe("7");
    expect(SortedLinePairs.from(bytes("car\n1\nbank\n2\n"))).toBeUndefined();
    expect(SortedLinePairs.from(bytes("car\n1\ncar\n2\n"))).toBeUndefined();
    expect(SortedLinePairs.from(bytes("bank\r\n1\r\n"))).toBeUndefined();
    expect(SortedLinePairs.from(bytes("café\n1\n"))).toBeUndefined();
  });

  it("SynonymDictionary from bytes (sorted or not) equals the one from text", () => {
    const exceptions = "mouse\nmice\n";
    for (const synsets of [
      "bank\n1 2\ncar\n3\ncat\n9 1\ndog\n4 5 6\nmouse\n8\nwalk\n7\n",
      "walk\n7\ncar\n3\ncat\n9 1\ndog\n4 5 6\nmouse\n8\nbank\n1 2\n",
      "bank\n1 2\ncar\n3\ncaf\u00e9\n10\ncat\n9 1\n",
    ]) {
      const a = new SynonymDictionary(synsets, exceptions);
      const b = new SynonymDictionary(bytes(synsets), exceptions);
      for (const w of ["bank", "banks", "car", "cars", "cat", "café", "dogs", "mice", "walked", "walking", "x", ""])
        expect(b.allSynsets(w), `${w} in ${JSON.stringify(synsets)}`).toEqual(a.allSynsets(w));
    }
    expect(new SynonymDictionary(bytes("bank\n1 2\ncar\n3\n"), "").allSynsets("banks")).toEqual([1, 2]);
  });

  it("SynonymIndex: words share a synset exactly when their synset ids are SameValueZero-equal", () => {
    const idx = new SynonymIndex();
    const synsets = [[7, Number.NaN], [Number.NaN], [-0], [0], [3e9], [3e9, 1], [1e6 + 1], [1e6 + 2], []];
    for (let id = 0; id < synsets.length; id++) idx.addWord(id, synsets[id]!);
    const testIds = Int32Array.from(synsets.map((_, id) => id));
    idx.begin(testIds, testIds, 0);
    const partners = synsets.map((_, id) => idx.partners(id).toString(2).padStart(synsets.length, "0"));
    // bit i (from the right) set: test word i shares a synset with word id.
    expect(partners).toEqual([
      "000000011",
      "000000011",
      "000001100",
      "000001100",
      "000110000",
      "000110000",
      "001000000",
      "010000000",
      "000000000",
    ]);
  });

  it("the score bound is never below the score of the alignment found (300 MSR-VTT videos)", () => {
    const fx = readFixture("msrvtt-test-300.json");
    const scorer = new MeteorScorer();
    const config = (scorer as unknown as { config: Parameters<typeof align>[2] }).config;
    expect(boundApplies(scorer.parameters, scorer.weights)).toBe(true);
    let pairs = 0;
    let pruned = 0;
    for (const id of fx.ids.slice(0, 120)) {
      const t = scorer.prepare(fx.cands![id]!);
      for (const ref of fx.refs![id]!) {
        const r = scorer.prepare(ref);
        const bound = scoreBound(collectMatches(t, r, config), t, r, scorer.parameters, scorer.weights);
        const score = computeMetrics(statsOfAlignment(align(t, r, config)), scorer.parameters, scorer.weights).score;
        expect(bound).toBeGreaterThanOrEqual(score);
        pairs++;
        if (bound < 1) pruned++;
      }
    }
    expect(pairs).toBeGreaterThan(2000);
    expect(pruned).toBeGreaterThan(pairs / 2);
    expect(boundApplies({ ...METEOR_DEFAULT_PARAMETERS, gamma: -1 }, [1])).toBe(false);
    expect(boundApplies(METEOR_DEFAULT_PARAMETERS, [1, -0.5])).toBe(false);
  });

  it("segmentStats picks the best reference (first on ties) as aligning every reference in turn does", () => {
    const fx = readFixture("msrvtt-test-300.json");
    const scorer = new MeteorScorer();
    const config = (scorer as unknown as { config: Parameters<typeof align>[2] }).config;
    const score = (s: MeteorStats) => scorer.scoreStats(s);
    const cases: [string, string[]][] = fx.ids.slice(0, 150).map((id) => [fx.cands![id]!, fx.refs![id]!]);
    // Ties: equal references, and references that score alike with different statistics.
    cases.push(["a dog runs", ["a cat sits", "a dog runs", "a dog runs"]]);
    cases.push(["a man talks", ["a woman talks", "a man walks", "the man talks", "a man talks"]]);
    for (const [test, refs] of cases) {
      const t: PreparedSentence = scorer.prepare(test);
      let want: MeteorStats | undefined;
      for (const ref of refs) {
        const stats = statsOfAlignment(align(t, scorer.prepare(ref), config));
        if (want === undefined || score(stats) > score(want)) want = stats;
      }
      expect(scorer.segmentStats(test, refs), test).toEqual(want);
    }
  });
});
