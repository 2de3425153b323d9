import { rng, TavtError } from "@tavt/core";
import { MemoryStore } from "../stores/memory";
import { checkConfig, DEFAULT_SYNTHETIC, type SyntheticConfig, syntheticEventPrototypes } from "./synthetic";

/** Knobs of the external audio corpus (every field optional in `makeSyntheticAudioCorpus`). */
export interface SyntheticAudioCorpusOptions {
  /** Clips in the corpus (the paper clusters 750k Flickr videos; 3,000 clips keep the default fit in seconds). */
  clips: number;
  /** Frames per clip; default the benchmark's frames per video. */
  frames?: number;
  /** Sound sources heard in the corpus but in no video of the benchmark (Flickr holds sounds MSR-VTT lacks). */
  otherSounds: number;
  /** Most sound segments per clip (each clip has 1..maxSegments, cut at random frames). */
  maxSegments: number;
}

/** The external audio corpus's defaults: 3,000 clips, 8 sounds no video has. */
export const DEFAULT_AUDIO_CORPUS: SyntheticAudioCorpusOptions = { clips: 3000, otherSounds: 8, maxSegments: 3 };

/** The corpus: audio sequences [frames, audioDim] in a feature store, and which source sounds in each frame. */
export interface SyntheticAudioCorpus {
  /** Clips `ext00000`, `ext00001`, ... */
  store: MemoryStore;
  /** Per clip, per frame: the sound source (0..events-1 the benchmark's events, then the other sounds). */
  sources: Int32Array[];
  /** The benchmark's sound events plus the other sounds. */
  sourceCount: number;
  frames: number;
  audioDim: number;
}

/**
 * An external audio corpus for the embedded synthetic benchmark, the stand-in for the paper's Flickr videos
 * (section 3.2 and appendix D.1: the universal auditory space comes from k-means over audio independent of MSR-VTT). It is heard in
 * the same world as the benchmark (the same sound events, so the same audio prototypes for a given seed, events and
 * audio dim) but drawn independently of every domain's videos: its own key, sources drawn uniformly (not the domains'
 * skewed event choices), 1 to `maxSegments` segments per clip cut at random frames (not the videos' halves), and
 * `otherSounds` sources no video contains. Audio frames are gain * prototype + noise as in the videos.
 *
 * @param config - The benchmark's configuration (defaults from `DEFAULT_SYNTHETIC`).
 * @param options - The corpus's clips, frames, segments per clip and other sounds.
 * @returns The corpus.
 * @throws `TavtError` (from `@tavt/core`) `BAD_CONFIG` for a field out of range.
 */
export function makeSyntheticAudioCorpus(
  config: Partial<SyntheticConfig> = {},
  options: Partial<SyntheticAudioCorpusOptions> = {},
): SyntheticAudioCorpus {
  const c: SyntheticConfig = { ...DEFAULT_SYNTHETIC, ...config };
  checkConfig(c);
  const o = { ...DEFAULT_AUDIO_CORPUS, ...options };
  const frames = o.frames ?? c.frames;
  for (const [field, v, min] of [
    ["clips", o.clips, 1],
    ["frames", frames, 1],
    ["otherSounds", o.otherSounds, 0],
    ["maxSegments", o.maxSegments, 1],
  ] as const) {
    if (!Number.isInteger(v) || v < min) {
      throw new TavtError("BAD_CONFIG", `synthetic audio corpus: ${field} must be an integer >= ${min}, got ${v}`, {
        field,
      });
    }
  }
  const da = c.audioDim;
  const key = rng.foldIn(rng.key(c.seed), "external-audio-corpus");
  const k = rng.splitNamed(key, ["others", "clips"]);
  const sourceCount = c.events + o.otherSounds;
  const prototypes = new Float32Array(sourceCount * da);
  prototypes.set(syntheticEventPrototypes(c));
  for (let s = 0; s < o.otherSounds; s++) {
    prototypes.set(rng.normalArray(rng.foldIn(k.others, s), da), (c.events + s) * da);
  }
  const entries: { id: string; data: Float32Array; shape: [number, number] }[] = [];
  const sources: Int32Array[] = [];
  for (let i = 0; i < o.clips; i++) {
    const ck = rng.splitNamed(rng.foldIn(k.clips, i), ["segments", "noise"]);
    const u = rng.uniformArray(ck.segments, 1 + 3 * o.maxSegments);
    const segments = Math.min(frames, 1 + Math.floor(u[0]! * o.maxSegments));
    // Segment boundaries: distinct random frames 1..frames-1, ascending.
    const cuts = new Set<number>();
    for (let j = 1; j < segments; j++) {
      let at = 1 + Math.floor(u[j]! * (frames - 1));
      while (cuts.has(at)) at = (at % (frames - 1)) + 1;
      cuts.add(at);
    }
    const bounds = [0, ...[...cuts].sort((a, b) => a - b), frames];
    const source = new Int32Array(frames);
    const gains: number[] = [];
    for (let j = 0; j < segments; j++) {
      const s = Math.floor(u[o.maxSegments + j]! * sourceCount);
      gains.push(0.8 + 0.4 * u[2 * o.maxSegments + j]!);
      source.fill(s, bounds[j]!, bounds[j + 1]!);
    }
    const audio = rng.normalArray(ck.noise, frames * da);
    let seg = 0;
    for (let t = 0; t < frames; t++) {
      while (t >= bounds[seg + 1]!) seg++;
      const p = source[t]! * da;
      const g = gains[seg]!;
      for (let j = 0; j < da; j++) audio[t * da + j] = c.audioNoise * audio[t * da + j]! + g * prototypes[p + j]!;
    }
    entries.push({ id: `ext${String(i).padStart(5, "0")}`, data: audio, shape: [frames, da] });
    sources.push(source);
  }
  return {
    store: new MemoryStore(`synthetic(seed=${c.seed})/external-audio`, entries),
    sources,
    sourceCount,
    frames,
    audioDim: da,
  };
}
