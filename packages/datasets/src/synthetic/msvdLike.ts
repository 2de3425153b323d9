import { rng, TavtError } from "@tavt/core";
import { MSVD_DOMAIN } from "../annotations/msvd";
import { CaptionDataset } from "../dataset";
import { splitByDomainRandom } from "../split";
import { MemoryStore } from "../stores/memory";
import type { VideoRecord } from "../types";
import { SOUND_EVENTS } from "./lexicon";
import { DEFAULT_SYNTHETIC, type SyntheticConfig } from "./synthetic";

/**
 * The MSVD-like dataset's own objects: none of them is an object of the ten MSR-VTT-like domains, and its captions
 * name people and things plainly, as MSVD's do.
 */
export const MSVD_LIKE_OBJECTS = ["man", "woman", "girl", "boy", "potato", "cucumber", "bicycle", "monkey"] as const;

/**
 * Its caption style: short present-progressive sentences about what is seen (MSVD's captions are short, about 7
 * words, and silent videos have no sounds to describe): no place phrase and no sound words.
 */
export const MSVD_LIKE_TEMPLATES: readonly string[] = [
  "a {obj1} is {verb1}",
  "the {obj1} is {verb1}",
  "a {obj1} is {verb1} with a {obj2}",
  "someone is {verb1}",
  "a {obj1} and a {obj2} are {verb1}",
];

/** Knobs of the MSVD-like dataset (the shift from the MSR-VTT-like one is in its defaults). */
export interface MsvdLikeConfig {
  /** The MSR-VTT-like generator's seed: the event "looks" are that dataset's, so what is done transfers. */
  seed: number;
  /** Videos (MSVD has 1,970 against MSR-VTT's 10,000: default a fifth of the synthetic default). */
  videos: number;
  frames: number;
  visualDim: number;
  /** Events in use (the MSR-VTT-like generator's count: same verbs, same looks). */
  events: number;
  clips: number;
  captionsPerVideo: number;
  /** Its own visual style A (gamma; stronger than the MSR-VTT-like domains' 0.7). */
  styleStrength: number;
  /** Std of its own visual offset b (larger than the MSR-VTT-like domains' 1). */
  domainOffset: number;
  eventVisibility: number;
  visualNoise: number;
  /** MSVD's official split is 1,300 train+val / 670 test. */
  trainFraction: number;
}

/** The MSVD-like set's defaults (400 videos, one domain, no audio). */
export const DEFAULT_MSVD_LIKE: MsvdLikeConfig = {
  seed: DEFAULT_SYNTHETIC.seed,
  videos: 400,
  frames: DEFAULT_SYNTHETIC.frames,
  visualDim: DEFAULT_SYNTHETIC.visualDim,
  events: DEFAULT_SYNTHETIC.events,
  clips: DEFAULT_SYNTHETIC.clips,
  captionsPerVideo: DEFAULT_SYNTHETIC.captionsPerVideo,
  styleStrength: 0.9,
  domainOffset: 1.5,
  eventVisibility: DEFAULT_SYNTHETIC.eventVisibility,
  visualNoise: DEFAULT_SYNTHETIC.visualNoise,
  trainFraction: 0.66,
};

/**
 * The MSVD-like config that goes with an MSR-VTT-like one (same seed, frames, dims and events).
 *
 * @param source - The MSR-VTT-like configuration.
 * @param overrides - Fields to change.
 * @returns The MSVD-like configuration.
 */
export function msvdLikeFor(source: Partial<SyntheticConfig>, overrides: Partial<MsvdLikeConfig> = {}): MsvdLikeConfig {
  const s = { ...DEFAULT_SYNTHETIC, ...source };
  return {
    ...DEFAULT_MSVD_LIKE,
    seed: s.seed,
    frames: s.frames,
    visualDim: s.visualDim,
    events: s.events,
    clips: s.clips,
    captionsPerVideo: s.captionsPerVideo,
    ...overrides,
  };
}

/** y = A x for a row-major [n, n] matrix A. */
function matVec(a: Float32Array, x: Float32Array, n: number): Float32Array {
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += a[i * n + j]! * x[j]!;
    y[i] = s;
  }
  return y;
}

/**
 * A second, MSVD-like dataset for the cross-dataset benchmark (Table 2) on the embedded data: one domain, "MSVD",
 * no audio, and its own shift from the MSR-VTT-like generator: its own objects (`MSVD_LIKE_OBJECTS`), its own
 * visual style and offset (A, b: stronger than any MSR-VTT-like domain's), its own caption style
 * (`MSVD_LIKE_TEMPLATES`: shorter, no places, no sounds). What it shares with the source data is what MSVD shares
 * with MSR-VTT: the actions (the same event verbs, with the same visual look before its style is applied).
 * v_t = A (w1 o1 + w2 o2 + beta ev(e_t)) + b + noise, as in `makeSynthetic`.
 *
 * @param config - Fields to change from `DEFAULT_MSVD_LIKE`.
 * @returns The dataset (one domain, "MSVD", no audio).
 * @throws `TavtError` (from `@tavt/core`) `BAD_CONFIG` for a field out of range.
 */
