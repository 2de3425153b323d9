import { type Key, rng, TavtError } from "@tavt/core";
import { CaptionDataset } from "../dataset";
import { PAPER_DOMAINS, type PaperDomain, SOURCE_DOMAINS, TABLE1_COUNTS, TARGET_DOMAINS } from "../domains";
import { splitByDomainRandom } from "../split";
import { MemoryStore } from "../stores/memory";
import type { VideoRecord } from "../types";
import { CAPTION_TEMPLATES, DOMAIN_LEXICON, SOUND_EVENTS } from "./lexicon";

/** Knobs of the embedded synthetic benchmark (every field optional in `makeSynthetic`). */
export interface SyntheticConfig {
  /** Everything is a function of this seed. */
  seed: number;
  /** Videos in total, shared among the 10 domains in proportion to Table 1. */
  videos: number;
  /** Frames per video (visual and audio are frame-aligned). */
  frames: number;
  /** Visual feature dim dv (256 keeps training fast on 2 CPU cores; the paper's ResNet-101 gives 2048). */
  visualDim: number;
  /** Audio feature dim da (VGGish's 128). */
  audioDim: number;
  /** Sound events = audio prototypes, shared by all domains (at most the lexicon's 20). */
  events: number;
  /** Event segments per video: the frames are cut into this many equal clips, the first half of them showing
   * and sounding the video's first event, the rest its second. */
  clips: number;
  /** Reference captions per video. */
  captionsPerVideo: number;
  /** gamma in A_d = (1 - gamma) I + gamma G_d / sqrt(dv): how much each domain's style mixes the visual content. */
  styleStrength: number;
  /** Per-dimension std of each domain's visual offset b_d. */
  domainOffset: number;
  /** How strongly an event shows in the visual frames (beta). */
  eventVisibility: number;
  /** Std of per-frame visual noise. */
  visualNoise: number;
  /** Std of per-frame audio noise. */
  audioNoise: number;
  /** Share of event draws taken from the domain's 3 favourite events instead of uniformly (0 = none). */
  eventSkew: number;
  /** Domains whose videos have no audio (the MSVD-like audio-absent target); e.g. `TARGET_DOMAINS`. */
  audioAbsentDomains: readonly string[];
  /** Share of each domain's videos in its train part (seeded random per-domain split). */
  trainFraction: number;
}

/** The synthetic benchmark's defaults (2,000 videos, 16 sound events, generator seed 0). */
export const DEFAULT_SYNTHETIC: SyntheticConfig = {
  seed: 0,
  videos: 2000,
  frames: 20,
  visualDim: 256,
  audioDim: 128,
  events: 16,
  clips: 4,
  captionsPerVideo: 5,
  styleStrength: 0.7,
  domainOffset: 1,
  eventVisibility: 0.8,
  visualNoise: 0.5,
  audioNoise: 0.3,
  eventSkew: 0.1,
  audioAbsentDomains: [],
  trainFraction: 0.7,
};

/** What generated one synthetic video (ground truth, for analysis and tests). */
export interface SyntheticTruth {
  id: string;
  domain: PaperDomain;
  /** Indices into the domain's `DOMAIN_LEXICON` objects. */
  objects: [number, number];
  /** Indices into `SOUND_EVENTS`: the first and second half's events. */
  events: [number, number];
}

/** The synthetic benchmark: a `CaptionDataset` plus its generative ground truth. */
export class SyntheticDataset extends CaptionDataset {
  readonly config: SyntheticConfig;
  readonly truth: readonly SyntheticTruth[];
  /** The audio prototypes, row-major `[events, audioDim]`. */
  readonly eventPrototypes: Float32Array;

  constructor(
    init: ConstructorParameters<typeof CaptionDataset>[0],
    config: SyntheticConfig,
    truth: SyntheticTruth[],
    eventPrototypes: Float32Array,
  ) {
    super(init);
    this.config = config;
    this.truth = truth;
    this.eventPrototypes = eventPrototypes;
  }
}

