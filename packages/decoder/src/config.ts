import { TavtError } from "@tavt/core";

/** How the two cross-attention streams are combined (eq. 5), or the "plain sum" ablation. */
export type Fusion = "gated" | "sum";

/** "dual": x_av and x_va memories (TAVT); "single": one memory only (a visual-only captioner). */
export type Streams = "dual" | "single";

/** Static configuration of the gated decoder (kept out of the parameter tree). */
export interface DecoderConfig {
  /** Vocabulary size V (ids 0..V-1; `<pad>` 0, `<bos>` 1, `<eos>` 2, `<unk>` 3). */
  vocab: number;
  /** Model width d. */
  dim: number;
  heads: number;
  /** Number of decoder blocks N. */
  blocks: number;
  /** Feed-forward inner width; default 4 * dim. */
  ffn?: number;
  /** Longest decoder input (`<bos>` + words) the positions are meant for; beam search stops there by default. */
  maxLen: number;
  /** Width of the memories x_av and x_va; default `dim`. */
  memoryDim?: number;
  /** Residual and attention dropout; default 0. */
  dropout?: number;
  /** "gated" (eq. 4-5, default) or "sum" (the gates replaced by a plain sum: an ablation). */
  fusion?: Fusion;
  /** "dual" (default) or "single" (only the x_av input is attended; no gates). */
  streams?: Streams;
  /** Output projection is the transposed token embedding (no separate weight or bias); default false. */
  tieEmbedding?: boolean;
}

/** The configuration with every default filled in. */
export type ResolvedDecoderConfig = Required<DecoderConfig>;

/**
 * Fill in the defaults and check the sizes; throws BAD_CONFIG naming the field.
 *
 * @param config - The configuration as given.
 * @returns The configuration with `ffn` (4 * dim), `memoryDim` (dim), `dropout` (0), `fusion` ("gated"), `streams`
 *   ("dual") and `tieEmbedding` (false) filled in where absent.
 * @throws `TavtError` (from `@tavt/core`) `BAD_CONFIG` for a size that is not a positive integer, `dim` not divisible
 *   by `heads`, a vocabulary under 4, or an unknown `fusion` or `streams`.
 */
export function resolveDecoderConfig(config: DecoderConfig): ResolvedDecoderConfig {
  const r: ResolvedDecoderConfig = {
    ffn: 4 * config.dim,
    memoryDim: config.dim,
    dropout: 0,
    fusion: "gated",
    streams: "dual",
    tieEmbedding: false,
    ...config,
  };
  const positive = ["vocab", "dim", "heads", "blocks", "ffn", "maxLen", "memoryDim"] as const;
  for (const f of positive) {
    if (!(Number.isInteger(r[f]) && r[f] > 0)) {
      throw new TavtError("BAD_CONFIG", `decoder config: ${f} must be a positive integer, got ${r[f]}`, { field: f });
    }
  }
  if (r.dim % r.heads !== 0) {
    throw new TavtError("BAD_CONFIG", `decoder config: dim ${r.dim} is not divisible by heads ${r.heads}`, {
      field: "heads",
    });
  }
  if (r.vocab < 4) {
    throw new TavtError("BAD_CONFIG", `decoder config: vocab must hold <pad> <bos> <eos> <unk>, got ${r.vocab}`, {
      field: "vocab",
    });
  }
  if (r.fusion !== "gated" && r.fusion !== "sum") {
    throw new TavtError("BAD_CONFIG", `decoder config: fusion must be "gated" or "sum", got "${r.fusion}"`, {
      field: "fusion",
    });
  }
  if (r.streams !== "dual" && r.streams !== "single") {
    throw new TavtError("BAD_CONFIG", `decoder config: streams must be "dual" or "single", got "${r.streams}"`, {
      field: "streams",
    });
  }
  return r;
}

/** Special token ids shared by every `@tavt` package. */
export const PAD_ID = 0;
/** The `<bos>` token id, 1. */
export const BOS_ID = 1;
/** The `<eos>` token id, 2. */
export const EOS_ID = 2;
/** The `<unk>` token id, 3. */
export const UNK_ID = 3;
