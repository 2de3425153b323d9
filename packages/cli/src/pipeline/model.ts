import { type Key, type ParamTree, TavtError, type tf } from "@tavt/core";
import {
  type Captioner,
  type ConfigOverrides,
  concatAvTransformer,
  makeConfig,
  type TavtConfig,
  tavt,
  vanillaTransformer,
} from "@tavt/model";
import type { ExperimentConfig } from "../config/schema";
import type { ExperimentData } from "./data";

/**
 * The @tavt/model configuration of an experiment: the model section's sizes plus the data's dims.
 *
 * @param config - The experiment config (`model`, `data` and `train` sections).
 * @param data - The experiment's data (dims and vocabulary size).
 * @param clusters - K, the auditory space's prototypes.
 * @returns The checked model configuration.
 * @throws `TavtError` (from `@tavt/core`) `BAD_CONFIG` naming the field, its message prefixed with "model:".
 */
export function modelConfigOf(config: ExperimentConfig, data: ExperimentData, clusters: number): TavtConfig {
  const { kind: _kind, base, ablation, ...sizes } = config.model;
  const overrides: ConfigOverrides = {
    ...sizes,
    name: `${config.model.kind}-${base}`,
    visualDim: data.visualDim,
    audioDim: data.audioDim ?? config.data.features.audioDim ?? 128,
    frames: config.data.frames,
    audioFrames: config.data.frames,
    vocab: data.vocab.size,
    captionLen: config.data.maxLen,
    clusters,
    batch: config.train.batchSize,
    ablation,
  };
  try {
    return makeConfig(base, overrides);
  } catch (e) {
    // Name the config section the problem came from.
    if (e instanceof TavtError) throw new TavtError(e.code, `model: ${e.message}`, { ...e.details });
    throw e;
  }
}

/**
 * Whether the captioner needs the auditory bank M (TAVT with an AVMM).
 *
 * @param config - The experiment config.
 * @returns True for the "tavt" model unless the ablation drops the AVMM or the audio.
 */
export function needsBank(config: ExperimentConfig): boolean {
  const a = config.model.ablation;
  return config.model.kind === "tavt" && !a.noAvmm && !a.visualOnly;
}

/**
 * The captioner an experiment trains, with the bank bound for TAVT.
 *
 * @param config - The experiment config (`model.kind`).
 * @param modelConfig - The model configuration from `modelConfigOf`.
 * @param bank - M `[K, da]`, or null for models without an AVMM.
 * @returns The captioner.
 * @throws `TavtError` (from `@tavt/core`) `BAD_CONFIG` for an invalid model configuration.
 */
export function makeCaptioner(config: ExperimentConfig, modelConfig: TavtConfig, bank: tf.Tensor2D | null): Captioner {
  switch (config.model.kind) {
    case "tavt":
      return tavt(modelConfig, { bank });
    case "vanillaTransformer":
      return vanillaTransformer(modelConfig);
    case "concatAvTransformer":
      return concatAvTransformer(modelConfig);
  }
}

/**
 * L_cap alone (meta-test on an audio-absent target, Algorithm 1 line 16).
 *
 * @param captioner - The captioner.
 * @returns `(params, batch, key) => L_cap` (the other parts are disposed).
 */
export function captionLossOf(captioner: Captioner) {
  return (params: ParamTree, batch: Parameters<Captioner["lossParts"]>[1], key: Key): tf.Scalar => {
    const p = captioner.lossParts(params, batch, key);
    for (const t of [p.rec, p.dis, p.dep, p.total, p.nll]) t?.dispose();
    return p.cap;
  };
}
