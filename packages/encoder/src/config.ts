import { TavtError } from "@tavt/core";

/** Static configuration of the audio-visual encoder (kept out of the parameter tree). */
export interface EncoderConfig {
  /** dv: visual frame feature size (ResNet-101: 2048). */
  visualDim: number;
  /** da: audio feature size (VGGish: 128). */
  audioDim: number;
  /** d: model width (paper: 1024); also the width of the visual prefix p. */
  dim: number;
  /** Attention heads (paper: 8). */
  heads: number;
  /** N: pre-LN self-attention blocks over V' and over A (eq. 12-13), each stream its own; default 1. */
  blocks?: number;
  /** Cross-attention blocks per direction (eq. 16-17); default 1. */
  crossBlocks?: number;
  /** Feed-forward inner width; default 4 * dim. */
  ffn?: number;
  /** Residual and attention dropout; default 0. */
  dropout?: number;
  /** No audio stream at all (no audio parameters): the encoder is the self-attention stack over V'; default false. */
  visualOnly?: boolean;
}

/** The configuration with every default filled in. */
export type ResolvedEncoderConfig = Required<EncoderConfig>;

/**
 * Fill in the defaults and check the sizes; throws BAD_CONFIG naming the field.
 *
 * @param config - The configuration as given.
 * @returns The configuration with `blocks` (1), `crossBlocks` (1), `ffn` (4 * dim), `dropout` (0) and `visualOnly`
 *   (false) filled in where absent.
 * @throws `TavtError` (from `@tavt/core`) `BAD_CONFIG` for a size that is not a positive integer, a negative block
 *   count, `dim` not divisible by `heads`, or dropout outside [0, 1).
 */
export function resolveEncoderConfig(config: EncoderConfig): ResolvedEncoderConfig {
  const r: ResolvedEncoderConfig = {
    blocks: 1,
    crossBlocks: 1,
    ffn: 4 * config.dim,
    dropout: 0,
    visualOnly: false,
    ...config,
  };
  for (const f of ["visualDim", "audioDim", "dim", "heads", "ffn"] as const) {
    if (!(Number.isInteger(r[f]) && r[f] > 0)) {
      throw new TavtError("BAD_CONFIG", `encoder config: ${f} must be a positive integer, got ${r[f]}`, { field: f });
    }
  }
  for (const f of ["blocks", "crossBlocks"] as const) {
    if (!(Number.isInteger(r[f]) && r[f] >= 0)) {
      throw new TavtError("BAD_CONFIG", `encoder config: ${f} must be a non-negative integer, got ${r[f]}`, {
        field: f,
      });
    }
  }
  if (r.dim % r.heads !== 0) {
    throw new TavtError("BAD_CONFIG", `encoder config: dim ${r.dim} is not divisible by heads ${r.heads}`, {
      field: "heads",
    });
  }
  if (!(r.dropout >= 0 && r.dropout < 1)) {
    throw new TavtError("BAD_CONFIG", `encoder config: dropout must be in [0, 1), got ${r.dropout}`, {
      field: "dropout",
    });
  }
  return r;
}
