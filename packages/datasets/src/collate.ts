import { type Key, rng, TavtError, tf } from "@tavt/core";
import type { Sample } from "./types";
import { BOS_ID, EOS_ID, PAD_ID, type Vocabulary } from "./vocabulary";

/** Contract 1 of the team brief: one collated batch of captioned videos (@tavt/model consumes it). */
export interface CaptionBatch {
  /** Video ids. */
  ids: string[];
  domains: string[];
  /** [B, Tv, dv] float32, zero padded. */
  visual: tf.Tensor3D;
  /** [B, Tv], 1 = real frame. */
  visualMask: tf.Tensor2D;
  /** [B, Ta, da], or null when the data has no audio. */
  audio: tf.Tensor3D | null;
  /** [B, Ta], or null with `audio`. */
  audioMask: tf.Tensor2D | null;
  /** [B, L] int32: `<bos>` w1 .. wn `<eos>` then `<pad>`; one reference caption per video. */
  tokens: tf.Tensor2D;
  /** All reference captions per video (for metrics). */
  references: string[][];
}

/** Options of `collate`: the caption length, which reference each video trains on, frame limits. */
export interface CollateOptions {
  /** Longest token row, `<bos>` and `<eos>` included (default 30); longer captions are cut before `<eos>`. */
  maxLen?: number;
  /** Pad every token row to exactly `maxLen` instead of to the batch's longest caption (default false). */
  padToMaxLen?: boolean;
  /** Which reference becomes `tokens`: drawn per video with this key (training), else `captionIndex`. */
  key?: Key;
  /** Reference index used without a key (modulo the video's count; default 0). */
  captionIndex?: number;
  /** Pad or cut visual and audio to exactly this many frames (default: the batch's longest). */
  frames?: number;
  /** Collate without audio even where samples have it (the "w/o audio" ablation). */
  dropAudio?: boolean;
}

function stack(
  samples: readonly Sample[],
  get: (s: Sample) => { data: Float32Array; shape: [number, number] },
  what: string,
  frames?: number,
): { x: tf.Tensor3D; mask: tf.Tensor2D } {
  const b = samples.length;
  const first = get(samples[0]!);
  const dim = first.shape[1];
  const t = frames ?? Math.max(...samples.map((s) => get(s).shape[0]));
  const x = new Float32Array(b * t * dim);
  const mask = new Float32Array(b * t);
  samples.forEach((s, i) => {
    const { data, shape } = get(s);
    if (shape[1] !== dim) {
      throw new TavtError(
        "SHAPE_MISMATCH",
        `collate: video "${s.id}" has ${what} dim ${shape[1]}, but video "${samples[0]!.id}" has ${dim}`,
        { id: s.id },
      );
    }
    const n = Math.min(shape[0], t);
    x.set(data.subarray(0, n * dim), i * t * dim);
    mask.fill(1, i * t, i * t + n);
  });
  return { x: tf.tensor3d(x, [b, t, dim]), mask: tf.tensor2d(mask, [b, t]) };
}

/**
 * Collate samples into a `CaptionBatch`: features zero-padded to the longest video with [B, T] masks, one
 * reference caption per video encoded as `<bos>` w1..wn `<eos>` `<pad>`..., and all references kept for metrics.
 * Audio is null when no sample has any; a batch mixing videos with and without audio is refused.
 *
 * @param samples - The videos of the batch.
 * @param vocab - The vocabulary that encodes the captions.
 * @param options - `maxLen` (tokens, default 30), `key` (which reference caption each video trains on).
 * @returns Tensors the caller disposes (`disposeBatch`).
 * @throws `TavtError` (from `@tavt/core`) `BAD_INPUT` for no samples or mixed audio, `BAD_CONFIG` for a bad `maxLen`.
 */
export function collate(samples: readonly Sample[], vocab: Vocabulary, options: CollateOptions = {}): CaptionBatch {
  if (samples.length === 0) throw new TavtError("BAD_INPUT", "collate: no samples");
  const maxLen = options.maxLen ?? 30;
  if (!Number.isInteger(maxLen) || maxLen < 3) {
    throw new TavtError("BAD_CONFIG", `collate: maxLen must be an integer >= 3, got ${maxLen}`, { field: "maxLen" });
  }
  for (const s of samples) {
    if (s.captions.length === 0)
      throw new TavtError("BAD_INPUT", `collate: video "${s.id}" has no captions`, { id: s.id });
  }
  const withAudio = samples.filter((s) => s.audio !== null);
  if (!options.dropAudio && withAudio.length > 0 && withAudio.length < samples.length) {
    const none = samples.find((s) => s.audio === null)!;
    throw new TavtError(
      "BAD_INPUT",
      `collate: video "${none.id}" has no audio but video "${withAudio[0]!.id}" has; batch audio-absent videos apart`,
      { id: none.id },
    );
  }
  const picks = options.key
    ? Array.from(rng.uniformArray(options.key, samples.length), (u, i) => Math.floor(u * samples[i]!.captions.length))
    : samples.map((s) => (options.captionIndex ?? 0) % s.captions.length);
  const encoded = samples.map((s, i) => vocab.encode(s.captions[picks[i]!]!).slice(0, maxLen - 2));
  const len = options.padToMaxLen ? maxLen : Math.max(...encoded.map((e) => e.length + 2));
  const tokens = new Int32Array(samples.length * len).fill(PAD_ID);
  encoded.forEach((e, i) => {
    tokens[i * len] = BOS_ID;
    tokens.set(e, i * len + 1);
    tokens[i * len + 1 + e.length] = EOS_ID;
  });
  const visual = stack(samples, (s) => ({ data: s.visual, shape: s.visualShape }), "visual", options.frames);
  const audio =
    options.dropAudio || withAudio.length === 0
      ? null
      : stack(samples, (s) => ({ data: s.audio!, shape: s.audioShape! }), "audio", options.frames);
  return {
    ids: samples.map((s) => s.id),
    domains: samples.map((s) => s.domain),
    visual: visual.x,
    visualMask: visual.mask,
    audio: audio?.x ?? null,
    audioMask: audio?.mask ?? null,
    tokens: tf.tensor2d(tokens, [samples.length, len], "int32"),
    references: samples.map((s) => [...s.captions]),
  };
}

/**
 * Dispose the tensors of a batch.
 *
 * @param batch - The batch whose visual, audio, masks and tokens are disposed.
 */
export function disposeBatch(batch: CaptionBatch): void {
  for (const t of [batch.visual, batch.visualMask, batch.audio, batch.audioMask, batch.tokens]) t?.dispose();
}
