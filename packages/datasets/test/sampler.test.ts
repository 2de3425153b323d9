import { rng } from "@tavt/core";
import { describe, expect, it } from "vitest";
import { EpisodicSampler, makeSynthetic, miniBatches, SOURCE_DOMAINS, splitByDomain, TARGET_DOMAINS } from "../src";

const ds = makeSynthetic({ videos: 400, seed: 1 });

describe("EpisodicSampler (Algorithm 1)", () => {
  it("gives K-1 support domains and 1 query domain from the sources, batches of 32 from the train split", () => {
    const s = new EpisodicSampler(ds, { seed: 5 });
    const seenQuery = new Set<string>();
    for (let step = 0; step < 20; step++) {
      const mb = s.next();
      expect(mb.step).toBe(step);
      expect(mb.supportDomains.length).toBe(4);
      expect(new Set([...mb.supportDomains, mb.queryDomain])).toEqual(new Set(SOURCE_DOMAINS));
      expect(mb.support.length).toBe(4);
      mb.support.forEach((batch, i) => {
        expect(batch.length).toBe(Math.min(32, ds.domainVideos(mb.supportDomains[i]!, "train").length));
        expect(new Set(batch.map((x) => x.id)).size).toBe(batch.length);
        for (const x of batch) {
          expect(x.domain).toBe(mb.supportDomains[i]);
          expect(ds.video(x.id).split).toBe("train");
        }
      });
      expect(mb.query.every((x) => x.domain === mb.queryDomain)).toBe(true);
      expect(mb.query.length).toBe(Math.min(32, ds.domainVideos(mb.queryDomain, "train").length));
      seenQuery.add(mb.queryDomain);
    }
    expect(seenQuery.size).toBeGreaterThan(2);
  });

  it("evalBatches: a second, disjoint batch of each domain (Algorithm 1, line 9), the first batches unchanged", () => {
    const plain = new EpisodicSampler(ds, { seed: 5, batchSize: 4, queryBatchSize: 8 });
    const withEval = new EpisodicSampler(ds, { seed: 5, batchSize: 4, queryBatchSize: 8, evalBatches: true });
    expect(plain.episodeIds(2).supportEval).toBeUndefined();
    for (let step = 0; step < 10; step++) {
      const a = plain.episodeIds(step);
      const b = withEval.episodeIds(step);
      expect({ ...b, supportEval: undefined, queryEval: undefined }).toEqual({
        ...a,
        supportEval: undefined,
        queryEval: undefined,
      });
      b.support.forEach((batch, i) => {
        const fresh = b.supportEval![i]!;
        expect(fresh.length).toBe(batch.length);
        expect(fresh.filter((id) => batch.includes(id))).toEqual([]);
        for (const id of fresh) expect(ds.video(id).domain).toBe(b.supportDomains[i]);
      });
      expect(b.queryEval!.length).toBe(8);
      expect(b.queryEval!.filter((id) => b.query.includes(id))).toEqual([]);
      for (const id of b.queryEval!) expect(ds.video(id).domain).toBe(b.queryDomain);
    }
    const mb = withEval.episode(1);
    expect(mb.supportEval!.map((x) => x.length)).toEqual(mb.support.map((x) => x.length));
    expect(mb.queryEval!.every((x) => x.domain === mb.queryDomain)).toBe(true);
  });

  it("evalBatches never reuse the adaptation batch: short domains give a shorter fresh batch, one-batch domains fail", () => {
    const smallest = Math.min(...SOURCE_DOMAINS.map((d) => ds.domainVideos(d, "train").length));
    const size = smallest - 3; // the smallest domain has 3 videos beyond one batch
    const s = new EpisodicSampler(ds, { seed: 2, batchSize: size, queryBatchSize: size, evalBatches: true });
    for (let step = 0; step < 12; step++) {
      const b = s.episodeIds(step);
      const pairs = [...b.support.map((x, i) => [x, b.supportEval![i]!] as const), [b.query, b.queryEval!] as const];
      pairs.forEach(([batch, fresh], i) => {
        const domain = i < b.support.length ? b.supportDomains[i]! : b.queryDomain;
        const pool = ds.domainVideos(domain, "train").length;
        expect(fresh.length).toBe(Math.min(size, pool - size));
        expect(fresh.filter((id) => batch.includes(id))).toEqual([]);
        expect(new Set(fresh).size).toBe(fresh.length);
      });
    }
    expect(() => new EpisodicSampler(ds, { batchSize: smallest, queryBatchSize: smallest, evalBatches: true })).toThrow(
      /has \d+ train videos, no more than one batch.*fresh batch/,
    );
    expect(() => new EpisodicSampler(ds, { batchSize: smallest, queryBatchSize: smallest })).not.toThrow();
  });

  it("is reproducible from (seed, step) and changes with the seed", () => {
    const a = new EpisodicSampler(ds, { seed: 5 });
    const b = new EpisodicSampler(ds, { seed: 5 });
    const c = new EpisodicSampler(ds, { seed: 6 });
    expect(b.episodeIds(3)).toEqual(a.episodeIds(3));
    const walked = new EpisodicSampler(ds, { seed: 5 });
    walked.next();
    walked.next();
    walked.next();
    expect(walked.next().query.map((x) => x.id)).toEqual(a.episodeIds(3).query);
    expect(c.episodeIds(3)).not.toEqual(a.episodeIds(3));
  });

  it("honours batch sizes, fewer support domains, and refuses a bad configuration", () => {
    const s = new EpisodicSampler(ds, { batchSize: 4, queryBatchSize: 6, supportDomains: 2 });
    const mb = s.episode(0);
    expect(mb.support.map((b) => b.length)).toEqual([4, 4]);
    expect(mb.query.length).toBe(6);
    expect(() => new EpisodicSampler(ds, { sourceDomains: ["News"] })).toThrow(/at least 2 source domains/);
    expect(() => new EpisodicSampler(ds, { supportDomains: 5 })).toThrow(/supportDomains/);
  });
});

describe("miniBatches", () => {
  it("covers every id once, shuffled by the key", () => {
    const ids = ds.ids({ domains: ["Music"] });
    const plain = miniBatches(ids, 7);
    expect(plain.flat()).toEqual(ids);
    const shuffled = miniBatches(ids, 7, rng.key(1));
    expect(shuffled.flat().sort()).toEqual([...ids].sort());
    expect(shuffled.flat()).not.toEqual(ids);
    expect(shuffled.at(-1)!.length).toBe(ids.length % 7 || 7);
  });
});

describe("splitByDomain", () => {
  it("gives the sources' train parts to meta-train and each target's train/test parts to meta-test", () => {
    const { metaTrain, metaTest } = splitByDomain(ds);
    expect(Object.keys(metaTrain)).toEqual([...SOURCE_DOMAINS]);
    expect(Object.keys(metaTest)).toEqual([...TARGET_DOMAINS]);
    expect(metaTrain.News).toEqual(ds.ids({ domains: ["News"], split: "train" }));
    const music = metaTest.Music!;
    expect(music.train.length + music.test.length).toBe(ds.domainVideos("Music").length);
    expect(music.train.filter((id) => music.test.includes(id))).toEqual([]);
  });
});
