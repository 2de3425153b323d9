import type { Key, ParamTree } from "@tavt/core";
import type { DecodedCaption, SearchOptions } from "@tavt/decoder";
import type { CaptionBatch, LossFn, LossParts } from "./batch";
import type { TavtConfig } from "./config";

/** Options of a loss evaluation. */
export interface LossOptions {
  /** Dropout on (with the key given to the loss); default true. */
  training?: boolean;
}

/** Options of caption generation: the decoder's search options plus the search kind. */
export interface CaptionOptions extends SearchOptions {
  /** Greedy search instead of beam search; default false (beam search, width `beam`, default 5). */
  greedy?: boolean;
}

/**
 * What meta-learners, the CLI and benchmarks need of a captioner: TAVT and the baselines all implement it, so
 * one can be swapped for another.
 */
export interface Captioner {
  readonly kind: "tavt" | "vanillaTransformer" | "concatAvTransformer";
  readonly config: TavtConfig;
  /** Fresh parameters (names prefixed "avmm.", "encoder.", "decoder."). */
  init(key: Key): ParamTree;
  /** The parts of eq. 10 for one batch (parts the model lacks are 0). */
  lossParts(params: ParamTree, batch: CaptionBatch, key: Key, options?: LossOptions): LossParts;
  /** Contract 4: `(params, batch, key) => total loss`. */
  lossFn(options?: LossOptions): LossFn<CaptionBatch>;
  /** Captions with scores and per-word gate traces, one per video. */
  caption(params: ParamTree, batch: CaptionBatch, options?: CaptionOptions): DecodedCaption[];
  /** Parameter-name prefixes to freeze when adapting to a target without audio (Algorithm 1, line 16). */
  readonly frozenWhenAudioAbsent: readonly string[];
}
