import { TavtError } from "@tavt/core";

/**
 * How A- is built from the reconstructor's weights w [.., K] and the bank M (section 3.3: "inverse the audio
 * clusters M and weight matrix w_k pairings"); each is differentiable with respect to w:
 * - "rank-inverse" (default): the largest weight goes to the prototype w ranked lowest, the second largest to the
 *   second lowest, ...: w-_k = w_{pi(k)}, pi pairing rank r with rank K-1-r (a sort-based permutation per clip).
 * - "reverse": the weights reversed along the prototype index: w-_k = w_{K-1-k}.
 * - "complement": w-_k = (1 - w_k) / (K - 1) (renormalised to sum to 1).
 */
export type Counterfactual = "rank-inverse" | "reverse" | "complement";

/** The constructions of A- on offer: `rank-inverse` (default), `reverse`, `complement`. */
export const COUNTERFACTUALS: readonly Counterfactual[] = ["rank-inverse", "reverse", "complement"];

/** Options of the two contrastive losses (eq. 6-7). */
export interface ContrastiveConfig {
  /** Temperature tau; paper 0.4 (appendix C.3). */
  tau?: number;
  /**
   * Negatives of each anchor: false (default) = its own counterfactual only (n = 2 in eq. 6-7: the positive and
   * A- / r-); true = also every other real anchor's positive and counterfactual in the batch (n = 2N).
   */
  inBatchNegatives?: boolean;
  /** Guard of the cosine similarity: s = p.q / max(|p| |q|, eps); default 1e-8. */
  eps?: number;
}

/** A contrastive loss's settings with their defaults filled in. */
export type ResolvedContrastiveConfig = Required<ContrastiveConfig>;

/** The temperature tau of eq. 6-7 (appendix C.3): 0.4. */
export const DEFAULT_TAU = 0.4;

/**
 * A contrastive loss's settings with defaults, checked.
 *
 * @param fn - The calling loss's name, for error messages.
 * @param config - The settings as given.
 * @returns `tau` (0.4), `inBatchNegatives` (false) and `eps` (1e-8), each defaulted where absent.
 * @throws `TavtError` (from `@tavt/core`) `BAD_CONFIG` for a non-positive or non-finite `tau` or a non-positive `eps`.
 */
export function resolveContrastiveConfig(fn: string, config: ContrastiveConfig = {}): ResolvedContrastiveConfig {
  const r = { tau: DEFAULT_TAU, inBatchNegatives: false, eps: 1e-8, ...config };
  if (!(r.tau > 0 && Number.isFinite(r.tau))) {
    throw new TavtError("BAD_CONFIG", `${fn}: tau must be a positive number, got ${r.tau}`, { field: "tau" });
  }
  if (!(r.eps > 0)) throw new TavtError("BAD_CONFIG", `${fn}: eps must be positive, got ${r.eps}`, { field: "eps" });
  return r;
}
