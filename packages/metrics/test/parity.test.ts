import { describe, expect, it } from "vitest";
import { bleu, ciderD, MeteorScorer, rougeL } from "../src/index";
import { FIXTURES, readFixture, type ScoreFixture } from "./fixtures";

// Golden values: pycocoevalcap's Bleu/Rouge/Cider and its Meteor wrapper over Meteor 1.5 built from source,
// run by tools/metrics/make_fixtures.py on captions as given (pre-tokenized path), METEOR modules exact stem synonym.
const TOL = 1e-6; // BLEU, ROUGE-L, CIDEr: issue tolerance. METEOR's is 1e-3; it in fact agrees to 1e-12.
const METEOR_TOL = 1e-3;

const meteorScorer = new MeteorScorer();

function maxDiff(a: readonly number[], b: readonly number[]): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  a.forEach((v, i) => {
    worst = Math.max(worst, Math.abs(v - b[i]!));
  });
  return worst;
}

function check(fx: ScoreFixture, scorer: MeteorScorer) {
  const refs = fx.ids.map((id) => fx.refs![id]!);
  const cands = fx.ids.map((id) => fx.cands![id]!);
  const b = bleu(refs, cands);
  for (let k = 0; k < 4; k++) {
    expect(b.corpus[k]).toBeCloseTo(fx.corpus[`Bleu_${k + 1}`]!, 9);
    expect(maxDiff(b.items[k]!, fx.items[`Bleu_${k + 1}`]!)).toBeLessThan(TOL);
  }
  const r = rougeL(refs, cands);
  expect(Math.abs(r.corpus - fx.corpus.ROUGE_L!)).toBeLessThan(TOL);
  expect(maxDiff(r.items, fx.items.ROUGE_L!)).toBeLessThan(TOL);
  const c = ciderD(refs, cands);
  expect(Math.abs(c.corpus - fx.corpus.CIDEr!)).toBeLessThan(TOL);
  expect(maxDiff(c.items, fx.items.CIDEr!)).toBeLessThan(TOL);
  const m = scorer.score(refs, cands);
  expect(Math.abs(m.corpus - fx.corpus.METEOR!)).toBeLessThan(METEOR_TOL);
  expect(maxDiff(m.items, fx.items.METEOR!)).toBeLessThan(METEOR_TOL);
  // Stronger than required: the port reproduces Meteor's arithmetic, so it agrees to rounding.
  expect(Math.abs(m.corpus - fx.corpus.METEOR!)).toBeLessThan(1e-12);
}

describe("parity with pycocoevalcap + Meteor 1.5", () => {
  it("hand-made edge cases (empty, one word, repeats, punctuation, non-ASCII, equal to a reference, ...)", () => {
    check(readFixture("edge-cases.json"), meteorScorer);
  });

  it("300 real MSR-VTT test videos (one caption held out, 19 references)", () => {
    const fx = readFixture("msrvtt-test-300.json");
    expect(fx.ids.length).toBe(300);
    check(fx, meteorScorer);
  });

  it("METEOR's paraphrase module with a paraphrase table", () => {
    const scorer = new MeteorScorer({ paraphraseTable: `${FIXTURES}/paraphrase-tiny.gz` });
    expect(scorer.modules).toEqual(["exact", "stem", "synonym", "paraphrase"]);
    expect(scorer.weights).toEqual([1.0, 0.6, 0.8, 0.6]);
    check(readFixture("paraphrase.json"), scorer);
  });

  it("fails when the scorer departs from the reference (the test can fail)", () => {
    const fx = readFixture("edge-cases.json");
    const refs = fx.ids.map((id) => fx.refs![id]!);
    const cands = fx.ids.map((id) => fx.cands![id]!);
    const other = new MeteorScorer({ parameters: { alpha: 0.9 } }).score(refs, cands);
    expect(Math.abs(other.corpus - fx.corpus.METEOR!)).toBeGreaterThan(METEOR_TOL);
  });
});
