import { openDataset, type PresetName, resolveConfig } from "@tavt/cli";
import { type BenchOptions, dataSets, QUICK_CAPS } from "./options";
import type { Variant } from "./transfer";

/**
 * The benchmark-wide settings: the `--preset` (default `default`: a small TAVT for the embedded synthetic data on
 * 2 CPU cores); `--quick` on a larger preset adds its caps (`QUICK_CAPS`). Then the data options, then `--set`.
 */
export function settings(o: BenchOptions): { preset: PresetName; sets: string[] } {
  const caps = o.quick && o.preset !== "quick" ? QUICK_CAPS[o.preset] : [];
  return { preset: o.preset, sets: [...caps, ...dataSets(o), ...o.sets] };
}

/** The rows of Tables 3 and 7-9: TAVT and honest baselines with the same meta-learner, and TAVT without MAML. */
export const CROSS_CATEGORY_VARIANTS: Variant[] = [
  { name: "TAVT (MAML)", sets: ["model.kind=tavt", "meta.learner=maml"] },
  { name: "vanilla transformer (MAML)", sets: ["model.kind=vanillaTransformer", "meta.learner=maml"] },
  { name: "visual+audio concat (MAML)", sets: ["model.kind=concatAvTransformer", "meta.learner=maml"] },
  { name: "TAVT (joint, no MAML)", sets: ["model.kind=tavt", "meta.learner=joint"] },
];

/**
 * Each cross-category method's outer learning rate on the `default` preset, as `benchmarks:lr-search` chose it with
 * the same grid and budget for every method (docs/results/lr-search/search.json; a test checks the two agree). The
 * preset's own `meta.outerLr` is TAVT (MAML)'s choice.
 */
export const TUNED_OUTER_LR: Readonly<Record<string, number>> = {
  "vanilla transformer (MAML)": 0.003,
  "visual+audio concat (MAML)": 0.003,
  "TAVT (joint, no MAML)": 0.001,
};

/**
 * The cross-category rows for a preset: on `default`, each method starts from its tuned outer learning rate (as a
 * `base` override, so the benchmark's settings and the user's --set still win); other presets keep their own rates
 * (the paper's 1e-3 for every method on `paper`).
 */
export function crossCategoryVariants(preset: PresetName): Variant[] {
  return CROSS_CATEGORY_VARIANTS.map((v) => tuned(preset, v, v.name));
}

/** A variant with the tuned outer learning rate of `method` on the default preset. */
function tuned(preset: PresetName, v: Variant, method: string): Variant {
  const lr = TUNED_OUTER_LR[method];
  return preset === "default" && lr !== undefined ? { ...v, base: [`meta.outerLr=${lr}`] } : v;
}

/** Table 1's target domains (the synthetic data and MSR-VTT use the same names). */
export const PAPER_TARGETS = ["Animation", "Music", "Animal", "Kids", "Beauty"] as const;

/** The paper's MSR-VTT-dagger: the whole meta-test set (every target domain) as one target. */
export const ALL_TARGETS = (config: { data: { targetDomains: string[] | null } }, fallback: readonly string[]) => [
  { name: "all targets", domains: [...(config.data.targetDomains ?? fallback)] },
];

const TAVT = ["model.kind=tavt", "meta.learner=maml"];

/**
 * The rows of Tables 4 and 5. "w/o real audio" (Table 4) is what @tavt/model's README says: meta-training as TAVT
 * (real audio, the AVMM trained), then at meta-test every target domain is treated as audio-absent, so A_rec stands
 * in for the audio and adaptation uses L_cap with the AVMM frozen (section 3.4). It does not switch real audio off
 * for the whole run, which would leave the AVMM at its random initialisation.
 */
export const ABLATION_VARIANTS = (targets: readonly string[], preset: PresetName = "default"): Variant[] => [
  { name: "w/o audio (Table 4)", sets: [...TAVT, "model.ablation.visualOnly=true"] },
  { name: "w/o AVMM (Table 4)", sets: [...TAVT, "model.ablation.noAvmm=true"] },
  { name: "w/o real audio (Table 4)", sets: [...TAVT, `data.audioAbsentDomains=[${targets.join(",")}]`] },
  tuned(
    preset,
    { name: "w/o MAML (Table 5)", sets: ["model.kind=tavt", "meta.learner=joint"] },
    "TAVT (joint, no MAML)",
  ),
  { name: "w/o L_rec (Table 5)", sets: [...TAVT, "model.ablation.noRec=true"] },
  { name: "w/o L_dis (Table 5)", sets: [...TAVT, "model.ablation.noDis=true"] },
  { name: "w/o L_dep (Table 5)", sets: [...TAVT, "model.ablation.noDep=true"] },
  { name: "w/o ma (Table 5)", sets: [...TAVT, "model.ablation.noWma=true"] },
  { name: "TAVT", sets: TAVT },
];

/** The source and target domains of the dataset a benchmark's settings open (`data.targetDomains` applied). */
async function domainsOf(s: { preset: PresetName; sets: string[] }): Promise<{ source: string[]; target: string[] }> {
  const ds = await openDataset(resolveConfig({ preset: s.preset, sets: s.sets }));
  try {
    return { source: [...ds.sourceDomains], target: [...ds.targetDomains] };
  } finally {
    ds.close();
  }
}

/**
 * The meta-test (target) domains a benchmark's settings name: `data.targetDomains`, or the dataset's own (Table 1's
 * five for MSR-VTT and the synthetic data; whatever a dataset directory declares).
 */
export async function targetDomainsOf(s: { preset: PresetName; sets: string[] }): Promise<string[]> {
  const named = resolveConfig({ preset: s.preset, sets: s.sets }).data.targetDomains;
  return named ? [...named] : (await domainsOf(s)).target;
}

/**
 * The source (meta-training) domains a benchmark's settings give: the dataset's, less any `data.targetDomains` names.
 */
export async function sourceDomainsOf(s: { preset: PresetName; sets: string[] }): Promise<string[]> {
  return (await domainsOf(s)).source;
}

/** Table 10's values of K, the number of prototypes of the universal auditory space. */
export const PAPER_K_VALUES = [10, 100, 200, 300] as const;
