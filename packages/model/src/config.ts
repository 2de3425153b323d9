import { TavtError } from "@tavt/core";
import type { Counterfactual } from "@tavt/dccl";
import type { Fusion } from "@tavt/decoder";

/** The ablation switches of Tables 4-5 (all false / realAudio true = full TAVT). */
export interface Ablation {
  /** w/o AVMM (Table 4): no visual prefix and no A_rec, hence no L_rec and no DCCL (A+ is A_rec). */
  noAvmm: boolean;
  /** w/o L_rec (Table 5). */
  noRec: boolean;
  /** w/o DCCL: neither L_dis nor L_dep, and no (V, A+) / (V, A-) passes. */
  noDccl: boolean;
  /** w/o L_dis (Table 5). */
  noDis: boolean;
  /** w/o L_dep (Table 5): no (V, A+) / (V, A-) encoder-decoder passes. */
  noDep: boolean;
  /** w/o ma (Table 5): the caption loss is the plain cross-entropy (no W_ma, eq. 8-9). */
  noWma: boolean;
  /** w/o audio (Table 4): visual frames only; no AVMM, no audio, a single-stream decoder, L = L_cap. */
  visualOnly: boolean;
  /**
   * false = w/o real audio (Table 4, and TAVT(A_rec) of Table 2): every batch is treated as audio-absent, so
   * A_rec stands in for A and only L_cap is trained. The ablation benchmark sets it on the target domain.
   */
  realAudio: boolean;
}

/** Static configuration of a TAVT captioner (and of the baselines, which use the sizes they need). */
export interface TavtConfig {
  name: string;
  /** Hidden width d of every attention layer. */
  dim: number;
  heads: number;
  /** Self-attention blocks per stream of the encoder (eq. 12-13). */
  encoderBlocks: number;
  /** Cross-attention blocks per direction of the encoder (eq. 16-17). */
  crossBlocks: number;
  /** Self-attention blocks of the AVMM mapper SA (eq. 1). */
  avmmBlocks: number;
  decoderBlocks: number;
  /** Feed-forward inner width. */
  ffn: number;
  dropout: number;
  /** Visual feature size dv (ResNet-101: 2048). */
  visualDim: number;
  /** Audio feature size da (VGGish: 128); also the width of the cluster bank M [K, da]. */
  audioDim: number;
  /** Visual frames Tv a batch carries. */
  frames: number;
  /** Audio frames Ta a batch carries (frame-aligned with the visual ones in the standard setting). */
  audioFrames: number;
  /** l: clips (and visual prefix tokens) per video (eq. 1). */
  clips: number;
  /** T: frames per clip (eq. 1). */
  clipLen: number;
  /** K: clusters in the auditory bank M. */
  clusters: number;
  vocab: number;
  /** Caption rows: `<bos>` + words + `<eos>` + padding. */
  captionLen: number;
  /** Videos per batch (used by benchmarks and the CLI; the model accepts any batch size). */
  batch: number;
  /** Temperature of L_dis and L_dep (eq. 6-7); paper 0.4. */
  tau: number;
  /** Weight of L_dis in eq. 10; paper 1e-4. */
  lambda: number;
  /** Weight of L_dep in eq. 10; paper 1e-2. */
  mu: number;
  /** How DCCL builds A- from the reconstructor's weights (see @tavt/dccl); default "rank-inverse". */
  counterfactual: Counterfactual;
  /** Decoder fusion: "gated" (eq. 4-5) or "sum" (ablation: gates replaced by a plain sum). */
  fusion: Fusion;
  /** Output projection tied to the token embedding. */
  tieEmbedding: boolean;
  /**
   * Scale W_ma (eq. 8) to mean 1 over each batch's real tokens before it weights L_cap (eq. 9): the per-word ratios
   * are kept, their overall scale (which follows the drifting gate ratio alpha_av / alpha_va) is not. Default false
   * (eq. 8 as written).
   */
  wmaNormalize: boolean;
  ablation: Ablation;
}

/** Recursively optional, for overrides. */
export type ConfigOverrides = Partial<Omit<TavtConfig, "ablation">> & { ablation?: Partial<Ablation> };

/** The ablation switches of the full model: all off. */
export const FULL_TAVT: Ablation = {
  noAvmm: false,
  noRec: false,
  noDccl: false,
  noDis: false,
  noDep: false,
  noWma: false,
  visualOnly: false,
  realAudio: true,
};

const paperLoss = { tau: 0.4, lambda: 1e-4, mu: 1e-2 };

/** A tiny configuration for tests (fast on the cpu backend). */
const tiny: TavtConfig = {
  name: "tiny",
  dim: 16,
  heads: 2,
  encoderBlocks: 1,
  crossBlocks: 1,
  avmmBlocks: 1,
  decoderBlocks: 1,
  ffn: 32,
  dropout: 0,
  visualDim: 12,
  audioDim: 6,
  frames: 8,
  audioFrames: 8,
  clips: 2,
  clipLen: 4,
  clusters: 5,
  vocab: 20,
  captionLen: 8,
  batch: 4,
  ...paperLoss,
  counterfactual: "rank-inverse",
  fusion: "gated",
  tieEmbedding: false,
  wmaNormalize: false,
  ablation: FULL_TAVT,
};

