import { initBackend, tf } from "@tavt/core";
import { beforeAll, describe, expect, it } from "vitest";
import { applyDecoder, beamSearch, type DecoderConfig, gateTraces, greedySearch } from "../src";
import { makeDecoder, randomMemory } from "./helpers";

beforeAll(async () => {
  await initBackend();
});

// 3 words (<unk> is one) and at most 3 of them: 3 + 9 + 27 = 39 possible captions, so the search can be checked exhaustively.
const small: DecoderConfig = { vocab: 6, dim: 8, heads: 2, blocks: 2, ffn: 16, maxLen: 5 };

/** Teacher-forced log-probability of `<bos> ids <eos>` for video `row` of the memory. */
function logProbOf(seed: number, memSeed: number, b: number, row: number, ids: number[], config: DecoderConfig) {
  const p = makeDecoder(seed, config);
  const mem = randomMemory(memSeed, b);
  const seq = [1, ...ids, 2];
  const input = tf.tensor2d([seq.slice(0, -1)], [1, seq.length - 1], "int32");
  const pick = (t: tf.Tensor | null | undefined) => (t ? t.slice([row], [1]) : t);
  const out = applyDecoder(
    p,
    { xAv: pick(mem.xAv)!, xAvMask: pick(mem.xAvMask), xVa: pick(mem.xVa), xVaMask: pick(mem.xVaMask), tokens: input },
    config,
  );
  const logp = tf.logSoftmax(out.logits, -1).arraySync() as number[][][];
  return seq.slice(1).reduce((s, tok, t) => s + logp[0]![t]![tok]!, 0);
}

function allCaptions(words: number[], maxWords: number): number[][] {
  const out: number[][] = [];
  let frontier: number[][] = [[]];
  for (let n = 1; n <= maxWords; n++) {
    frontier = frontier.flatMap((c) => words.map((w) => [...c, w]));
    out.push(...frontier);
  }
  return out;
}