export function makeMsvdLike(config: Partial<MsvdLikeConfig> = {}): CaptionDataset {
  const c: MsvdLikeConfig = { ...DEFAULT_MSVD_LIKE, ...config };
  for (const f of ["videos", "frames", "visualDim", "events", "clips", "captionsPerVideo"] as const) {
    if (!Number.isInteger(c[f]) || c[f] < 1) {
      throw new TavtError("BAD_CONFIG", `MSVD-like config: ${f} must be a positive integer, got ${c[f]}`, { field: f });
    }
  }
  if (c.videos < 4)
    throw new TavtError("BAD_CONFIG", "MSVD-like config: videos must be at least 4", { field: "videos" });
  if (c.events < 2 || c.events > SOUND_EVENTS.length) {
    throw new TavtError(
      "BAD_CONFIG",
      `MSVD-like config: events must be in 2..${SOUND_EVENTS.length}, got ${c.events}`,
      {
        field: "events",
      },
    );
  }
  const n = c.visualDim;
  // The MSR-VTT-like generator's event looks (same keys as makeSynthetic), then everything of our own.
  const root = rng.key(c.seed);
  const shared = rng.splitNamed(root, ["objects", "events", "audio", "domains", "videos"]);
  const eventVis = Array.from({ length: c.events }, (_, e) => rng.normalArray(rng.foldIn(shared.events, e), n));
  const k = rng.splitNamed(rng.foldIn(root, "msvd-like"), ["objects", "mix", "offset", "videos"]);
  const a = rng.normalArray(k.mix, n * n);
  const g = c.styleStrength / Math.sqrt(n);
  for (let i = 0; i < a.length; i++) a[i] = a[i]! * g;
  for (let i = 0; i < n; i++) a[i * n + i]! += 1 - c.styleStrength;
  const offset = rng.normalArray(k.offset, n);
  for (let i = 0; i < n; i++) offset[i] = offset[i]! * c.domainOffset;
  const objects = MSVD_LIKE_OBJECTS.map((_, i) => matVec(a, rng.normalArray(rng.foldIn(k.objects, i), n), n));
  const events = eventVis.map((e) => matVec(a, e, n));
  const nObj = objects.length;
  const clipOf = (t: number) => Math.floor((t * c.clips) / c.frames);
  const firstHalf = (t: number) => clipOf(t) < Math.ceil(c.clips / 2);

  const videos: { id: string; domain: string; captions: string[] }[] = [];
  const entries: { id: string; data: Float32Array; shape: [number, number] }[] = [];
  for (let i = 0; i < c.videos; i++) {
    const id = `msvd${String(i).padStart(4, "0")}`;
    const vk = rng.splitNamed(rng.foldIn(k.videos, i), ["pick", "weights", "vnoise", "captions"]);
    const u = rng.uniformArray(vk.pick, 4);
    const o1 = Math.floor(u[0]! * nObj);
    const o2 = (o1 + 1 + Math.floor(u[1]! * (nObj - 1))) % nObj;
    const e1 = Math.floor(u[2]! * c.events);
    let e2 = Math.floor(u[3]! * c.events);
    if (e2 === e1) e2 = (e1 + 1) % c.events;
    const visual = rng.normalArray(vk.vnoise, c.frames * n);
    const w = rng.normalArray(vk.weights, 2 * c.frames);
    for (let t = 0; t < c.frames; t++) {
      const w1 = 1 + 0.2 * w[2 * t]!;
      const w2 = 1 + 0.2 * w[2 * t + 1]!;
      const ev = events[firstHalf(t) ? e1 : e2]!;
      for (let j = 0; j < n; j++) {
        visual[t * n + j] =
          c.visualNoise * visual[t * n + j]! +
          w1 * objects[o1]![j]! +
          w2 * objects[o2]![j]! +
          c.eventVisibility * ev[j]! +
          offset[j]!;
      }
    }
    entries.push({ id, data: visual, shape: [c.frames, n] });
    const slots: Record<string, string> = {
      obj1: MSVD_LIKE_OBJECTS[o1]!,
      obj2: MSVD_LIKE_OBJECTS[o2]!,
      verb1: SOUND_EVENTS[e1]!.verb,
    };
    const order = rng.permutation(vk.captions, MSVD_LIKE_TEMPLATES.length);
    const captions = Array.from({ length: c.captionsPerVideo }, (_, r) =>
      MSVD_LIKE_TEMPLATES[order[r % order.length]!]!.replace(/\{(\w+)\}/g, (_m, s: string) => slots[s]!),
    );
    videos.push({ id, domain: MSVD_DOMAIN, captions });
  }
  const split = splitByDomainRandom(videos, { seed: c.seed, trainFraction: c.trainFraction });
  const records: VideoRecord[] = videos.map((v) => ({ ...v, split: split.get(v.id)! }));
  return new CaptionDataset({
    name: "synthetic-msvd",
    videos: records,
    sourceDomains: [],
    targetDomains: [MSVD_DOMAIN],
    visual: new MemoryStore(`synthetic-msvd(seed=${c.seed})/visual`, entries),
    audio: null,
  });
}
