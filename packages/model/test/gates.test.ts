import { initBackend, rng, type tf } from "@tavt/core";
import { beforeAll, describe, expect, it } from "vitest";
import { type CaptionBatch, initTavt, makeConfig, randomBatch, tavtLoss, tokenGateRatios } from "../src";
import { randomBank } from "./helpers";

beforeAll(async () => {
  await initBackend();
});

const tiny = makeConfig("tiny");
const num = (t: tf.Tensor) => t.dataSync()[0]!;
const close = (got: number, want: number, atol = 1e-6, rtol = 1e-5) =>
  expect(Math.abs(got - want)).toBeLessThanOrEqual(atol + rtol * Math.abs(want));

describe("tokenGateRatios and W_ma (eq. 8)", () => {
  let batch: CaptionBatch;
  beforeAll(() => {
    batch = randomBatch(rng.key(3), tiny, { batch: 3 });
  });

  it("gives one positive, finite ratio per predicted token, with the decoder targets and their mask", () => {
    const params = initTavt(rng.key(0), tiny);
    const g = tokenGateRatios(params, batch, { config: tiny, bank: randomBank(tiny) });
    const [b, len] = batch.tokens.shape as [number, number];
    expect(g.ratio.shape).toEqual([b, len - 1]);
    expect(g.target.shape).toEqual([b, len - 1]);
    expect(Array.from(g.target.dataSync())).toEqual(Array.from(batch.tokens.slice([0, 1], [b, len - 1]).dataSync()));
    for (const r of g.ratio.dataSync()) expect(Number.isFinite(r) && r > 0).toBe(true);
    for (const m of g.mask.dataSync()) expect(m === 0 || m === 1).toBe(true);
  });

  it("wmaNormalize divides L_cap by the batch mean of eq. 8's weights, computed from the same ratios", () => {
    const params = initTavt(rng.key(0), tiny);
    const bank = randomBank(tiny);
    const g = tokenGateRatios(params, batch, { config: tiny, bank });
    const ratio = g.ratio.dataSync();
    const words = g.target.dataSync();
    const mask = g.mask.dataSync();
    // eq. 8: each real token's weight is the mean ratio of its word over the batch's real tokens
    const sum = new Map<number, number>();
    const count = new Map<number, number>();
    mask.forEach((m, i) => {
      if (m === 0) return;
      sum.set(words[i]!, (sum.get(words[i]!) ?? 0) + ratio[i]!);
      count.set(words[i]!, (count.get(words[i]!) ?? 0) + 1);
    });
    let wSum = 0;
    let n = 0;
    mask.forEach((m, i) => {
      if (m === 0) return;
      wSum += sum.get(words[i]!)! / count.get(words[i]!)!;
      n++;
    });
    const meanW = wSum / n;
    expect(Math.abs(meanW - 1)).toBeGreaterThan(1e-3); // the test can tell scaled from unscaled
    const raw = tavtLoss(params, batch, rng.key(1), { bank, config: tiny, training: false });
    const scaled = tavtLoss(params, batch, rng.key(1), {
      bank,
      config: makeConfig(tiny, { wmaNormalize: true }),
      training: false,
    });
    close(num(scaled.cap), num(raw.cap) / meanW);
    // the plain cross-entropy is the same either way, and is what the noWma ablation trains
    const plain = tavtLoss(params, batch, rng.key(1), {
      bank,
      config: makeConfig(tiny, { ablation: { noWma: true } }),
      training: false,
    });
    close(num(raw.nll!), num(plain.cap));
    close(num(scaled.nll!), num(plain.cap));
    expect(plain.nll).toBeUndefined(); // no W_ma: cap is already the plain cross-entropy
    const training = tavtLoss(params, batch, rng.key(1), { bank, config: tiny, training: true });
    expect(training.nll).toBeUndefined();
  });
});
