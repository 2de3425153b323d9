/**
 * TAVT, the whole captioner f_theta of the paper, top to bottom (sections 3.2-3.4):
 *
 *   visual V [B, Tv, dv] --AVMM (eq. 1-2)--> prefix p [B, l, d], A_rec [B, l, da], weights w [B, l, K]
 *   A+ = A_rec, A- = counterfactual(w, M)                                            (section 3.3)
 *   encoder (eq. 3, 12-17) + gated decoder (eq. 4-5) on (V, A), (V, A+), (V, A-)
 *   L = L_cap (eq. 9, weighted by W_ma of eq. 8) + L_rec + lambda L_dis (eq. 6) + mu L_dep (eq. 7)   (eq. 10)
 *
 * Parameters live in one tree with the branches "avmm", "encoder", "decoder" (dotted names "avmm.mapper...", ...).
 * The cluster bank M [K, da] is a constant input, never a parameter.
 */
import { type AvmmConfig, type AvmmOutput, type AvmmParams, applyAvmm, initAvmm } from "@tavt/avmm";
import { type ApplyContext, type Key, type ParamTree, rng, TavtError, tf } from "@tavt/core";
import { counterfactualAudio, lossDep, lossDis, modalityAwareWeights, psi, tokenScores } from "@tavt/dccl";
import {
  applyDecoder,
  applyDecoderGates,
  applyDecoderPrefix,
  beamSearch,
  captionCrossEntropy,
  type DecodedCaption,
  type DecoderBlockPrefix,
  type DecoderConfig,
  type DecoderMemory,
  type DecoderOutput,
  type DecoderParams,
  greedySearch,
  initDecoder,
  shiftTokens,
} from "@tavt/decoder";
import {
  applyEncoder,
  applyVisualStream,
  type EncoderConfig,
  type EncoderParams,
  initEncoder,
  type VisualStream,
} from "@tavt/encoder";
import type { CaptionBatch, LossFn, LossParts } from "./batch";
import type { Captioner, CaptionOptions, LossOptions } from "./captioner";
import { type ConfigName, makeConfig, type TavtConfig } from "./config";

// ----------------------------------------------------------------------------------------------------------------
// Sub-module configurations, derived from the one TavtConfig.

/** Does this variant have an AVMM (prefix and A_rec)? Not "w/o AVMM" and not "w/o audio". */
const hasAvmm = (c: TavtConfig) => !c.ablation.noAvmm && !c.ablation.visualOnly;

/**
 * The @tavt/avmm configuration of a TAVT configuration.
 *
 * @param c - The TAVT configuration.
 * @returns The AVMM's sizes (clips, clip length, clusters, blocks, ...) taken from `c`.
 */
export function avmmConfigOf(c: TavtConfig): AvmmConfig {
  return {
    visualDim: c.visualDim,
    audioDim: c.audioDim,
    dim: c.dim,
    heads: c.heads,
    clusters: c.clusters,
    clips: c.clips,
    clipLength: c.clipLen,
    blocks: c.avmmBlocks,
    ffn: c.ffn,
    dropout: c.dropout,
  };
}

/**
 * The @tavt/encoder configuration of a TAVT configuration.
 *
 * @param c - The TAVT configuration.
 * @returns The encoder's sizes, `visualOnly` when the ablation drops the audio.
 */
export function encoderConfigOf(c: TavtConfig): EncoderConfig {
  return {
    visualDim: c.visualDim,
    audioDim: c.audioDim,
    dim: c.dim,
    heads: c.heads,
    blocks: c.encoderBlocks,
    crossBlocks: c.crossBlocks,
    ffn: c.ffn,
    dropout: c.dropout,
    visualOnly: c.ablation.visualOnly,
  };
}

/**
 * The @tavt/decoder configuration of a TAVT configuration.
 *
 * @param c - The TAVT configuration.
 * @returns The decoder's sizes, fusion, and `streams` ("single" when the ablation drops the audio, else "dual").
 */