describe("beamSearch", () => {
  it("finds the best length-normalised caption of an exhaustively enumerable space, with consistent scores", () => {
    const b = 3;
    const res = beamSearch(makeDecoder(7, small), randomMemory(8, b), small, { beam: 40, maxLen: 3 });
    expect(res).toHaveLength(b);
    for (let row = 0; row < b; row++) {
      const scored = allCaptions([3, 4, 5], 3).map((ids) => {
        const lp = logProbOf(7, 8, b, row, ids, small);
        return { ids, lp, score: lp / (ids.length + 1) };
      });
      const best = scored.reduce((a, c) => (c.score > a.score ? c : a));
      expect(res[row]!.ids).toEqual(best.ids);
      expect(res[row]!.logProb).toBeCloseTo(best.lp, 4);
      expect(res[row]!.score).toBeCloseTo(best.score, 4);
    }
  });

  it("decodes a batch exactly as it decodes each video alone", () => {
    const cfg: DecoderConfig = { vocab: 11, dim: 8, heads: 2, blocks: 2, ffn: 16, maxLen: 8 };
    const mem = randomMemory(3, 3);
    const batch = beamSearch(makeDecoder(2, cfg), mem, cfg, { beam: 3 });
    for (let row = 0; row < 3; row++) {
      const pick = (t: tf.Tensor | null | undefined) => (t ? t.slice([row], [1]) : t);
      const one = beamSearch(
        makeDecoder(2, cfg),
        { xAv: pick(mem.xAv)!, xAvMask: pick(mem.xAvMask), xVa: pick(mem.xVa), xVaMask: pick(mem.xVaMask) },
        cfg,
        { beam: 3 },
      )[0]!;
      expect(batch[row]!.ids).toEqual(one.ids);
      expect(batch[row]!.score).toBeCloseTo(one.score, 4);
    }
  });

  it("never scores below greedy search, respects maxLen and minLen, and returns per-word gate traces", () => {
    const cfg: DecoderConfig = { vocab: 11, dim: 8, heads: 2, blocks: 2, ffn: 16, maxLen: 8 };
    const p = makeDecoder(4, cfg);
    const mem = randomMemory(5, 4);
    const greedy = greedySearch(p, mem, cfg, { maxLen: 4 });
    const beam = beamSearch(p, mem, cfg, { maxLen: 4, beam: 5 });
    beam.forEach((h, i) => {
      expect(h.ids.length).toBeGreaterThanOrEqual(1);
      expect(h.ids.length).toBeLessThanOrEqual(4);
      expect(h.ids.every((id) => id >= 3)).toBe(true);
      expect(h.score).toBeGreaterThanOrEqual(greedy[i]!.score - 1e-5);
      expect(h.alphaAv).toHaveLength(h.ids.length);
      expect(h.alphaVa).toHaveLength(h.ids.length);
      expect(h.alphaAv.every((a) => a > 0 && a < 1)).toBe(true);
    });
    const long = greedySearch(p, mem, cfg, { maxLen: 6, minLen: 6 });
    expect(long.every((h) => h.ids.length === 6)).toBe(true);
  });

  it("greedy search picks the argmax at each step (checked against teacher forcing)", () => {
    const p = makeDecoder(9, small);
    const mem = randomMemory(10, 2);
    const res = greedySearch(p, mem, small, { maxLen: 3 });
    res.forEach((h, row) => {
      const seq = [1, ...h.ids];
      const pick = (t: tf.Tensor | null | undefined) => (t ? t.slice([row], [1]) : t);
      const out = applyDecoder(
        p,
        {
          xAv: pick(mem.xAv)!,
          xAvMask: pick(mem.xAvMask),
          xVa: pick(mem.xVa),
          xVaMask: pick(mem.xVaMask),
          tokens: tf.tensor2d([seq], [1, seq.length], "int32"),
        },
        small,
      );
      const logits = out.logits.arraySync() as number[][][];
      const next = [...h.ids, ...(h.ids.length < 3 ? [2] : [])];
      next.forEach((tok, t) => {
        const row_ = logits[0]![t]!.map((v, id) => (id < 2 || (id === 2 && t < 1) ? -Infinity : v));
        expect(row_.indexOf(Math.max(...row_))).toBe(tok);
      });
    });
  });

  it("gate traces equal the teacher-forced gates' mean over d", () => {
    const cfg: DecoderConfig = { vocab: 11, dim: 8, heads: 2, blocks: 2, ffn: 16, maxLen: 8 };
    const p = makeDecoder(4, cfg);
    const mem = randomMemory(5, 1);
    const tr = gateTraces(p, mem, cfg, [[5, 6, 7]]);
    const out = applyDecoder(p, { ...mem, tokens: tf.tensor2d([[1, 5, 6]], [1, 3], "int32") }, cfg);
    const want = out.alphaAv.mean(-1).dataSync();
    tr.alphaAv[0]!.forEach((v, i) => {
      expect(v).toBeCloseTo(want[i]!, 5);
    });
  });

  it("turns ids into captions with a vocabulary or a decode callback", () => {
    const p = makeDecoder(7, small);
    const mem = randomMemory(8, 1);
    const vocab = ["<pad>", "<bos>", "<eos>", "<unk>", "dog", "barks"];
    const [h] = beamSearch(p, mem, small, { vocab, maxLen: 3 });
    expect(h!.caption).toBe(h!.ids.map((i) => vocab[i]).join(" "));
    const [g] = greedySearch(p, mem, small, { decode: (ids) => `#${ids.length}`, maxLen: 3 });
    expect(g!.caption).toBe(`#${g!.ids.length}`);
  });

  it("does not leak tensors", () => {
    const p = makeDecoder(7, small);
    const mem = randomMemory(8, 2);
    beamSearch(p, mem, small, { maxLen: 3 });
    greedySearch(p, mem, small, { maxLen: 3 });
    const before = tf.memory().numTensors;
    beamSearch(p, mem, small, { maxLen: 3 });
    greedySearch(p, mem, small, { maxLen: 3 });
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe("diverged parameters", () => {
  it("beam and greedy search say the log-probabilities are NaN instead of failing later", () => {
    const p = makeDecoder(3, small);
    const bad = { ...p, lnOut: { ...p.lnOut, weight: tf.fill([8], Number.NaN) as tf.Tensor1D } };
    const mem = randomMemory(4, 2);
    expect(() => beamSearch(bad, mem, small, { beam: 2 })).toThrow(/NaN.*diverged/);
    expect(() => greedySearch(bad, mem, small)).toThrow(/NaN.*diverged/);
    expect(beamSearch(p, mem, small, { beam: 2 })).toHaveLength(2);
  });
});
