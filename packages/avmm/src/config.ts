import { TavtError } from "@tavt/core";

/** Static configuration of the Audio-Visual Meta-Mapper (kept out of the parameter tree). */
export interface AvmmConfig {
  /** dv: visual feature size (ResNet-101: 2048). */
  visualDim: number;
  /** da: audio feature size, also the width of the cluster bank M [K, da] (VGGish: 128). */
  audioDim: number;
  /** d: model width of the visual prefix p. */
  dim: number;
  heads: number;
  /** K: prototypes in the universal auditory space M (paper: 100). */
  clusters: number;
  /** l: clips per video = visual prefix tokens (eq. 1). */
  clips: number;
  /** T: frames per clip (eq. 1). */
  clipLength: number;
  /** Self-attention (core pre-LN encoder) blocks of the mapper SA; default 1. */
  blocks?: number;
  /** Feed-forward inner width of the mapper blocks; default 4 * dim. */
  ffn?: number;
  /** Residual and attention dropout of the mapper; default 0. */
  dropout?: number;
}

/** The configuration with every default filled in. */
export type ResolvedAvmmConfig = Required<AvmmConfig>;

/**
 * Fill in the defaults and check the sizes; throws BAD_CONFIG naming the field.
 *
 * @param config - The configuration as given.
 * @returns The configuration with `blocks` (1), `ffn` (4 * dim) and `dropout` (0) filled in where absent.
 * @throws `TavtError` (from `@tavt/core`) `BAD_CONFIG` for a size that is not a positive integer, `dim` not divisible
 *   by `heads`, or dropout outside [0, 1).
 */
export function resolveAvmmConfig(config: AvmmConfig): ResolvedAvmmConfig {
  const r: ResolvedAvmmConfig = { blocks: 1, ffn: 4 * config.dim, dropout: 0, ...config };
  const positive = ["visualDim", "audioDim", "dim", "heads", "clusters", "clips", "clipLength", "ffn"] as const;
  for (const f of positive) {
    if (!(Number.isInteger(r[f]) && r[f] > 0)) {
      throw new TavtError("BAD_CONFIG", `avmm config: ${f} must be a positive integer, got ${r[f]}`, { field: f });
    }
  }
  if (!(Number.isInteger(r.blocks) && r.blocks >= 0)) {
    throw new TavtError("BAD_CONFIG", `avmm config: blocks must be a non-negative integer, got ${r.blocks}`, {
      field: "blocks",
    });
  }
  if (r.dim % r.heads !== 0) {
    throw new TavtError("BAD_CONFIG", `avmm config: dim ${r.dim} is not divisible by heads ${r.heads}`, {
      field: "heads",
    });
  }
  if (!(r.dropout >= 0 && r.dropout < 1)) {
    throw new TavtError("BAD_CONFIG", `avmm config: dropout must be in [0, 1), got ${r.dropout}`, { field: "dropout" });
  }
  return r;
}