export function decoderConfigOf(c: TavtConfig): DecoderConfig {
  return {
    vocab: c.vocab,
    dim: c.dim,
    heads: c.heads,
    blocks: c.decoderBlocks,
    ffn: c.ffn,
    maxLen: c.captionLen,
    dropout: c.dropout,
    fusion: c.fusion,
    streams: c.ablation.visualOnly ? "single" : "dual",
    tieEmbedding: c.tieEmbedding,
  };
}

const resolve = (config: TavtConfig | ConfigName) => makeConfig(config);

// ----------------------------------------------------------------------------------------------------------------
// Parameters.

/**
 * Initial TAVT parameters: the branches `avmm`, `encoder` and `decoder`.
 *
 * @param key - The random key (split into one per branch).
 * @param config - A configuration or its name.
 * @returns The parameter tree (`avmm` is absent in the "w/o AVMM" and "w/o audio" variants).
 * @throws `TavtError` (from `@tavt/core`) `BAD_CONFIG` for an invalid configuration.
 * @example
 * ```ts
 * const config = makeConfig("tiny");
 * const params = initTavt(rng.key(0), config);
 * const bank = randomBank(rng.key(1), config);
 * const parts = tavtLoss(params, randomBatch(rng.key(2), config), rng.key(3), { config, bank });
 * ```
 */
export function initTavt(key: Key, config: TavtConfig | ConfigName): ParamTree {
  const c = resolve(config);
  const k = rng.splitNamed(key, ["avmm", "encoder", "decoder"]);
  const params: ParamTree = {};
  if (hasAvmm(c)) params.avmm = initAvmm(k.avmm, avmmConfigOf(c));
  params.encoder = initEncoder(k.encoder, encoderConfigOf(c));
  params.decoder = initDecoder(k.decoder, decoderConfigOf(c));
  return params;
}

// ----------------------------------------------------------------------------------------------------------------
// Forward pieces.

/** What one batch sends through the model: the audio used, whether it is real, and the AVMM outputs. */
interface Front {
  avmm: AvmmOutput | null;
  /** Real audio A is used (losses that need it are on). */
  realAudio: boolean;
  /** The audio the (V, A) pass encodes [B, Ta or l, da] and its mask; null in the visual-only variant. */
  audio: tf.Tensor | null;
  audioMask: tf.Tensor | null;
}

/** AVMM (eq. 1-2) and the choice of audio: real A, or A_rec where the batch has none (section 3.4). */
function front(
  params: ParamTree,
  batch: CaptionBatch,
  bank: tf.Tensor | null,
  c: TavtConfig,
  ctx: ApplyContext,
  freezeAvmm: boolean | "auto",
): Front {
  const a = c.ablation;
  if (a.visualOnly) return { avmm: null, realAudio: false, audio: null, audioMask: null };
  const realAudio = a.realAudio && batch.audio !== null;
  if (!hasAvmm(c)) {
    if (!batch.audio) {
      throw new TavtError(
        "BAD_INPUT",
        `tavt (${c.name}, w/o AVMM): batch ${batch.ids[0] ?? ""}... has no audio and nothing can stand in for it without AVMM`,
        { field: "audio" },
      );
    }
    return { avmm: null, realAudio, audio: batch.audio, audioMask: batch.audioMask };
  }
  if (!bank) {
    throw new TavtError("BAD_INPUT", `tavt (${c.name}): the cluster bank M [K, da] is required (options.bank)`, {
      field: "bank",
    });
  }
  const out = applyAvmm(
    params.avmm as AvmmParams,
    {
      visual: batch.visual,
      visualMask: batch.visualMask,
      bank,
      audio: realAudio ? batch.audio : null,
      audioMask: realAudio ? batch.audioMask : null,
    },
    avmmConfigOf(c),
    ctx,
    { freeze: freezeAvmm === "auto" ? !realAudio : freezeAvmm }, // section 3.4: frozen AVMM without audio
  ); // prefix [B, l, d], aRec [B, l, da], weights [B, l, K], encoderAudio = A or A_rec
  return { avmm: out, realAudio, audio: out.encoderAudio, audioMask: out.encoderAudioMask };
}

