/**
 * Paper Tables 3 and 7-9 (cross-category transfer): meta-train on the five source domains (News, Movie, Sports,
 * Cooking, Traffic), then adapt to and test on each target domain (Animation, Music, Animal, Kids, Beauty).
 * Rows: TAVT (MAML), a vanilla transformer and a visual+audio concatenation transformer with the same
 * meta-learner, and TAVT trained jointly instead of with MAML. Mean ± std over 3 seeds.
 */
import { dataSets } from "./lib/options";
import { report } from "./lib/report";
import { benchmarkMain, commandLine, resultsDir } from "./lib/run";
import { CROSS_CATEGORY_VARIANTS, settings } from "./lib/settings";
import { runTransfer } from "./lib/transfer";

await benchmarkMain(async (o, out) => {
  const result = await runTransfer({
    preset: settings(o).preset,
    sets: [...settings(o).sets, ...dataSets(o), ...o.sets],
    variants: CROSS_CATEGORY_VARIANTS,
    seeds: o.seeds,
    out,
  });
  await report(result, {
    benchmark: "cross-category",
    title: "Cross-category transfer (paper Tables 3, 7-9): source domains -> each target domain",
    command: commandLine("cross-category", o),
    metrics: ["BLEU4", "METEOR", "ROUGE_L", "CIDEr"],
    by: ["target"],
    meanOverTargets: true,
    seeds: o.seeds,
    dir: resultsDir(o, "cross-category"),
    out,
  });
});
