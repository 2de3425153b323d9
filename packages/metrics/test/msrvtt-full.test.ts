import { describe, expect, it } from "vitest";
import { score } from "../src/index";
import { msrvttTestSplit, readFixture, type ScoreFixture, SHARED_DATA } from "./fixtures";

const split = msrvttTestSplit();

describe("whole MSR-VTT test split (2,990 videos) against pycocoevalcap", () => {
  it.skipIf(!split)(`corpus and per-video scores agree (needs ${SHARED_DATA}/msrvtt)`, () => {
    const fx = readFixture<ScoreFixture>("msrvtt-test-full.json");
    const res = score(split!.refs, split!.cands, { tokenize: false, perItem: true });
    expect(Object.keys(res.perItem!)).toEqual(fx.ids);
    for (const [key, want] of Object.entries(fx.corpus)) {
      const got = res[key as keyof typeof res] as number;
      expect(Math.abs(got - want), key).toBeLessThan(key === "METEOR" ? 1e-3 : 1e-6);
    }
    for (const key of Object.keys(fx.items)) {
      let worst = 0;
      fx.ids.forEach((id, i) => {
        worst = Math.max(worst, Math.abs(res.perItem![id]![key as "CIDEr"] - fx.items[key]![i]!));
      });
      expect(worst, key).toBeLessThan(key === "METEOR" ? 1e-3 : 1e-6);
    }
  });
  if (!split) it.skip(`skipped: ${SHARED_DATA}/msrvtt/test_videodatainfo.json is absent`, () => {});
});
