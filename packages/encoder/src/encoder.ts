import {
  type ApplyContext,
  applyLinear,
  assertRank,
  assertShape,
  dropout,
  initLinear,
  type Key,
  type LinearParams,
  rng,
  sinusoidalPositions,
  TavtError,
  tf,
} from "@tavt/core";
import { type EncoderConfig, type ResolvedEncoderConfig, resolveEncoderConfig } from "./config";
import {
  applyCrossStack,
  applySelfStack,
  type CrossStackParams,
  initCrossStack,
  initSelfStack,
  type SelfStackParams,
} from "./stacks";

/**
 * Encoder parameters. `audioProj`, `selfA`, `crossAv` and `crossVa` exist unless the config is `visualOnly`.
 * Names: visualProj, audioProj (linear, [d, dv] / [d, da]); selfV, selfA (eq. 12-13); crossAv, crossVa (eq. 16-17).
 */
export interface EncoderParams {
  [name: string]: LinearParams | SelfStackParams | CrossStackParams;
  visualProj: LinearParams;
  selfV: SelfStackParams;
}

/** The encoder's inputs: frames V, the visual prefix p, the audio (or A_rec, A+, A-) and their masks. */
export interface EncoderInputs {
  visual: tf.Tensor; // [B, Tv, dv]
  visualMask: tf.Tensor; // [B, Tv], 1 = real frame
  /** The visual prefix p [B, l, d] from @tavt/avmm; absent = no prefix (V' = V, the w/o AVMM ablation). */
  prefix?: tf.Tensor | null;
  prefixMask?: tf.Tensor | null; // [B, l]; default all ones
  /** Audio A [B, Ta, da] (real audio, or A_rec / A+ / A- [B, l, da]); absent = the visual-only mode. */
  audio?: tf.Tensor | null;
  audioMask?: tf.Tensor | null; // [B, Ta]; default all ones
  /**
   * The visual stream already computed by `applyVisualStream` from these params, visual inputs, config and context:
   * it does not depend on the audio, so passes that differ only in their audio (DCCL's (V, A), (V, A+), (V, A-))
   * compute it once. Absent: computed here.
   */
  visualStream?: VisualStream | null;
}

/** f'_v [B, l+Tv, d] (eq. 12, the self-attended V' = [p; V]) and its mask [B, l+Tv]. */
export interface VisualStream {
  fV: tf.Tensor3D;
  vMask: tf.Tensor2D;
}

/** The encoder's outputs x_av and x_va (eq. 16-17) with their masks. */
export interface EncoderOutput {
  /**
   * x_av [B, l+Tv, d] (eq. 16), queried by the visual positions of V' = [p; V]. In the visual-only mode (no audio)
   * it is f'_v, the self-attended V' (eq. 12), so a single-stream decoder reads it unchanged.
   */
  xAv: tf.Tensor3D;
  /** x_va [B, Ta, d] (eq. 17), queried by the audio positions; null in the visual-only mode. */
  xVa: tf.Tensor3D | null;
  /** `[B, l+Tv]`: `[prefixMask, visualMask]`. */
  avMask: tf.Tensor2D;
  /** `[B, Ta]`: audioMask; null in the visual-only mode. */
  vaMask: tf.Tensor2D | null;
}

/**
 * Initial encoder parameters: projections, self-attention stacks and cross-attention stacks.
 *
 * @param key - The random key.
 * @param config - The encoder's sizes (defaults filled in by `resolveEncoderConfig`).
 * @returns `visualProj` and `selfV`, and unless `visualOnly` also `audioProj`, `selfA`, `crossAv` and `crossVa`.
 * @throws `TavtError` (from `@tavt/core`) `BAD_CONFIG` for an invalid configuration.
 */
export function initEncoder(key: Key, config: EncoderConfig): EncoderParams {
  const c = resolveEncoderConfig(config);
  const k = rng.splitNamed(key, ["visualProj", "audioProj", "selfV", "selfA", "crossAv", "crossVa"]);
  const s = { dim: c.dim, heads: c.heads, ffn: c.ffn, dropout: c.dropout };
  const params: EncoderParams = {
    visualProj: initLinear(k.visualProj, { inDim: c.visualDim, outDim: c.dim }),
    selfV: initSelfStack(k.selfV, c.blocks, s),
  };
  if (!c.visualOnly) {
    params.audioProj = initLinear(k.audioProj, { inDim: c.audioDim, outDim: c.dim });
    params.selfA = initSelfStack(k.selfA, c.blocks, s);
    params.crossAv = initCrossStack(k.crossAv, c.crossBlocks, s);
    params.crossVa = initCrossStack(k.crossVa, c.crossBlocks, s);
  }
  return params;
}