/** The encoder's visual stream f'_v (eq. 12) on V' = [p; V]: the same whatever the audio, so computed once per batch. */
function encodeVisual(
  params: ParamTree,
  batch: CaptionBatch,
  f: Front,
  c: TavtConfig,
  ctx: ApplyContext,
): VisualStream {
  return applyVisualStream(
    params.encoder as EncoderParams,
    {
      visual: batch.visual,
      visualMask: batch.visualMask,
      prefix: f.avmm?.prefix ?? null,
      prefixMask: f.avmm?.prefixMask ?? null,
    },
    encoderConfigOf(c),
    ctx,
  ); // fV [B, l+Tv, d], vMask [B, l+Tv]
}

/** Encoder (eq. 3, 12-17) on (V, audio) with the AVMM prefix: the decoder's memories x_av, x_va. */
function encode(
  params: ParamTree,
  batch: CaptionBatch,
  f: Front,
  audio: tf.Tensor | null,
  audioMask: tf.Tensor | null,
  c: TavtConfig,
  ctx: ApplyContext,
  visualStream: VisualStream | null = null,
): DecoderMemory {
  const out = applyEncoder(
    params.encoder as EncoderParams,
    {
      visual: batch.visual,
      visualMask: batch.visualMask,
      prefix: f.avmm?.prefix ?? null,
      prefixMask: f.avmm?.prefixMask ?? null,
      audio,
      audioMask,
      visualStream,
    },
    encoderConfigOf(c),
    ctx,
  ); // xAv [B, l+Tv, d], xVa [B, Ta, d]
  return { xAv: out.xAv, xAvMask: out.avMask, xVa: out.xVa, xVaMask: out.vaMask };
}

/** The last decoder block's gates only (eq. 4), teacher-forced: what DCCL's (V, A+) and (V, A-) passes need. */
function decodeGates(
  params: ParamTree,
  memory: DecoderMemory,
  input: tf.Tensor,
  inputMask: tf.Tensor,
  c: TavtConfig,
  ctx: ApplyContext,
  prefix: DecoderBlockPrefix | null = null,
): { alphaAv: tf.Tensor; alphaVa: tf.Tensor } {
  return applyDecoderGates(
    params.decoder as DecoderParams,
    { ...memory, tokens: input, tokenMask: inputMask, prefix },
    decoderConfigOf(c),
    ctx,
  ); // alphaAv / alphaVa [B, L-1, d]
}

/** Gated decoder (eq. 4-5), teacher-forced on the batch's captions. */
function decode(
  params: ParamTree,
  memory: DecoderMemory,
  input: tf.Tensor,
  inputMask: tf.Tensor,
  c: TavtConfig,
  ctx: ApplyContext,
  prefix: DecoderBlockPrefix | null = null,
): DecoderOutput {
  return applyDecoder(
    params.decoder as DecoderParams,
    { ...memory, tokens: input, tokenMask: inputMask, prefix },
    decoderConfigOf(c),
    ctx,
  ); // logits [B, L-1, V], alphaAv / alphaVa [B, L-1, d]
}

// ----------------------------------------------------------------------------------------------------------------
// The loss (eq. 10).

/** Options of `tavtLoss`: the bank, the configuration, training mode and whether the AVMM is frozen. */
export interface TavtLossOptions extends LossOptions {
  /** The universal auditory space M [K, da] (constant; not needed by the "w/o AVMM" and "w/o audio" variants). */
  bank?: tf.Tensor2D | null;
  config: TavtConfig | ConfigName;
  /**
   * Stop gradients into the AVMM: "auto" (default) freezes it exactly when the batch's real audio is not used
   * (audio-absent data, or realAudio=false), as section 3.4 prescribes for audio-absent targets.
   */
  freezeAvmm?: boolean | "auto";
}