/**
 * Videos per domain for a total: Table 1 proportions by largest remainder, at least 2 per domain.
 *
 * @param total - The number of videos.
 * @returns Videos per paper domain.
 */
export function syntheticDomainSizes(total: number): Record<PaperDomain, number> {
  const sum = PAPER_DOMAINS.reduce((a, d) => a + TABLE1_COUNTS[d], 0);
  const raw = PAPER_DOMAINS.map((d) => (total * TABLE1_COUNTS[d]) / sum);
  const sizes = raw.map((r) => Math.max(2, Math.floor(r)));
  let left = total - sizes.reduce((a, b) => a + b, 0);
  const order = PAPER_DOMAINS.map((_, i) => i).sort(
    (a, b) => raw[b]! - Math.floor(raw[b]!) - (raw[a]! - Math.floor(raw[a]!)),
  );
  for (let j = 0; left > 0; j = (j + 1) % order.length, left--) sizes[order[j]!]!++;
  const out = {} as Record<PaperDomain, number>;
  PAPER_DOMAINS.forEach((d, i) => {
    out[d] = sizes[i]!;
  });
  return out;
}

export function checkConfig(c: SyntheticConfig): void {
  const ints: (keyof SyntheticConfig)[] = [
    "videos",
    "frames",
    "visualDim",
    "audioDim",
    "events",
    "clips",
    "captionsPerVideo",
  ];
  for (const f of ints) {
    const v = c[f] as number;
    if (!Number.isInteger(v) || v < 1) {
      throw new TavtError("BAD_CONFIG", `synthetic config: ${f} must be a positive integer, got ${v}`, { field: f });
    }
  }
  if (c.videos < 2 * PAPER_DOMAINS.length) {
    throw new TavtError("BAD_CONFIG", `synthetic config: videos must be at least ${2 * PAPER_DOMAINS.length}`, {
      field: "videos",
    });
  }
  if (c.events < 2 || c.events > SOUND_EVENTS.length) {
    throw new TavtError(
      "BAD_CONFIG",
      `synthetic config: events must be in 2..${SOUND_EVENTS.length}, got ${c.events}`,
      {
        field: "events",
      },
    );
  }
  if (c.clips > c.frames) {
    throw new TavtError("BAD_CONFIG", `synthetic config: clips (${c.clips}) exceeds frames (${c.frames})`, {
      field: "clips",
    });
  }
  for (const d of c.audioAbsentDomains) {
    if (!(PAPER_DOMAINS as readonly string[]).includes(d)) {
      throw new TavtError("BAD_CONFIG", `synthetic config: audioAbsentDomains names unknown domain "${d}"`, {
        field: "audioAbsentDomains",
      });
    }
  }
}

/** y = A x for a row-major [n, n] matrix A. */
function matVec(a: Float32Array, x: Float32Array, n: number): Float32Array {
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    const row = i * n;
    for (let j = 0; j < n; j++) s += a[row + j]! * x[j]!;
    y[i] = s;
  }
  return y;
}

/** The styled visual vectors and offset of one domain: A_d o for its objects and A_d e for every event. */
function domainStyle(key: Key, c: SyntheticConfig, objectEmb: Float32Array[], eventVis: Float32Array[]) {
  const n = c.visualDim;
  const k = rng.splitNamed(key, ["mix", "offset"]);
  // A_d = (1 - gamma) I + gamma G_d / sqrt(dv): a domain-specific linear "look" applied to all visual content.
  const a = rng.normalArray(k.mix, n * n);
  const g = c.styleStrength / Math.sqrt(n);
  for (let i = 0; i < a.length; i++) a[i] = a[i]! * g;
  for (let i = 0; i < n; i++) a[i * n + i]! += 1 - c.styleStrength;
  const offset = rng.normalArray(k.offset, n);
  for (let i = 0; i < n; i++) offset[i] = offset[i]! * c.domainOffset;
  return {
    objects: objectEmb.map((o) => matVec(a, o, n)),
    events: eventVis.map((e) => matVec(a, e, n)),
    offset,
  };
}

