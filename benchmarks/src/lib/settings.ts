import type { BenchOptions } from "./options";
import type { Variant } from "./transfer";

/**
 * The benchmark-wide settings: the `default` preset (a small TAVT for the embedded synthetic data on 2 CPU
 * cores) or, with --quick, the `quick` preset (a smoke test). Everything else is the preset's.
 */
export function settings(o: BenchOptions): { preset: "quick" | "default"; sets: string[] } {
  return o.quick ? { preset: "quick", sets: [] } : { preset: "default", sets: [] };
}

/** The rows of Tables 3 and 7-9: TAVT and honest baselines with the same meta-learner, and TAVT without MAML. */
export const CROSS_CATEGORY_VARIANTS: Variant[] = [
  { name: "TAVT (MAML)", sets: ["model.kind=tavt", "meta.learner=maml"] },
  { name: "vanilla transformer (MAML)", sets: ["model.kind=vanillaTransformer", "meta.learner=maml"] },
  { name: "visual+audio concat (MAML)", sets: ["model.kind=concatAvTransformer", "meta.learner=maml"] },
  { name: "TAVT (joint, no MAML)", sets: ["model.kind=tavt", "meta.learner=joint"] },
];

/** The paper's MSR-VTT-dagger: the whole meta-test set (every target domain) as one target. */
export const ALL_TARGETS = (config: { data: { targetDomains: string[] | null } }, fallback: readonly string[]) => [
  { name: "all targets", domains: [...(config.data.targetDomains ?? fallback)] },
];

/** Table 1's target domains (the synthetic data and MSR-VTT use the same names). */
export const PAPER_TARGETS = ["Animation", "Music", "Animal", "Kids", "Beauty"] as const;