/**
 * Eq. 10 for one batch: L = L_cap + L_rec + lambda L_dis + mu L_dep, with its parts.
 * - L_cap (eq. 9): token cross-entropy on the (V, A) pass, weighted by W_ma (eq. 8) from that pass's gates.
 * - L_rec: MSE of A_rec to the real audio pooled into clips (from @tavt/avmm).
 * - L_dis (eq. 6): A (real audio clips) against A+ = A_rec and A- (counterfactual).
 * - L_dep (eq. 7): psi = alpha_av / alpha_va of the (V, A), (V, A+), (V, A-) passes as anchor, positive, negative.
 * The three passes share the dropout key, so they differ only in their audio. Without real audio (audio-absent batch,
 * or realAudio=false) A_rec stands in for A and L = L_cap.
 *
 * @param params - TAVT's parameters.
 * @param batch - The batch (audio may be absent).
 * @param key - The dropout key (split per branch; the three passes share it).
 * @param options - The bank, the configuration, `training` (default true) and `freezeAvmm`.
 * @returns `cap`, `rec`, `dis`, `dep` and `total` as scalars (and `nll`, the unweighted L_cap, when evaluating with
 *   W_ma); the caller disposes them.
 * @throws `TavtError` (from `@tavt/core`) `BAD_CONFIG` for an invalid configuration, `BAD_INPUT` when the bank is
 *   missing or a "w/o AVMM" batch has no audio.
 */
export function tavtLoss(params: ParamTree, batch: CaptionBatch, key: Key, options: TavtLossOptions): LossParts {
  const c = resolve(options.config);
  const a = c.ablation;
  const training = options.training ?? true;
  const k = rng.splitNamed(key, ["avmm", "encoder", "decoder"]);
  const ctx = (kk: Key): ApplyContext => ({ training, key: kk });
  const parts = tf.tidy(() => {
    const zero = tf.scalar(0);
    // 1. AVMM (eq. 1-2): p [B, l, d], A_rec [B, l, da], w [B, l, K]; the audio of the (V, A) pass.
    const f = front(params, batch, options.bank ?? null, c, ctx(k.avmm), options.freezeAvmm ?? "auto");
    const s = shiftTokens(batch.tokens); // input / target [B, L-1]

    // 2. The (V, A) pass: encoder -> decoder; logits [B, L-1, V], gates [B, L-1, d]. The visual stream f'_v does
    //    not depend on the audio: the (V, A+) and (V, A-) passes below reuse it.
    //    Nor does the decoder's first self-attention half (it reads only the caption): all three passes share it.
    const vs = encodeVisual(params, batch, f, c, ctx(k.encoder)); // fV [B, l+Tv, d]
    const dec = params.decoder as DecoderParams;
    const pre =
      Object.keys(dec.blocks).length > 0
        ? applyDecoderPrefix(dec, { tokens: s.input, tokenMask: s.inputMask }, decoderConfigOf(c), ctx(k.decoder))
        : null; // x1, Y of block 0 [B, L-1, d]
    const memA = encode(params, batch, f, f.audio, f.audioMask, c, ctx(k.encoder), vs);
    const outA = decode(params, memA, s.input, s.inputMask, c, ctx(k.decoder), pre);

    // 3. L_cap (eq. 9) weighted by the token-wise modality-aware weights W_ma (eq. 8) [B, L-1].
    const gated = !a.visualOnly && c.fusion === "gated";
    const wMa =
      gated && !a.noWma
        ? modalityAwareWeights(outA.alphaAv, outA.alphaVa, s.target, s.targetMask, { normalize: c.wmaNormalize })
        : null;
    const cap = captionCrossEntropy(outA.logits, s.target, s.targetMask, wMa);
    const nll = wMa && !training ? captionCrossEntropy(outA.logits, s.target, s.targetMask) : null; // no W_ma

    // 4. L_rec (section 3.2): only with real audio.
    const rec = f.realAudio && f.avmm?.lossRec && !a.noRec ? f.avmm.lossRec : zero;

    // 5. DCCL (section 3.3): A+ = A_rec, A- from the inverted cluster/weight pairings; needs AVMM and real audio.
    const dccl = f.realAudio && f.avmm !== null && !a.noDccl;
    let dis: tf.Scalar = zero;
    let dep: tf.Scalar = zero;
    if (dccl && f.avmm) {
      const aPos = f.avmm.aRec; // A+ [B, l, da]
      const aNeg = counterfactualAudio(f.avmm.weights, options.bank!, { counterfactual: c.counterfactual }); // A- [B, l, da]
      if (!a.noDis) {
        dis = lossDis(f.avmm.audioClips!, aPos, aNeg, f.avmm.audioClipMask!, { tau: c.tau }); // eq. 6
      }
      if (!a.noDep) {
        // (V, A+) and (V, A-) passes: same dropout keys, only the audio differs; L_dep needs only their gates.
        const clipMask = f.avmm.prefixMask; // [B, l]
        const outPos = decodeGates(
          params,
          encode(params, batch, f, aPos, clipMask, c, ctx(k.encoder), vs),
          s.input,
          s.inputMask,
          c,
          ctx(k.decoder),
          pre,
        );
        const outNeg = decodeGates(
          params,
          encode(params, batch, f, aNeg, clipMask, c, ctx(k.encoder), vs),
          s.input,
          s.inputMask,
          c,
          ctx(k.decoder),
          pre,
        );
        const r = psi(outA.alphaAv, outA.alphaVa); // anchor r
        const rPos = psi(outPos.alphaAv, outPos.alphaVa); // r+
        const rNeg = psi(outNeg.alphaAv, outNeg.alphaVa); // r-
        dep = lossDep(r, rPos, rNeg, s.targetMask, { tau: c.tau }); // eq. 7
      }
    }

    // 6. Eq. 10.
    const total = cap.add(rec).add(dis.mul(c.lambda)).add(dep.mul(c.mu)) as tf.Scalar;
    return { cap, rec: rec.clone(), dis: dis.clone(), dep: dep.clone(), total, ...(nll ? { nll } : {}) };
  });
  return parts as LossParts;
}

