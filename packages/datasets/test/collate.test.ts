import { initBackend, rng, tf } from "@tavt/core";
import { beforeAll, describe, expect, it } from "vitest";
import {
  BOS_ID,
  buildVocabulary,
  captionTokens,
  collate,
  datasetStats,
  disposeBatch,
  EOS_ID,
  EpisodicSampler,
  makeSynthetic,
  PAD_ID,
  type Sample,
  TARGET_DOMAINS,
  Vocabulary,
} from "../src";

beforeAll(async () => {
  await initBackend();
});

const ds = makeSynthetic({ videos: 200, seed: 3, visualDim: 12, audioDim: 6 });
const vocab = buildVocabulary(ds.videos);
/** A vocabulary that knows the hand-made samples' words. */
const small = Vocabulary.build(Array.from({ length: 3 }, () => "a man is cooking"));

function sample(id: string, frames: number, audio: boolean, dv = 3): Sample {
  return {
    id,
    domain: "D",
    visual: Float32Array.from({ length: frames * dv }, (_, i) => i + 1),
    visualShape: [frames, dv],
    audio: audio ? Float32Array.from({ length: frames * 2 }, (_, i) => -(i + 1)) : null,
    audioShape: audio ? [frames, 2] : null,
    captions: ["a man is cooking", "a man"],
  };
}

describe("collate", () => {
  it("pads features with masks and encodes one reference <bos> .. <eos> <pad>", async () => {
    const b = collate([sample("x", 2, true), sample("y", 3, true)], small, { captionIndex: 1 });
    expect(b.ids).toEqual(["x", "y"]);
    expect(b.visual.shape).toEqual([2, 3, 3]);
    expect(b.visual.dtype).toBe("float32");
    expect(await b.visualMask.array()).toEqual([
      [1, 1, 0],
      [1, 1, 1],
    ]);
    expect((await b.visual.array())[0]![2]).toEqual([0, 0, 0]);
    expect(b.audio!.shape).toEqual([2, 3, 2]);
    expect(await b.audioMask!.array()).toEqual([
      [1, 1, 0],
      [1, 1, 1],
    ]);
    expect(b.tokens.dtype).toBe("int32");
    const toks = await b.tokens.array();
    expect(toks[0]![0]).toBe(BOS_ID);
    expect(small.decode(toks[0]!)).toBe("a man");
    expect(toks[0]!.length).toBe(4);
    expect(toks[0]![3]).toBe(EOS_ID);
    expect(b.references).toEqual([
      ["a man is cooking", "a man"],
      ["a man is cooking", "a man"],
    ]);
    disposeBatch(b);
  });

  it("pads to maxLen on request, cuts long captions before <eos>, fixes frames", async () => {
    const b = collate([sample("x", 5, false)], small, { maxLen: 4, padToMaxLen: true, frames: 4 });
    expect(small.decode((await b.tokens.array())[0]!)).toBe("a man");
    const row = (await b.tokens.array())[0]!;
    expect(row.length).toBe(4);
    expect(row[0]).toBe(BOS_ID);
    expect(row[3]).toBe(EOS_ID);
    expect(b.visual.shape).toEqual([1, 4, 3]);
    expect(b.audio).toBeNull();
    expect(b.audioMask).toBeNull();
    const c = collate([sample("x", 2, false)], vocab, { maxLen: 10, padToMaxLen: true });
    expect((await c.tokens.array())[0]!.slice(6)).toEqual([PAD_ID, PAD_ID, PAD_ID, PAD_ID]);
    disposeBatch(b);
    disposeBatch(c);
  });

  it("draws the reference with a key, reproducibly", async () => {
    const samples = ds.samples(ds.ids().slice(0, 16));
    const a = collate(samples, vocab, { key: rng.key(1) });
    const b = collate(samples, vocab, { key: rng.key(1) });
    expect(await a.tokens.array()).toEqual(await b.tokens.array());
    const first = collate(samples, vocab);
    expect(await a.tokens.array()).not.toEqual(await first.tokens.array());
    for (const x of [a, b, first]) disposeBatch(x);
  });

  it("refuses mixed audio, mismatched dims and empty batches, naming the ids", () => {
    expect(() => collate([sample("x", 2, true), sample("y", 2, false)], vocab)).toThrow(/"y" has no audio/);
    expect(() => collate([sample("x", 2, true), sample("y", 2, true, 4)], vocab)).toThrow(/"y" has visual dim 4/);
    expect(() => collate([], vocab)).toThrow(/no samples/);
    const b = collate([sample("x", 2, true), sample("y", 2, false)], vocab, { dropAudio: true });
    expect(b.audio).toBeNull();
    disposeBatch(b);
  });

  it("leaks no tensors over repeated episodic batches", () => {
    const s = new EpisodicSampler(ds, { batchSize: 8 });
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) {
      const mb = s.next();
      for (const batch of [...mb.support, mb.query]) disposeBatch(collate(batch, vocab, { key: rng.key(i) }));
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it("collates an audio-absent target domain with null audio", () => {
    const absent = makeSynthetic({ videos: 100, visualDim: 8, audioDim: 4, audioAbsentDomains: TARGET_DOMAINS });
    const b = collate(absent.samples(absent.ids({ domains: ["Beauty"] })), vocab);
    expect(b.audio).toBeNull();
    disposeBatch(b);
  });
});

describe("datasetStats", () => {
  it("counts videos, splits, captions per video and the vocabulary per domain", async () => {
    const st = datasetStats(ds);
    expect(st.rows.map((r) => r.domain)).toEqual([...ds.domains, "all"]);
    const news = st.rows[0]!;
    expect(news).toMatchObject({ domain: "News", role: "source", videos: 35, captionsPerVideo: 5, audio: true });
    expect(news.train + news.test).toBe(35);
    const all = st.rows.at(-1)!;
    expect(all.videos).toBe(200);
    expect(all.captions).toBe(1000);
    expect(st.vocabularySize).toBe(vocab.size);
    expect(st.rows).toHaveLength(11);
    // The domain rows add up to the "all" row, and each row's counts are those of its videos.
    for (const k of ["videos", "train", "test", "captions"] as const) {
      expect(st.rows.slice(0, -1).reduce((n, r) => n + r[k], 0)).toBe(all[k]);
    }
    for (const r of st.rows.slice(0, -1)) {
      const vids = ds.videos.filter((v) => v.domain === r.domain);
      expect(r.videos).toBe(vids.length);
      expect(r.test).toBe(vids.filter((v) => v.split === "test").length);
      const words = vids.flatMap((v) => v.captions.map((c) => captionTokens(c).length)).reduce((a, b) => a + b, 0);
      expect(Math.abs(r.wordsPerCaption - words / r.captions)).toBeLessThanOrEqual(0.005 + 1e-9); // rounded to 2 places
    }
  });
});
