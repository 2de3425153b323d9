import {
  type ApplyContext,
  assertRank,
  assertShape,
  type Key,
  type LinearParams,
  mapTree,
  rng,
  stopGradient,
  TavtError,
  tf,
} from "@tavt/core";
import { clipPool } from "./clipPool";
import { type AvmmConfig, resolveAvmmConfig } from "./config";
import { lossRec } from "./lossRec";
import { applyMapper, initMapper, type MapperParams } from "./mapper";
import { applyReconstructor, initReconstructor } from "./reconstructor";

/** AVMM parameters: the mapper SA (eq. 1) and the reconstructor's phi (eq. 2). The bank M is not a parameter. */
export interface AvmmParams {
  [name: string]: MapperParams | LinearParams;
  mapper: MapperParams;
  phi: LinearParams;
}

/** What `applyAvmm` takes: the frames V with their mask, the bank M, and optionally the audio A with its mask. */
export interface AvmmInputs {
  visual: tf.Tensor; // [B, Tv, dv]
  visualMask: tf.Tensor; // [B, Tv]
  /** The universal auditory space M [K, da] (from @tavt/clusters), held constant. */
  bank: tf.Tensor;
  /** Real audio A [B, Ta, da]; null/absent for audio-absent data. */
  audio?: tf.Tensor | null;
  audioMask?: tf.Tensor | null; // [B, Ta]
}

/** Run-time options of `applyAvmm`. */
export interface AvmmOptions {
  /**
   * Frozen AVMM (Algorithm 1, line 16; section 3.4): no gradient flows into the AVMM parameters (they stay in the
   * graph with zero gradient). Default false.
   */
  freeze?: boolean;
  /**
   * Which audio the encoder gets (`encoderAudio`): "auto" (default) the real audio when given, else A_rec;
   * "reconstructed" always A_rec (the audio-absent mode: A_rec in place of audio); "real" the real audio (throws
   * when absent).
   */
  audioSource?: "auto" | "reconstructed" | "real";
}

/** What `applyAvmm` returns: the visual prefix p, the reconstruction weights w, A_rec, the audio the encoder gets, and L_rec when there is real audio. */
export interface AvmmOutput {
  /** The visual prefix p [B, l, d] (eq. 1). */
  prefix: tf.Tensor3D;
  /** `[B, l]`: 1 where the clip has a real visual frame. */
  prefixMask: tf.Tensor2D;
  /** A_rec [B, l, da] (eq. 2). */
  aRec: tf.Tensor3D;
  /** w [B, l, K] (eq. 2), rows sum to 1: what DCCL inverts to build A-. */
  weights: tf.Tensor3D;
  /** The visual clips c [B, l, dv] (eq. 1). */
  clips: tf.Tensor3D;
  /** The audio the encoder takes: real A [B, Ta, da], or A_rec [B, l, da] per `audioSource`. */
  encoderAudio: tf.Tensor3D;
  /** Its mask: audioMask [B, Ta], or prefixMask [B, l] for A_rec. */
  encoderAudioMask: tf.Tensor2D;
  /** The real audio pooled like the frames [B, l, da] (only with real audio). */
  audioClips?: tf.Tensor3D;
  /** `[B, l]`: clips real in both streams (only with real audio). */
  audioClipMask?: tf.Tensor2D;
  /** L_rec (only with real audio). */
  lossRec?: tf.Scalar;
}

/**
 * Initial AVMM parameters (the mapper and phi) for a configuration.
 *
 * @param key - The random key (split into the mapper's and phi's).
 * @param config - The AVMM's sizes (defaults filled in by `resolveAvmmConfig`).
 * @returns The mapper SA and the reconstructor phi (`[clusters, dim]` weight).
 * @throws `TavtError` (from `@tavt/core`) `BAD_CONFIG` for an invalid configuration, naming the field.
 */
