import { TavtError } from "@tavt/core";
import type { FeatureStore } from "./stores/store";
import type { DomainRole, Sample, SplitName, VideoRecord } from "./types";

/** What a caption dataset is made from: its name, domains, videos and feature stores. */
export interface CaptionDatasetInit {
  name: string;
  videos: readonly VideoRecord[];
  /** Meta-train domains (section 3.2 and appendix D.1); default none. */
  sourceDomains?: readonly string[];
  /** Meta-test domains; default every domain that is not a source. */
  targetDomains?: readonly string[];
  /** Visual features per id; null for an annotation-only dataset (then `sample` throws). */
  visual: FeatureStore | null;
  /** Audio features per id; null when the data has no audio (MSVD). */
  audio: FeatureStore | null;
  /** Domains whose videos have no audio even though the dataset has an audio store (the audio-absent target). */
  audioAbsentDomains?: readonly string[];
}

/**
 * Videos with captions, domains and per-domain train/test splits, and lazy access to their features. Split by
 * domain into meta-train (source) and meta-test (target) domains as in section 3.2 and appendix D.1.
 */
export class CaptionDataset {
  readonly name: string;
  readonly videos: readonly VideoRecord[];
  /** Every domain, in first-seen order. */
  readonly domains: readonly string[];
  readonly sourceDomains: readonly string[];
  readonly targetDomains: readonly string[];
  readonly visual: FeatureStore | null;
  readonly audio: FeatureStore | null;
  readonly audioAbsentDomains: ReadonlySet<string>;
  private readonly byId: Map<string, VideoRecord>;
  private dims: { visual?: { dim: number; id: string }; audio?: { dim: number; id: string } } = {};

  /**
   * A dataset from its videos, its source and target domains and its feature stores.
   *
   * @param init - The name, the videos, `sourceDomains`, `targetDomains` (every other domain by default), the `visual`
   *   and `audio` stores, and `audioAbsentDomains`.
   * @throws `TavtError` (from `@tavt/core`) `BAD_INPUT` for a video id listed twice, `BAD_CONFIG` for a source or target
   *   domain that has no videos.
   */
  constructor(init: CaptionDatasetInit) {
    this.name = init.name;
    this.videos = init.videos;
    this.byId = new Map();
    const domains: string[] = [];
    for (const v of init.videos) {
      if (this.byId.has(v.id)) {
        throw new TavtError("BAD_INPUT", `dataset "${init.name}": video "${v.id}" appears twice`, { id: v.id });
      }
      this.byId.set(v.id, v);
      if (!domains.includes(v.domain)) domains.push(v.domain);
    }
    this.domains = domains;
    const known = (list: readonly string[], field: string) => {
      for (const d of list) {
        if (!domains.includes(d)) {
          throw new TavtError(
            "BAD_CONFIG",
            `dataset "${init.name}": ${field} names domain "${d}", which has no videos (domains: ${domains.join(", ")})`,
            { field, domain: d },
          );
        }
      }
      return list;
    };
    this.sourceDomains = known(init.sourceDomains ?? [], "sourceDomains");
    this.targetDomains = known(
      init.targetDomains ?? domains.filter((d) => !this.sourceDomains.includes(d)),
      "targetDomains",
    );
    this.visual = init.visual;
    this.audio = init.audio;
    this.audioAbsentDomains = new Set(init.audioAbsentDomains ?? []);
  }

  /** Whether any video has audio. */
  get hasAudio(): boolean {
    return this.audio !== null && this.domains.some((d) => !this.audioAbsentDomains.has(d));
  }

  /**
   * A domain's role: "source" (meta-train) or "target" (meta-test).
   *
   * @param domain - A domain's name.
   * @returns "source" for a source domain, else "target".
   */
  role(domain: string): DomainRole {
    return this.sourceDomains.includes(domain) ? "source" : "target";
  }

  /**
   * The record of one video.
   *
   * @param id - The video's id.
   * @returns Its id, domain, split and captions.
   * @throws `TavtError` (from `@tavt/core`) `NOT_FOUND` for an unknown id.
   */
  video(id: string): VideoRecord {
    const v = this.byId.get(id);
    if (!v) throw new TavtError("NOT_FOUND", `dataset "${this.name}": no video "${id}"`, { id });
    return v;
  }