/**
 * The audio-visual encoder (section 3.2 eq. 3; appendix A eq. 12-17):
 *   V' = [p; W_v V] + PE,  A' = W_a A + PE            (prefix prepended after projecting V from dv to d)
 *   f'_v = SelfAtt(V'), f'_a = SelfAtt(A')            (eq. 12-13; N pre-LN blocks and a final LN each)
 *   x_av = CrossAtt(f'_v, f'_a, f'_a), x_va = CrossAtt(f'_a, f'_v, f'_v)   (eq. 16-17)
 * with padding masks on every key. Without audio (or with a `visualOnly` config) it returns x_av = f'_v, x_va null.
 *
 * @param params - From {@link initEncoder}.
 * @param inputs - V with its mask, the prefix p, and the audio (A, A_rec, A+ or A-) with its mask, or none.
 * @param config - The sizes the parameters were made with.
 * @param ctx - Training mode and dropout key.
 * @returns x_av and x_va with their masks (x_va null without audio).
 */
export function applyEncoder(
  params: EncoderParams,
  inputs: EncoderInputs,
  config: EncoderConfig,
  ctx: ApplyContext = {},
): EncoderOutput {
  const fn = "encoder.applyEncoder";
  const c = resolveEncoderConfig(config);
  const { visual, visualMask } = inputs;
  const prefix = inputs.prefix ?? null;
  const audio = c.visualOnly ? null : (inputs.audio ?? null);
  const [b, tv] = checkVisualInputs(fn, inputs, c);
  if (audio) {
    if (!params.audioProj) {
      throw new TavtError("BAD_INPUT", `${fn}: audio given, but the parameters have no audio stream (visualOnly)`, {
        field: "audio",
      });
    }
    assertShape(fn, "audio", audio, [b, null, c.audioDim]);
    if (inputs.audioMask) assertShape(fn, "audioMask", inputs.audioMask, [b, audio.shape[1]!]);
  }
  const sub = (name: string): ApplyContext => (ctx.key ? { ...ctx, key: rng.foldIn(ctx.key, name) } : ctx);
  const s = { dim: c.dim, heads: c.heads, ffn: c.ffn, dropout: c.dropout };
  const given = inputs.visualStream ?? null;
  if (given) {
    const lp = prefix ? prefix.shape[1]! : 0;
    assertShape(fn, "visualStream.fV", given.fV, [b, lp + tv, c.dim]);
    assertShape(fn, "visualStream.vMask", given.vMask, [b, lp + tv]);
  }
  const r = tf.tidy((): Record<string, tf.Tensor> => {
    const { fV, vMask } = given ?? visualStream(params, visual, visualMask, prefix, inputs.prefixMask ?? null, c, ctx);
    if (!audio) {
      return { xAv: fV, avMask: vMask };
    }
    const ta = audio.shape[1]!;
    const aMask = inputs.audioMask ? inputs.audioMask.toFloat() : tf.ones([b, ta]); // [B, Ta]
    let a = applyLinear(params.audioProj as LinearParams, audio); // [B, Ta, d]
    a = dropout(a.add(sinusoidalPositions(ta, c.dim).expandDims(0)), c.dropout, sub("inA")); // [B, Ta, d]
    const fA = applySelfStack(params.selfA as SelfStackParams, a, aMask, s, sub("selfA")); // f'_a [B, Ta, d]
    const xAv = applyCrossStack(params.crossAv as CrossStackParams, fV, fA, aMask, s, sub("crossAv")); // [B, l+Tv, d]
    const xVa = applyCrossStack(params.crossVa as CrossStackParams, fA, fV, vMask, s, sub("crossVa")); // [B, Ta, d]
    return { xAv, xVa, avMask: vMask, vaMask: aMask };
  });
  return {
    xAv: r.xAv as tf.Tensor3D,
    xVa: (r.xVa ?? null) as tf.Tensor3D | null,
    avMask: r.avMask as tf.Tensor2D,
    vaMask: (r.vaMask ?? null) as tf.Tensor2D | null,
  };
}