/**
 * Contract 4: the total loss of eq. 10 as `(params, batch, key) => scalar`, for meta-learners.
 *
 * @param options - As for `tavtLoss`.
 * @returns `(params, batch, key) => total` (the parts other than the total are disposed).
 */
export function tavtLossFn(options: TavtLossOptions): LossFn<CaptionBatch> {
  return (params, batch, key) => {
    const p = tavtLoss(params, batch, key, options);
    for (const t of [p.cap, p.rec, p.dis, p.dep, p.nll]) t?.dispose();
    return p.total;
  };
}

/** Teacher-forced gate ratios of a batch: what eq. 8 averages. */
export interface TokenGateRatios {
  /** psi = alpha_av / alpha_va of the (V, A) pass, mean over d, per predicted token [B, L-1]. */
  ratio: tf.Tensor2D;
  /** The predicted tokens (decoder targets) [B, L-1]. */
  target: tf.Tensor2D;
  /** 1 on real tokens, 0 on padding [B, L-1]. */
  mask: tf.Tensor2D;
}

/**
 * The per-token gate ratio psi of the (V, A) pass, teacher-forced on the batch's captions without dropout: the
 * quantity W_ma (eq. 8) averages per word. Lets a caller compare eq. 8 over one batch with eq. 8 over the data.
 *
 * @param params - TAVT's parameters.
 * @param batch - The batch.
 * @param options - The configuration and the bank.
 * @returns psi per predicted token `[B, L-1]`, the targets `[B, L-1]` and their mask `[B, L-1]`.
 * @throws `TavtError` (from `@tavt/core`) `BAD_CONFIG` when the model has no modality gates (visual-only or sum
 *   fusion).
 */
export function tokenGateRatios(
  params: ParamTree,
  batch: CaptionBatch,
  options: { config: TavtConfig | ConfigName; bank?: tf.Tensor2D | null },
): TokenGateRatios {
  const c = resolve(options.config);
  if (c.ablation.visualOnly || c.fusion !== "gated") {
    throw new TavtError(
      "BAD_CONFIG",
      "model.tokenGateRatios: the model has no modality gates (visual-only or sum fusion)",
      {
        field: "fusion",
      },
    );
  }
  return tf.tidy(() => {
    const ctx: ApplyContext = { training: false };
    const f = front(params, batch, options.bank ?? null, c, ctx, false);
    const s = shiftTokens(batch.tokens);
    const m = encode(params, batch, f, f.audio, f.audioMask, c, ctx);
    const out = decode(params, m, s.input, s.inputMask, c, ctx);
    const ratio = tokenScores("model.tokenGateRatios", "alphaAv", psi(out.alphaAv, out.alphaVa)); // [B, L-1]
    return {
      ratio: ratio as tf.Tensor2D,
      target: s.target.toInt() as tf.Tensor2D,
      mask: s.targetMask.toFloat() as tf.Tensor2D,
    };
  });
}