  /**
   * Video records of one domain (optionally one split of it), in dataset order.
   *
   * @param domain - A domain's name.
   * @param split - "train" or "test" (both when omitted).
   * @returns The matching records.
   */
  domainVideos(domain: string, split?: SplitName): VideoRecord[] {
    return this.videos.filter((v) => v.domain === domain && (split === undefined || v.split === split));
  }

  /**
   * Ids of the videos matching a filter (every argument optional).
   *
   * @param filter - `domains` and `split` (every video when omitted).
   * @returns The matching ids, in dataset order.
   */
  ids(filter: { domains?: readonly string[]; split?: SplitName } = {}): string[] {
    return this.videos
      .filter(
        (v) => (!filter.domains || filter.domains.includes(v.domain)) && (!filter.split || v.split === filter.split),
      )
      .map((v) => v.id);
  }

  private checkDim(kind: "visual" | "audio", store: FeatureStore, id: string, shape: [number, number]): void {
    const seen = this.dims[kind];
    if (!seen) {
      this.dims[kind] = { dim: shape[1], id };
    } else if (seen.dim !== shape[1]) {
      throw new TavtError(
        "SHAPE_MISMATCH",
        `${store.path}: video "${id}" has ${kind} features of dim ${shape[1]}, but video "${seen.id}" has ${seen.dim}`,
        { file: store.path, id, expected: seen.dim, got: shape[1] },
      );
    }
  }

  /**
   * One video with its features read from the stores (lazy: only this video is read).
   *
   * @param id - The video's id.
   * @returns Its features (row-major, with shapes; audio null where its domain is audio-absent) and captions.
   * @throws `TavtError` (from `@tavt/core`) `NOT_FOUND` for an unknown id, `BAD_INPUT` without a visual store,
   *   `SHAPE_MISMATCH` for features whose dim differs from earlier videos'.
   */
  sample(id: string): Sample {
    const v = this.video(id);
    if (!this.visual) {
      throw new TavtError("BAD_INPUT", `dataset "${this.name}" has no visual features (give a feature store)`, { id });
    }
    const visualShape = this.visual.shape(id);
    this.checkDim("visual", this.visual, id, visualShape);
    const visual = this.visual.read(id);
    let audio: Float32Array | null = null;
    let audioShape: [number, number] | null = null;
    if (this.audio && !this.audioAbsentDomains.has(v.domain)) {
      audioShape = this.audio.shape(id);
      this.checkDim("audio", this.audio, id, audioShape);
      audio = this.audio.read(id);
    }
    return { id, domain: v.domain, visual, visualShape, audio, audioShape, captions: v.captions };
  }

  /**
   * `sample` of each id, in order.
   *
   * @param ids - The videos' ids.
   * @returns Their samples.
   * @throws `TavtError` (from `@tavt/core`) as `sample`.
   */
  samples(ids: readonly string[]): Sample[] {
    return ids.map((id) => this.sample(id));
  }

  /**
   * Check that every video has features of consistent dims, reading headers only; throws naming the file and
   * the first video that fails. Returns the dims found.
   *
   * @returns The visual and audio dims (null where there are none).
   * @throws `TavtError` (from `@tavt/core`) `SHAPE_MISMATCH` for dims that differ, and the stores' `NOT_FOUND` or
   *   `BAD_FILE`.
   */
  validate(): { visualDim: number | null; audioDim: number | null } {
    for (const v of this.videos) {
      if (this.visual) this.checkDim("visual", this.visual, v.id, this.visual.shape(v.id));
      if (this.audio && !this.audioAbsentDomains.has(v.domain)) {
        this.checkDim("audio", this.audio, v.id, this.audio.shape(v.id));
      }
    }
    return { visualDim: this.dims.visual?.dim ?? null, audioDim: this.dims.audio?.dim ?? null };
  }

  close(): void {
    this.visual?.close();
    this.audio?.close();
  }
}
