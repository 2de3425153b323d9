import { initBackend } from "@tavt/core";
import { beforeAll, describe, expect, it } from "vitest";
import {
  makeSynthetic,
  PAPER_DOMAINS,
  SOUND_EVENTS,
  type SyntheticDataset,
  syntheticDomainSizes,
  TABLE1_COUNTS,
  TARGET_DOMAINS,
} from "../src";
import { logisticRegressionAccuracy } from "./helpers/logreg";

beforeAll(async () => {
  await initBackend();
});

const sameBits = (a: Float32Array, b: Float32Array) =>
  Buffer.compare(
    new Uint8Array(a.buffer, a.byteOffset, a.byteLength),
    new Uint8Array(b.buffer, b.byteOffset, b.byteLength),
  ) === 0;

/** Mean over frames of each video's features, for a split: [N, dim] rows and the domain index per row. */
function pooled(ds: SyntheticDataset, modality: "visual" | "audio", split: "train" | "test") {
  const ids = ds.ids({ split });
  const dim = modality === "visual" ? ds.config.visualDim : ds.config.audioDim;
  const x = new Float32Array(ids.length * dim);
  const y = new Int32Array(ids.length);
  ids.forEach((id, i) => {
    const s = ds.sample(id);
    const data = modality === "visual" ? s.visual : s.audio!;
    const frames = data.length / dim;
    for (let t = 0; t < frames; t++) for (let j = 0; j < dim; j++) x[i * dim + j]! += data[t * dim + j]! / frames;
    y[i] = PAPER_DOMAINS.indexOf(s.domain as (typeof PAPER_DOMAINS)[number]);
  });
  return { x, y, dim };
}

describe("synthetic benchmark", () => {
  let ds: SyntheticDataset;
  beforeAll(() => {
    ds = makeSynthetic({ seed: 7 });
  });

  it("has the 10 paper domains with sizes proportional to Table 1", () => {
    expect(ds.domains).toEqual([...PAPER_DOMAINS]);
    expect(ds.videos.length).toBe(2000);
    const sizes = syntheticDomainSizes(2000);
    for (const d of PAPER_DOMAINS) {
      expect(ds.domainVideos(d).length).toBe(sizes[d]);
      expect(Math.abs(sizes[d] - TABLE1_COUNTS[d] / 5)).toBeLessThanOrEqual(1);
    }
    expect(ds.targetDomains).toEqual([...TARGET_DOMAINS]);
    const s = ds.sample(ds.videos[0]!.id);
    expect(s.visualShape).toEqual([20, 256]);
    expect(s.audioShape).toEqual([20, 128]);
    expect(s.captions.length).toBe(5);
  });

  it("is identical under the same seed and differs under another", () => {
    const a = makeSynthetic({ seed: 3, videos: 200 });
    const b = makeSynthetic({ seed: 3, videos: 200 });
    const c = makeSynthetic({ seed: 4, videos: 200 });
    expect(a.videos).toEqual(b.videos);
    for (const id of a.ids()) {
      const sa = a.sample(id);
      const sb = b.sample(id);
      expect(sameBits(sa.visual, sb.visual)).toBe(true);
      expect(sameBits(sa.audio!, sb.audio!)).toBe(true);
    }
    const id = a.ids()[0]!;
    expect(sameBits(c.sample(id).visual, a.sample(id).visual)).toBe(false);
    expect(c.videos.map((v) => v.captions)).not.toEqual(a.videos.map((v) => v.captions));
  });

  it("captions draw on what is seen, what is heard and both", () => {
    const t = ds.truth[0]!;
    const refs = ds.video(t.id).captions.join(" | ");
    const e1 = SOUND_EVENTS[t.events[0]]!;
    const e2 = SOUND_EVENTS[t.events[1]]!;
    // every reference mentions at least one of its video's events (verb or sound) or objects
    const mentions = [e1.verb, e1.sound, e2.verb, e2.sound];
    expect(mentions.some((m) => refs.includes(m))).toBe(true);
    expect(new Set(ds.video(t.id).captions).size).toBe(5);
  });

  it("a linear domain classifier separates domains from visual features (>90%) but not from audio (<30%)", () => {
    const v = { train: pooled(ds, "visual", "train"), test: pooled(ds, "visual", "test") };
    const a = { train: pooled(ds, "audio", "train"), test: pooled(ds, "audio", "test") };
    const accVisual = logisticRegressionAccuracy(v.train.x, v.train.y, v.test.x, v.test.y, v.train.dim, 10);
    const accAudio = logisticRegressionAccuracy(a.train.x, a.train.y, a.test.x, a.test.y, a.train.dim, 10);
    console.info(
      `domain classifier accuracy (seed 7, ${v.test.y.length} test videos): visual ${accVisual.toFixed(3)}, audio ${accAudio.toFixed(3)}`,
    );
    expect(accVisual).toBeGreaterThan(0.9);
    expect(accAudio).toBeLessThan(0.3);
  });

  it("audio forms one cluster per shared event, whatever the domain", () => {
    // each audio clip (5 frames) is nearest to its event's prototype
    const { audioDim: da, events, frames, clips } = ds.config;
    const per = frames / clips;
    let right = 0;
    let total = 0;
    for (const t of ds.truth.slice(0, 300)) {
      const a = ds.sample(t.id).audio!;
      for (let c = 0; c < clips; c++) {
        const mean = new Float32Array(da);
        for (let f = c * per; f < (c + 1) * per; f++) for (let j = 0; j < da; j++) mean[j]! += a[f * da + j]! / per;
        let best = -1;
        let bestD = Number.POSITIVE_INFINITY;
        for (let e = 0; e < events; e++) {
          let d2 = 0;
          for (let j = 0; j < da; j++) d2 += (mean[j]! - ds.eventPrototypes[e * da + j]!) ** 2;
          if (d2 < bestD) {
            bestD = d2;
            best = e;
          }
        }
        if (best === t.events[c < clips / 2 ? 0 : 1]) right++;
        total++;
      }
    }
    expect(right / total).toBeGreaterThan(0.99);
  });

  it("can leave the target domains without audio", () => {
    const ds2 = makeSynthetic({ videos: 100, audioAbsentDomains: TARGET_DOMAINS });
    expect(ds2.sample(ds2.domainVideos("Music")[0]!.id).audio).toBeNull();
    expect(ds2.sample(ds2.domainVideos("News")[0]!.id).audio).not.toBeNull();
  });
});
