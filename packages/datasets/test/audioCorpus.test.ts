import { describe, expect, it } from "vitest";
import { makeSynthetic, makeSyntheticAudioCorpus, syntheticEventPrototypes } from "../src";

/** The index of the row of `protos` ([count, dim]) nearest to `x`. */
function nearest(x: Float32Array, protos: Float32Array, count: number, dim: number): number {
  let best = -1;
  let bestD = Number.POSITIVE_INFINITY;
  for (let p = 0; p < count; p++) {
    let s = 0;
    for (let j = 0; j < dim; j++) s += (x[j]! - protos[p * dim + j]!) ** 2;
    if (s < bestD) {
      bestD = s;
      best = p;
    }
  }
  return best;
}

describe("the synthetic external audio corpus (the stand-in for the paper's Flickr audio)", () => {
  const ds = makeSynthetic({ seed: 0, videos: 400 });
  const corpus = makeSyntheticAudioCorpus({ seed: 0, videos: 400 }, { clips: 300 });

  it("is heard in the benchmark's world: its first sources are the benchmark's event prototypes", () => {
    expect(Array.from(syntheticEventPrototypes(ds.config))).toEqual(Array.from(ds.eventPrototypes));
    expect(corpus.sourceCount).toBe(ds.config.events + 8);
    expect([corpus.frames, corpus.audioDim]).toEqual([20, 128]);
    expect(corpus.store.ids()).toHaveLength(300);
    // Each frame is gain * prototype + noise: its nearest event prototype is its source, for every event source.
    let checked = 0;
    for (const [i, id] of corpus.store.ids().entries()) {
      const audio = corpus.store.read(id);
      for (let t = 0; t < corpus.frames; t++) {
        const s = corpus.sources[i]![t]!;
        if (s >= ds.config.events) continue;
        const frame = audio.subarray(t * 128, (t + 1) * 128);
        expect(nearest(frame, ds.eventPrototypes, ds.config.events, 128)).toBe(s);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it("is drawn independently of the domains' videos: the same clips whatever the videos, none equal to a video's audio", () => {
    const other = makeSyntheticAudioCorpus(
      { seed: 0, videos: 2000, eventSkew: 0.9, styleStrength: 0.1 },
      { clips: 300 },
    );
    for (const id of ["ext00000", "ext00123", "ext00299"]) {
      expect(Array.from(other.store.read(id))).toEqual(Array.from(corpus.store.read(id)));
    }
    const videoFrames = new Set<number>();
    for (const v of ds.videos) videoFrames.add(ds.audio!.read(v.id)[0]!);
    for (const id of corpus.store.ids()) expect(videoFrames.has(corpus.store.read(id)[0]!)).toBe(false);
  });

  it("draws sources uniformly, including sounds no video has, with 1 to 3 segments per clip", () => {
    const counts = new Array<number>(corpus.sourceCount).fill(0);
    const segmentCounts = new Set<number>();
    for (const src of corpus.sources) {
      let segments = 1;
      for (let t = 1; t < src.length; t++) if (src[t] !== src[t - 1]) segments++;
      segmentCounts.add(segments);
      for (const s of src) counts[s]!++;
    }
    const total = counts.reduce((a, b) => a + b, 0);
    for (const c of counts) expect(c / total).toBeGreaterThan(0.25 / corpus.sourceCount); // 250 frames each expected, 99 the fewest seen;
    expect([...segmentCounts].every((s) => s >= 1 && s <= 3)).toBe(true);
    expect(segmentCounts.size).toBeGreaterThan(1);
    // The sounds after the events (no video has them) are heard too.
    expect(counts.slice(ds.config.events).every((c) => c > 0)).toBe(true);
  });

  it("is a function of the seed", () => {
    const again = makeSyntheticAudioCorpus({ seed: 0, videos: 400 }, { clips: 300 });
    expect(Array.from(again.store.read("ext00042"))).toEqual(Array.from(corpus.store.read("ext00042")));
    const seed1 = makeSyntheticAudioCorpus({ seed: 1, videos: 400 }, { clips: 300 });
    expect(Array.from(seed1.store.read("ext00042"))).not.toEqual(Array.from(corpus.store.read("ext00042")));
  });

  it("rejects bad options naming the field", () => {
    expect(() => makeSyntheticAudioCorpus({}, { clips: 0 })).toThrow(/clips must be an integer >= 1, got 0/);
    expect(() => makeSyntheticAudioCorpus({}, { otherSounds: -1 })).toThrow(/otherSounds must be an integer >= 0/);
    expect(() => makeSyntheticAudioCorpus({ events: 1 })).toThrow(/events must be in 2\.\./);
  });
});
