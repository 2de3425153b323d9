/** One captioned video with its features in memory (what a batch is collated from). */
export interface Sample {
  id: string;
  domain: string;
  /** Visual frame features, row-major `[frames, dv]`. */
  visual: Float32Array;
  visualShape: [number, number];
  /** Audio frame features, row-major `[framesA, da]`, or null when the video has no audio (MSVD). */
  audio: Float32Array | null;
  audioShape: [number, number] | null;
  /** All reference captions (raw text). */
  captions: string[];
}

/** Which side of section 3.2 and appendix D.1 a domain is on: meta-train (source) or meta-test (target). */
export type DomainRole = "source" | "target";

/** A per-domain train/test split: meta-train uses the train part; meta-test adapts on train and evaluates on test. */
export type SplitName = "train" | "test";

/** One video's annotations (no features): what loaders read and splits operate on. */
export interface VideoRecord {
  id: string;
  domain: string;
  captions: string[];
  /** This video's part of its domain's train/test split. */
  split: SplitName;
}