/** The audio prototype of each sound event, row-major [events, audioDim]: what every video's and the external
 * corpus's audio is made of (a function of the seed, the event count and the audio dim only).
 *
 * @param c - The benchmark's `seed`, `events` and `audioDim`.
 * @returns The prototypes, row-major `[events, audioDim]`.
 */
export function syntheticEventPrototypes(c: Pick<SyntheticConfig, "seed" | "events" | "audioDim">): Float32Array {
  const audio = rng.foldIn(rng.key(c.seed), "audio"); // the "audio" key of makeSynthetic's named split
  const prototypes = new Float32Array(c.events * c.audioDim);
  for (let e = 0; e < c.events; e++) prototypes.set(rng.normalArray(rng.foldIn(audio, e), c.audioDim), e * c.audioDim);
  return prototypes;
}

function fill(template: string, slots: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, s: string) => slots[s]!);
}

/**
 * The embedded synthetic benchmark (no files; a pure function of the config and its seed). Generative story
 * (README, "The synthetic benchmark"): each domain d has its own objects, place and visual style (A_d, b_d);
 * sound events are shared by all domains, each with one audio prototype (the universal auditory space);
 * a video shows 2 of its domain's objects and 2 events over time; visual frames are A_d (objects + beta
 * event look) + b_d + noise, audio frames are the current event's prototype + noise; captions come from a
 * grammar over what is seen (objects, place), heard (sounds) and both (event verbs).
 *
 * @param config - Fields to change from `DEFAULT_SYNTHETIC`.
 * @returns The dataset, with its generating truth and event prototypes.
 * @throws `TavtError` (from `@tavt/core`) `BAD_CONFIG` for a field out of range.
 */
