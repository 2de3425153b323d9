import { rng, TavtError } from "@tavt/core";
import type { SplitName } from "./types";

/** How each domain's videos are split into train and test. */
export interface SplitOptions {
  /** Seed of the random split (default 0). */
  seed?: number;
  /** Share of each domain's videos in its train part (default 0.7, MSR-VTT's own 7,010 / 10,000). */
  trainFraction?: number;
}

/** The default train/test split: seed 0, 70% of each domain's videos for training. */
export const DEFAULT_SPLIT: Required<SplitOptions> = { seed: 0, trainFraction: 0.7 };

/**
 * Ids in natural order ("video2" before "video10"), so a split does not depend on file order.
 *
 * @param ids - The ids.
 * @returns A sorted copy.
 */
export function naturalSort(ids: readonly string[]): string[] {
  return [...ids].sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
}

/**
 * The paper's "random sampling strategy" (Appendix B) for per-domain splits: within each domain, the ids in
 * natural order are permuted with a key derived from (seed, domain name) and the first
 * `round(n * trainFraction)` go to train, the rest to test. Adding or removing one domain never changes
 * another's split; the same seed gives the same split on every machine.
 *
 * @param videos - Each video's id and domain.
 * @param options - `seed` (0) and `trainFraction` (0.7).
 * @returns Each id's split, "train" or "test".
 * @throws `TavtError` (from `@tavt/core`) `BAD_CONFIG` for a `trainFraction` outside [0, 1].
 */
export function splitByDomainRandom(
  videos: readonly { id: string; domain: string }[],
  options: SplitOptions = {},
): Map<string, SplitName> {
  const { seed, trainFraction } = { ...DEFAULT_SPLIT, ...options };
  if (!(trainFraction >= 0 && trainFraction <= 1)) {
    throw new TavtError("BAD_CONFIG", `trainFraction must be in [0, 1], got ${trainFraction}`, {
      field: "trainFraction",
    });
  }
  const byDomain = new Map<string, string[]>();
  for (const v of videos) {
    const list = byDomain.get(v.domain) ?? [];
    list.push(v.id);
    byDomain.set(v.domain, list);
  }
  const out = new Map<string, SplitName>();
  const root = rng.key(seed);
  for (const [domain, ids] of byDomain) {
    const sorted = naturalSort(ids);
    const perm = rng.permutation(rng.foldIn(root, `split:${domain}`), sorted.length);
    const nTrain = Math.round(sorted.length * trainFraction);
    for (let i = 0; i < sorted.length; i++) out.set(sorted[perm[i]!]!, i < nTrain ? "train" : "test");
  }
  return out;
}