export function initAvmm(key: Key, config: AvmmConfig): AvmmParams {
  const c = resolveAvmmConfig(config);
  const k = rng.splitNamed(key, ["mapper", "phi"]);
  return { mapper: initMapper(k.mapper, c), phi: initReconstructor(k.phi, c.dim, c.clusters) };
}

/**
 * The Audio-Visual Meta-Mapper (section 3.2, eq. 1-2): visual frames -> clips c (eq. 1) -> prefix p = SA(c)
 * (eq. 1) -> w = softmax(phi(p)), A_rec = w M (eq. 2); with real audio also the audio clips and L_rec.
 *
 * @param params - From {@link initAvmm}.
 * @param inputs - V `[B, Tv, dv]` with its mask, the bank M `[K, da]`, and optionally A `[B, Ta, da]` with its mask.
 * @param config - The sizes the parameters were made with.
 * @param ctx - Training mode and dropout key.
 * @param options - `freeze`: no gradient into the AVMM (an audio-absent target).
 * @returns The prefix p, the weights w, A_rec, the encoder's audio, and L_rec when the batch has real audio.
 * @throws `TavtError` (from `@tavt/core`) `SHAPE_MISMATCH` or `BAD_INPUT` for inputs that do not fit.
 */
export function applyAvmm(
  params: AvmmParams,
  inputs: AvmmInputs,
  config: AvmmConfig,
  ctx: ApplyContext = {},
  options: AvmmOptions = {},
): AvmmOutput {
  const fn = "avmm.applyAvmm";
  const c = resolveAvmmConfig(config);
  const { visual, visualMask, bank } = inputs;
  const audio = inputs.audio ?? null;
  assertShape(fn, "visual", visual, [null, null, c.visualDim]);
  const b = visual.shape[0]!;
  assertShape(fn, "visualMask", visualMask, [b, visual.shape[1]!]);
  assertShape(fn, "bank (cluster centres M)", bank, [c.clusters, c.audioDim]);
  if (audio) {
    assertRank(fn, "audio", audio, 3);
    assertShape(fn, "audio", audio, [b, null, c.audioDim]);
    if (!inputs.audioMask) {
      throw new TavtError("BAD_INPUT", `${fn}: audioMask [B, Ta] is required with audio`, { field: "audioMask" });
    }
    assertShape(fn, "audioMask", inputs.audioMask, [b, audio.shape[1]!]);
  }
  const source = options.audioSource ?? "auto";
  if (source === "real" && !audio) {
    throw new TavtError("BAD_INPUT", `${fn}: audioSource "real" needs audio, but none was given`, {
      field: "audioSource",
    });
  }
  return tf.tidy(() => {
    const p = options.freeze ? (mapTree(params, stopGradient) as AvmmParams) : params;
    const pool = { clipLength: c.clipLength, clips: c.clips };
    const { clips, clipMask } = clipPool(visual, visualMask, pool); // [B, l, dv], [B, l]
    const prefix = applyMapper(p.mapper, clips, clipMask, c, ctx); // [B, l, d]
    const { aRec, weights } = applyReconstructor(p.phi, prefix, bank); // [B, l, da], [B, l, K]
    const useRec = source === "reconstructed" || !audio;
    const out: AvmmOutput = {
      prefix,
      prefixMask: clipMask,
      aRec,
      weights,
      clips,
      encoderAudio: (useRec ? aRec : audio.toFloat()) as tf.Tensor3D,
      encoderAudioMask: (useRec ? clipMask : inputs.audioMask!.toFloat()) as tf.Tensor2D,
    };
    if (audio) {
      const a = clipPool(audio, inputs.audioMask!, pool); // [B, l, da], [B, l]
      const both = a.clipMask.mul(clipMask) as tf.Tensor2D; // [B, l]
      out.audioClips = a.clips;
      out.audioClipMask = both;
      out.lossRec = lossRec(aRec, a.clips, both);
    }
    return out as unknown as tf.TensorContainer;
  }) as unknown as AvmmOutput;
}

/** The AVMM as an `{ init, apply }` pair. */
export const avmm = { init: initAvmm, apply: applyAvmm };
