import { describe, expect, it } from "vitest";
import {
  DOMAIN_LEXICON,
  joinTargetDataset,
  MSVD_LIKE_OBJECTS,
  makeMsvdLike,
  makeSynthetic,
  msvdLikeFor,
  SOURCE_DOMAINS,
} from "../src";

const source = makeSynthetic({ videos: 600, seed: 3, visualDim: 32, audioDim: 16 });
const target = makeMsvdLike(msvdLikeFor(source.config, { videos: 200 }));

/** Mean over frames: one vector per video. */
function pooled(ds: typeof target, id: string): Float32Array {
  const s = ds.sample(id);
  const [frames, dim] = s.visualShape;
  const out = new Float32Array(dim);
  for (let t = 0; t < frames; t++) for (let j = 0; j < dim; j++) out[j]! += s.visual[t * dim + j]! / frames;
  return out;
}

const words = (captions: readonly string[]) => captions.flatMap((c) => c.split(" "));
const meanLength = (ds: typeof target) => {
  const lengths = ds.videos.flatMap((v) => v.captions.map((c) => c.split(" ").length));
  return lengths.reduce((a, b) => a + b, 0) / lengths.length;
};

/** Issue 15, point 2: the MSVD-like dataset has its own shift from the MSR-VTT-like one. */
describe("the MSVD-like synthetic dataset (Table 2's target on the embedded data)", () => {
  it("is one audio-free domain, MSVD, with a train and a test part, and is a pure function of its seed", () => {
    expect(target.domains).toEqual(["MSVD"]);
    expect(target.targetDomains).toEqual(["MSVD"]);
    expect(target.audio).toBeNull();
    expect(target.hasAudio).toBe(false);
    expect(target.ids({ split: "train" }).length).toBeGreaterThan(100);
    expect(target.ids({ split: "test" }).length).toBeGreaterThan(40);
    const again = makeMsvdLike(msvdLikeFor(source.config, { videos: 200 }));
    expect(again.videos).toEqual(target.videos);
    expect(again.sample("msvd0007").visual).toEqual(target.sample("msvd0007").visual);
  });

  it("has its own objects and a shorter caption style without places or sounds", () => {
    const sourceObjects = new Set(Object.values(DOMAIN_LEXICON).flatMap((l) => l.objects));
    expect(MSVD_LIKE_OBJECTS.filter((o) => sourceObjects.has(o))).toEqual([]);
    const targetWords = new Set(words(target.videos.flatMap((v) => v.captions)));
    for (const l of Object.values(DOMAIN_LEXICON)) expect(targetWords.has(l.place.split(" ").at(-1)!)).toBe(false);
    const sourceOnly = source.videos.filter((v) => SOURCE_DOMAINS.includes(v.domain as never));
    const srcLen = meanLength({ videos: sourceOnly } as unknown as typeof target);
    const tgtLen = meanLength(target);
    expect(
      tgtLen,
      `mean caption length: MSVD-like ${tgtLen.toFixed(2)}, MSR-VTT-like ${srcLen.toFixed(2)}`,
    ).toBeLessThan(srcLen - 1);
  });

  it("a nearest-centroid classifier on mean-pooled visual features tells the two datasets apart on held-out videos", () => {
    const src = source.ids({ domains: SOURCE_DOMAINS }).slice(0, 200);
    const tgt = target.ids();
    const fit = (ids: string[], ds: typeof target) => {
      const c = new Float32Array(32);
      for (const id of ids) {
        const x = pooled(ds, id);
        for (let j = 0; j < c.length; j++) c[j]! += x[j]! / ids.length;
      }
      return c;
    };
    const even = <T>(xs: T[]) => xs.filter((_, i) => i % 2 === 0);
    const odd = <T>(xs: T[]) => xs.filter((_, i) => i % 2 === 1);
    const cSrc = fit(even(src), source);
    const cTgt = fit(even(tgt), target);
    const d2 = (x: Float32Array, c: Float32Array) => x.reduce((a, v, j) => a + (v - c[j]!) ** 2, 0);
    let right = 0;
    let total = 0;
    for (const [ids, ds, isTarget] of [
      [odd(src), source, false],
      [odd(tgt), target, true],
    ] as const) {
      for (const id of ids) {
        const x = pooled(ds, id);
        if (d2(x, cTgt) < d2(x, cSrc) === isTarget) right++;
        total++;
      }
    }
    expect(right / total, `held-out accuracy ${right}/${total}`).toBeGreaterThan(0.95);
  });
});

describe("joinTargetDataset (source domains of one dataset, target domains of another)", () => {
  it("holds the source's source domains and the target's domains, each with its own features; the target is audio-absent", () => {
    const joined = joinTargetDataset(source, target);
    expect(joined.sourceDomains).toEqual(SOURCE_DOMAINS);
    expect(joined.targetDomains).toEqual(["MSVD"]);
    expect(joined.domains).toEqual([...SOURCE_DOMAINS, "MSVD"]);
    const s = joined.sample(joined.ids({ domains: ["News"] })[0]!);
    expect(s.audio).not.toBeNull();
    const t = joined.sample("msvd0001");
    expect(t.audio).toBeNull();
    expect(t.visual).toEqual(target.sample("msvd0001").visual);
    expect(joined.audioAbsentDomains.has("MSVD")).toBe(true);
  });

  it("an id in both datasets is a TavtError naming it", () => {
    expect(() => joinTargetDataset(source, source)).toThrow(/is a source domain|is in both/);
  });
});