/** The shape checks of the visual inputs (V [B, Tv, dv], its mask, the prefix p [B, l, d]); returns [B, Tv]. */
function checkVisualInputs(
  fn: string,
  inputs: Pick<EncoderInputs, "visual" | "visualMask" | "prefix" | "prefixMask">,
  c: ResolvedEncoderConfig,
): [number, number] {
  assertRank(fn, "visual", inputs.visual, 3);
  const [b, tv] = inputs.visual.shape as [number, number, number];
  assertShape(fn, "visual", inputs.visual, [b, tv, c.visualDim]);
  assertShape(fn, "visualMask", inputs.visualMask, [b, tv]);
  const prefix = inputs.prefix ?? null;
  if (prefix) {
    assertShape(fn, "prefix", prefix, [b, null, c.dim]);
    if (inputs.prefixMask) assertShape(fn, "prefixMask", inputs.prefixMask, [b, prefix.shape[1]!]);
  }
  return [b, tv];
}

/** Eq. 12 for the visual side: V' = [p; V] projected, with positions and dropout, through the self-attention stack. */
function visualStream(
  params: EncoderParams,
  visual: tf.Tensor,
  visualMask: tf.Tensor,
  prefix: tf.Tensor | null,
  prefixMask: tf.Tensor | null,
  c: ResolvedEncoderConfig,
  ctx: ApplyContext,
): VisualStream {
  const sub = (name: string): ApplyContext => (ctx.key ? { ...ctx, key: rng.foldIn(ctx.key, name) } : ctx);
  const s = { dim: c.dim, heads: c.heads, ffn: c.ffn, dropout: c.dropout };
  return tf.tidy(() => {
    const b = visual.shape[0]!;
    let v = applyLinear(params.visualProj, visual); // [B, Tv, d]
    let vMask = visualMask.toFloat(); // [B, Tv]
    if (prefix) {
      const l = prefix.shape[1]!;
      v = tf.concat([prefix, v], 1); // V' [B, l+Tv, d]
      vMask = tf.concat([prefixMask ? prefixMask.toFloat() : tf.ones([b, l]), vMask], 1); // [B, l+Tv]
    }
    const tvp = v.shape[1]!;
    v = dropout(v.add(sinusoidalPositions(tvp, c.dim).expandDims(0)), c.dropout, sub("inV")); // [B, l+Tv, d]
    const fV = applySelfStack(params.selfV as SelfStackParams, v, vMask, s, sub("selfV")); // f'_v [B, l+Tv, d]
    return { fV: fV as tf.Tensor3D, vMask: vMask as tf.Tensor2D };
  });
}

/**
 * The encoder's visual stream alone (eq. 12 for V' = [p; V]): what `applyEncoder` computes before it reads the audio.
 * Give the result to `applyEncoder` as `inputs.visualStream` (with the same params, visual inputs and context) to
 * encode several audios against one video without computing it again.
 *
 * @param params - The parameters from `initEncoder`.
 * @param inputs - `visual` `[B, Tv, dv]`, `visualMask` `[B, Tv]`, and optionally `prefix` `[B, l, d]` and
 *   `prefixMask` `[B, l]`.
 * @param config - The configuration the parameters were made with.
 * @param ctx - Training flag and dropout key (must match the `applyEncoder` call it is given to).
 * @returns f'_v `[B, l+Tv, d]` and its mask `[B, l+Tv]`.
 * @throws `TavtError` (from `@tavt/core`) `BAD_CONFIG` for an invalid configuration, `SHAPE_MISMATCH` for visual
 *   inputs that do not fit it.
 */
export function applyVisualStream(
  params: EncoderParams,
  inputs: Omit<EncoderInputs, "audio" | "audioMask" | "visualStream">,
  config: EncoderConfig,
  ctx: ApplyContext = {},
): VisualStream {
  const c = resolveEncoderConfig(config);
  checkVisualInputs("encoder.applyVisualStream", inputs, c);
  return visualStream(
    params,
    inputs.visual,
    inputs.visualMask,
    inputs.prefix ?? null,
    inputs.prefixMask ?? null,
    c,
    ctx,
  );
}

/**
 * The decoder's memory (@tavt/decoder `DecoderMemory`) from the encoder output: `{xAv, xAvMask, xVa, xVaMask}`.
 *
 * @param out - The encoder's output.
 * @returns `xAv` with `xAvMask` (`avMask`), and `xVa` with `xVaMask` (`vaMask`; both null in the visual-only mode).
 */
export function toDecoderMemory(out: EncoderOutput): {
  xAv: tf.Tensor;
  xAvMask: tf.Tensor;
  xVa: tf.Tensor | null;
  xVaMask: tf.Tensor | null;
} {
  return { xAv: out.xAv, xAvMask: out.avMask, xVa: out.xVa, xVaMask: out.vaMask };
}

/** The encoder as an `{ init, apply, visualStream }` triple. */
export const encoder = { init: initEncoder, apply: applyEncoder, visualStream: applyVisualStream };
