import { describe, expect, it } from "vitest";
import { describeComparison, formatDifference, pairedComparison } from "../src/lib/compare";
import { studentTCdf, studentTQuantile } from "../src/lib/tdist";
import type { TransferRow } from "../src/lib/transfer";

const close = (got: number, want: number, atol = 1e-9, rtol = 1e-8) =>
  expect(Math.abs(got - want)).toBeLessThanOrEqual(atol + rtol * Math.abs(want));

describe("Student's t", () => {
  it("quantiles equal scipy.stats.t.ppf(0.975, df)", () => {
    // scipy 1.10: t.ppf(0.975, [1, 2, 3, 4, 9, 29])
    const want: [number, number][] = [
      [1, 12.706204736174698],
      [2, 4.302652729749464],
      [3, 3.182446305284263],
      [4, 2.7764451051977934],
      [9, 2.2621571628540993],
      [29, 2.045229642132703],
    ];
    for (const [df, q] of want) close(studentTQuantile(0.975, df), q);
  });

  it("the CDF is symmetric and is 1/2 at 0", () => {
    close(studentTCdf(0, 3), 0.5);
    close(studentTCdf(-1.7, 5) + studentTCdf(1.7, 5), 1);
    // df = 1 is the Cauchy distribution: P(T <= 1) = 3/4
    close(studentTCdf(1, 1), 0.75);
  });
});

const row = (method: string, target: string, seed: number, BLEU4: number): TransferRow => ({
  method,
  target,
  seed,
  fraction: 1,
  BLEU1: 0,
  BLEU4,
  METEOR: 0,
  ROUGE_L: 0,
  CIDEr: 0,
  trainSeconds: 0,
  adaptLoss: "full",
  distinct: 100,
  vocabulary: 10,
  length: 5,
  refLength: 6,
});

describe("pairedComparison", () => {
  it("pairs by seed and gives the t interval of the mean difference (hand-computed)", () => {
    // differences on target A over seeds 0, 1, 2: 2, 3, 4 -> mean 3, sd 1, half-width t(0.975, 2) / sqrt(3) = 2.48
    const rows = [
      row("ref", "A", 0, 12),
      row("ref", "A", 1, 23),
      row("ref", "A", 2, 34),
      row("other", "A", 0, 10),
      row("other", "A", 1, 20),
      row("other", "A", 2, 30),
    ];
    const d = pairedComparison(rows, "ref", ["BLEU4"]);
    const a = d.find((x) => x.target === "A")!;
    expect(a.perSeed).toEqual([2, 3, 4]);
    const half = 4.302652729749464 / Math.sqrt(3);
    close(a.mean, 3);
    close(a.low, 3 - half);
    close(a.high, 3 + half);
    expect(a.verdict).toBe("reference better");
    // the seeds' scale differs by 10x, yet the pairing sees a steady gain; unpaired, the spread would swamp it
    const mean = d.find((x) => x.target === "mean")!;
    expect(mean.perSeed).toEqual([2, 3, 4]);
  });

  it("says 'not established' when the interval covers 0, and gives no interval for one seed", () => {
    const rows = [row("ref", "A", 0, 10), row("ref", "A", 1, 10), row("other", "A", 0, 9), row("other", "A", 1, 11)];
    const d = pairedComparison(rows, "ref", ["BLEU4"]).find((x) => x.target === "mean")!;
    expect(d.verdict).toBe("not established");
    expect(describeComparison([d], { BLEU4: "BLEU-4" })).toMatch(/against other: not established on BLEU-4 \+0\.00/);
    const one = pairedComparison([row("ref", "A", 0, 10), row("other", "A", 0, 9)], "ref", ["BLEU4"]);
    expect(Number.isNaN(one[0]!.low)).toBe(true);
    expect(one[0]!.verdict).toBe("not established");
    expect(describeComparison(one, {})).toMatch(/one seed/);
    // as comparison.json saves it (JSON writes NaN as null) and results-doc reads it back
    const saved = JSON.parse(JSON.stringify(one[0])) as typeof d;
    expect(formatDifference(saved)).toBe("+1.00 (one seed: no interval)");
  });
});
