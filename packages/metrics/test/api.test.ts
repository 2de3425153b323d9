import { describe, expect, it } from "vitest";
import {
  isMetricsInputError,
  MetricsInputError,
  readCandidates,
  readReferences,
  score,
  tokenize,
  validateInputs,
} from "../src/index";
import { readFixture } from "./fixtures";

const refs = {
  v1: ["a man is playing a guitar", "a person plays guitar"],
  v2: ["a dog runs in a park", "a dog is running"],
};
const cands = { v1: "a man plays the guitar", v2: "a dog runs" };

describe("score()", () => {
  it("returns coco-caption's keys, and per-item scores on request", () => {
    const r = score(refs, cands, { perItem: true });
    expect(
      Object.keys(r)
        .filter((k) => k !== "perItem")
        .sort(),
    ).toEqual(["Bleu_1", "Bleu_2", "Bleu_3", "Bleu_4", "CIDEr", "METEOR", "ROUGE_L"].sort());
    expect(Object.keys(r.perItem!)).toEqual(["v1", "v2"]);
    expect(r.perItem!.v1!.Bleu_1).toBeGreaterThan(0);
    expect(r.METEOR).toBeGreaterThan(0);
  });

  it("computes only the metrics asked for", () => {
    const r = score(refs, cands, { metrics: ["rouge", "cider"] });
    expect(Object.keys(r).sort()).toEqual(["CIDEr", "ROUGE_L"]);
  });

  it("tokenize: true equals scoring the tokenized text with tokenize: false", () => {
    const raw = { v1: "A man plays the guitar.", v2: "A dog, running!" };
    const tok = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, tokenize(v)]));
    const tokRefs = Object.fromEntries(Object.entries(refs).map(([k, v]) => [k, v.map(tokenize)]));
    expect(score(refs, raw)).toEqual(score(tokRefs, tok, { tokenize: false }));
  });

  it("matches the edge-case fixture through the public API", () => {
    const fx = readFixture("edge-cases.json");
    const r = score(fx.refs!, fx.cands!, { tokenize: false });
    for (const [k, v] of Object.entries(fx.corpus))
      expect(Math.abs((r as unknown as Record<string, number>)[k]! - v), k).toBeLessThan(1e-6);
  });
});

describe("input readers and validation", () => {
  it("readCandidates accepts {id: caption} and the COCO results list", () => {
    expect(readCandidates({ a: "x" })).toEqual({ a: "x" });
    expect(
      readCandidates([
        { image_id: 42, caption: "x" },
        { video_id: "video7", caption: "y" },
      ]),
    ).toEqual({ "42": "x", video7: "y" });
  });

  it("names the file and the id in one-line BAD_INPUT errors", () => {
    const bad = (f: () => unknown, re: RegExp) => {
      try {
        f();
        expect.unreachable();
      } catch (e) {
        expect(isMetricsInputError(e)).toBe(true);
        expect(e).toBeInstanceOf(MetricsInputError);
        expect((e as MetricsInputError).code).toBe("BAD_INPUT");
        expect((e as Error).message).toMatch(re);
        expect((e as Error).message).not.toContain("\n");
      }
    };
    bad(() => readCandidates([{ image_id: 1, caption: 3 }], "c.json"), /^c\.json: id 1: "caption" must be a string$/);
    bad(() => readCandidates([{ caption: "x" }], "c.json"), /^c\.json: entry 0 has no "image_id" or "video_id"$/);
    bad(() => readCandidates({ a: ["x"] }, "c.json"), /^c\.json: id a: the candidate caption must be a string$/);
    bad(() => readReferences({ a: "x" }, "r.json"), /^r\.json: id a: references must be a list of strings$/);
    bad(() => readReferences({ a: ["x", 1] }, "r.json"), /^r\.json: id a: reference 1 is not a string$/);
    bad(
      () => validateInputs({ a: ["x"] }, { b: "y" }, { refsFile: "r.json" }),
      /^r\.json: no references for candidate id b$/,
    );
    bad(
      () => validateInputs({ a: [] }, { a: "y" }, { refsFile: "r.json" }),
      /^r\.json: id a: the reference list is empty$/,
    );
    bad(() => score({ a: ["x"] }, {}, { files: { candsFile: "c.json" } }), /^c\.json: no candidate captions$/);
  });
});