export function makeSynthetic(config: Partial<SyntheticConfig> = {}): SyntheticDataset {
  const c: SyntheticConfig = { ...DEFAULT_SYNTHETIC, ...config };
  checkConfig(c);
  const root = rng.key(c.seed);
  const k = rng.splitNamed(root, ["objects", "events", "audio", "domains", "videos"]);
  const nObj = DOMAIN_LEXICON.News.objects.length;
  const sizes = syntheticDomainSizes(c.videos);
  // Visual content embeddings: one per object of every domain, one "look" per event; audio prototypes per event.
  const objectEmb = new Map<PaperDomain, Float32Array[]>();
  for (const d of PAPER_DOMAINS) {
    objectEmb.set(
      d,
      Array.from({ length: nObj }, (_, i) => rng.normalArray(rng.foldIn(k.objects, `${d}/${i}`), c.visualDim)),
    );
  }
  const eventVis = Array.from({ length: c.events }, (_, e) => rng.normalArray(rng.foldIn(k.events, e), c.visualDim));
  const prototypes = syntheticEventPrototypes(c);

  const videos: { id: string; domain: PaperDomain; captions: string[] }[] = [];
  const visualEntries: { id: string; data: Float32Array; shape: [number, number] }[] = [];
  const audioEntries: { id: string; data: Float32Array; shape: [number, number] }[] = [];
  const truth: SyntheticTruth[] = [];
  const clipOf = (t: number) => Math.floor((t * c.clips) / c.frames);
  const firstHalf = (t: number) => clipOf(t) < Math.ceil(c.clips / 2);

  for (const d of PAPER_DOMAINS) {
    const dk = rng.foldIn(k.domains, d);
    const style = domainStyle(dk, c, objectEmb.get(d)!, eventVis);
    const favourites = Array.from(rng.permutation(rng.foldIn(dk, "favourites"), c.events).subarray(0, 3));
    const lex = DOMAIN_LEXICON[d];
    for (let i = 0; i < sizes[d]; i++) {
      const id = `${d.toLowerCase()}${String(i).padStart(4, "0")}`;
      const vk = rng.splitNamed(rng.foldIn(rng.foldIn(k.videos, d), i), [
        "pick",
        "weights",
        "vnoise",
        "anoise",
        "gain",
        "captions",
      ]);
      // Objects: 2 distinct of the domain's; events: 2 distinct, each drawn uniformly or (eventSkew) from favourites.
      const u = rng.uniformArray(vk.pick, 6);
      const o1 = Math.floor(u[0]! * nObj);
      const o2 = (o1 + 1 + Math.floor(u[1]! * (nObj - 1))) % nObj;
      const drawEvent = (uSkew: number, uPick: number) =>
        uSkew < c.eventSkew ? favourites[Math.floor(uPick * 3)]! : Math.floor(uPick * c.events);
      const e1 = drawEvent(u[2]!, u[3]!);
      let e2 = drawEvent(u[4]!, u[5]!);
      if (e2 === e1) e2 = (e1 + 1) % c.events;

      // Visual: v_t = w1_t A_d o1 + w2_t A_d o2 + beta A_d ev(e_t) + b_d + noise.
      const dv = c.visualDim;
      const visual = rng.normalArray(vk.vnoise, c.frames * dv);
      const w = rng.normalArray(vk.weights, 2 * c.frames);
      const so1 = style.objects[o1]!;
      const so2 = style.objects[o2]!;
      for (let t = 0; t < c.frames; t++) {
        const w1 = 1 + 0.2 * w[2 * t]!;
        const w2 = 1 + 0.2 * w[2 * t + 1]!;
        const ev = style.events[firstHalf(t) ? e1 : e2]!;
        const row = t * dv;
        for (let j = 0; j < dv; j++) {
          visual[row + j] =
            c.visualNoise * visual[row + j]! +
            w1 * so1[j]! +
            w2 * so2[j]! +
            c.eventVisibility * ev[j]! +
            style.offset[j]!;
        }
      }
      visualEntries.push({ id, data: visual, shape: [c.frames, dv] });

      // Audio: a_t = gain * prototype(e_t) + noise; nothing in it depends on the domain except the (skewed) events.
      if (!c.audioAbsentDomains.includes(d)) {
        const da = c.audioDim;
        const audio = rng.normalArray(vk.anoise, c.frames * da);
        const gain = 0.8 + 0.4 * rng.uniformArray(vk.gain, 1)[0]!;
        for (let t = 0; t < c.frames; t++) {
          const p = (firstHalf(t) ? e1 : e2) * da;
          for (let j = 0; j < da; j++)
            audio[t * da + j] = c.audioNoise * audio[t * da + j]! + gain * prototypes[p + j]!;
        }
        audioEntries.push({ id, data: audio, shape: [c.frames, da] });
      }

      // Captions: distinct templates while there are enough, slots from what is seen and heard.
      const slots = {
        obj1: lex.objects[o1]!,
        obj2: lex.objects[o2]!,
        place: lex.place,
        verb1: SOUND_EVENTS[e1]!.verb,
        verb2: SOUND_EVENTS[e2]!.verb,
        sound1: SOUND_EVENTS[e1]!.sound,
        sound2: SOUND_EVENTS[e2]!.sound,
      };
      const order = rng.permutation(vk.captions, CAPTION_TEMPLATES.length);
      const captions = Array.from({ length: c.captionsPerVideo }, (_, r) =>
        fill(CAPTION_TEMPLATES[order[r % order.length]!]!, slots),
      );
      videos.push({ id, domain: d, captions });
      truth.push({ id, domain: d, objects: [o1, o2], events: [e1, e2] });
    }
  }
  const split = splitByDomainRandom(videos, { seed: c.seed, trainFraction: c.trainFraction });
  const records: VideoRecord[] = videos.map((v) => ({ ...v, split: split.get(v.id)! }));
  const name = `synthetic(seed=${c.seed})`;
  return new SyntheticDataset(
    {
      name: "synthetic",
      videos: records,
      sourceDomains: SOURCE_DOMAINS,
      targetDomains: TARGET_DOMAINS,
      visual: new MemoryStore(`${name}/visual`, visualEntries),
      audio: audioEntries.length > 0 ? new MemoryStore(`${name}/audio`, audioEntries) : null,
      audioAbsentDomains: c.audioAbsentDomains,
    },
    c,
    truth,
    prototypes,
  );
}
