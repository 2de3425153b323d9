/**
 * Paper Tables 3 and 7-9 (cross-category transfer): meta-train on the five source domains (News, Movie, Sports,
 * Cooking, Traffic), then adapt to and test on each target domain (Animation, Music, Animal, Kids, Beauty).
 * Rows: TAVT (MAML), a vanilla transformer and a visual+audio concatenation transformer with the same
 * meta-learner, and TAVT trained jointly instead of with MAML; `--learner FILE` adds TAVT with a learner of yours.
 * Mean ± std over 3 seeds.
 */
import { learnerVariants } from "./lib/learners";
import { report } from "./lib/report";
import { benchmarkMain, commandLine, resultsDir } from "./lib/run";
import { crossCategoryVariants, settings } from "./lib/settings";
import { runTransfer } from "./lib/transfer";

const DESCRIPTION =
  "Cross-category transfer (paper Tables 3, 7-9): meta-train on the source domains, adapt to and test on each target domain.";

await benchmarkMain({ name: "cross-category", description: DESCRIPTION, extra: ["learner"] }, async (o, out) => {
  const s = settings(o);
  const result = await runTransfer({
    jobs: o.jobs,
    preset: s.preset,
    sets: s.sets,
    variants: [...crossCategoryVariants(s.preset), ...(await learnerVariants(o))],
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