/** "S" (speed): width 256, 8 heads, 2 + 2 blocks, FFN 1024, 20 frames of 2048 / 128, l=4 clips of T=5, K=100. */
const S: TavtConfig = {
  name: "S",
  dim: 256,
  heads: 8,
  encoderBlocks: 2,
  crossBlocks: 1,
  avmmBlocks: 1,
  decoderBlocks: 2,
  ffn: 1024,
  dropout: 0.1,
  visualDim: 2048,
  audioDim: 128,
  frames: 20,
  audioFrames: 20,
  clips: 4,
  clipLen: 5,
  clusters: 100,
  vocab: 3000,
  captionLen: 20,
  batch: 32,
  ...paperLoss,
  counterfactual: "rank-inverse",
  fusion: "gated",
  tieEmbedding: false,
  wmaNormalize: false,
  ablation: FULL_TAVT,
};

/**
 * The paper's sizes (section 4.2: "The hidden size is 1024 for all the multi-head attention mechanisms. The numbers
 * of heads and attention blocks are 8"): every attention stack (encoder self-attention, cross-attention, the AVMM
 * mapper, the decoder) has 8 blocks; the rest as "S".
 */
const paper: TavtConfig = {
  ...S,
  name: "paper",
  dim: 1024,
  heads: 8,
  encoderBlocks: 8,
  crossBlocks: 8,
  avmmBlocks: 8,
  decoderBlocks: 8,
  ffn: 4096,
};

/** The named configurations. */
export const configs: Readonly<Record<"tiny" | "S" | "paper", TavtConfig>> = { tiny, S, paper };

/** A named configuration: `tiny`, `S` or `paper`. */
export type ConfigName = keyof typeof configs;

/**
 * `base` (a config or a name) with `overrides` applied (ablation merged switch by switch), checked.
 *
 * @param base - A configuration or its name: `"tiny"`, `"S"` or `"paper"`.
 * @param overrides - Fields to change; `ablation` merges switch by switch.
 * @returns The checked configuration.
 * @throws `TavtError` (from `@tavt/core`) `BAD_CONFIG` for an unknown name or an invalid field.
 * @example
 * ```ts
 * const config = makeConfig("S", { ablation: { noDis: true } });
 * ```
 */
export function makeConfig(base: TavtConfig | ConfigName, overrides: ConfigOverrides = {}): TavtConfig {
  const b = typeof base === "string" ? configs[base] : base;
  if (!b) {
    throw new TavtError("BAD_CONFIG", `model config: unknown configuration "${String(base)}"`, {
      field: "config",
      expected: Object.keys(configs),
    });
  }
  const c: TavtConfig = { ...b, ...overrides, ablation: { ...b.ablation, ...(overrides.ablation ?? {}) } };
  validateConfig(c);
  return c;
}

/**
 * Throws BAD_CONFIG naming the field when a size is not a positive integer or the clips do not fit the frames.
 *
 * @param c - The configuration to check.
 * @throws `TavtError` (from `@tavt/core`) `BAD_CONFIG` naming the first field that is out of range.
 */
export function validateConfig(c: TavtConfig): void {
  const ints = [
    "dim",
    "heads",
    "encoderBlocks",
    "crossBlocks",
    "avmmBlocks",
    "decoderBlocks",
    "ffn",
    "visualDim",
    "audioDim",
    "frames",
    "audioFrames",
    "clips",
    "clipLen",
    "clusters",
    "vocab",
    "captionLen",
    "batch",
  ] as const;
  for (const f of ints) {
    if (!(Number.isInteger(c[f]) && c[f] > 0)) {
      throw new TavtError("BAD_CONFIG", `model config "${c.name}": ${f} must be a positive integer, got ${c[f]}`, {
        field: f,
      });
    }
  }
  if (c.dim % c.heads !== 0) {
    throw new TavtError("BAD_CONFIG", `model config "${c.name}": dim ${c.dim} is not divisible by heads ${c.heads}`, {
      field: "heads",
    });
  }
  if (c.clips * c.clipLen > c.frames) {
    throw new TavtError(
      "BAD_CONFIG",
      `model config "${c.name}": clips * clipLen = ${c.clips * c.clipLen} exceeds frames ${c.frames}`,
      { field: "clips" },
    );
  }
  if (c.captionLen < 3) {
    throw new TavtError("BAD_CONFIG", `model config "${c.name}": captionLen must be at least 3, got ${c.captionLen}`, {
      field: "captionLen",
    });
  }
  if (!(c.dropout >= 0 && c.dropout < 1)) {
    throw new TavtError("BAD_CONFIG", `model config "${c.name}": dropout must be in [0, 1), got ${c.dropout}`, {
      field: "dropout",
    });
  }
}