// ----------------------------------------------------------------------------------------------------------------
// Inference.

/** Options of `captionBatch`: the bank, the configuration and the search. */
export interface CaptionBatchOptions extends CaptionOptions {
  bank?: tf.Tensor2D | null;
  config: TavtConfig | ConfigName;
}

/**
 * Captions for a batch (beam search, width 5 by default; or greedy), each with its score and the per-word traces of
 * alpha_av and alpha_va (mean over d; Figure 11). Audio-absent batches use A_rec in place of audio.
 *
 * @param params - TAVT's parameters.
 * @param batch - The batch of videos to caption.
 * @param options - The bank, the configuration, and the search options (`greedy`, `beam`, `maxLen`, ...).
 * @returns One caption per video, with its score and per-word gate traces.
 * @throws `TavtError` (from `@tavt/core`) `BAD_CONFIG` for an invalid configuration or search options, `BAD_INPUT`
 *   when the bank is missing.
 */
export function captionBatch(params: ParamTree, batch: CaptionBatch, options: CaptionBatchOptions): DecodedCaption[] {
  const c = resolve(options.config);
  const kept = tf.tidy((): Record<string, tf.Tensor> => {
    const f = front(params, batch, options.bank ?? null, c, { training: false }, false);
    const m = encode(params, batch, f, f.audio, f.audioMask, c, { training: false });
    const out: Record<string, tf.Tensor> = { xAv: m.xAv };
    if (m.xAvMask) out.xAvMask = m.xAvMask;
    if (m.xVa) out.xVa = m.xVa;
    if (m.xVaMask) out.xVaMask = m.xVaMask;
    return out;
  });
  const memory: DecoderMemory = { xAv: kept.xAv!, xAvMask: kept.xAvMask, xVa: kept.xVa, xVaMask: kept.xVaMask };
  try {
    const search = options.greedy ? greedySearch : beamSearch;
    return search(params.decoder as DecoderParams, memory, decoderConfigOf(c), {
      maxLen: c.captionLen - 2,
      ...options,
    });
  } finally {
    for (const t of [memory.xAv, memory.xAvMask, memory.xVa, memory.xVaMask]) t?.dispose();
  }
}

// ----------------------------------------------------------------------------------------------------------------
// The Captioner interface (shared with the baselines).

/**
 * TAVT as a `Captioner` with its bank bound: what meta-learners, the CLI and benchmarks swap.
 *
 * @param config - A configuration or its name (`"tiny"`, `"S"`, `"paper"`).
 * @param options - `bank`: the auditory space M `[K, da]` (from @tavt/clusters); required unless the ablation drops
 *   the AVMM.
 * @returns `init`, `lossParts`, `lossFn` and `caption` over parameter trees.
 * @throws `TavtError` (from `@tavt/core`) `BAD_CONFIG` for an invalid configuration, `BAD_INPUT` when the bank is missing.
 */
export function tavt(config: TavtConfig | ConfigName, options: { bank?: tf.Tensor2D | null } = {}): Captioner {
  const c = resolve(config);
  const bank = options.bank ?? null;
  return {
    kind: "tavt",
    config: c,
    frozenWhenAudioAbsent: hasAvmm(c) ? ["avmm."] : [],
    init: (key) => initTavt(key, c),
    lossParts: (params, batch, key, o = {}) => tavtLoss(params, batch, key, { ...o, bank, config: c }),
    lossFn: (o = {}) => tavtLossFn({ ...o, bank, config: c }),
    caption: (params, batch, o = {}) => captionBatch(params, batch, { ...o, bank, config: c }),
  };
}
