/**
 * Paper Figure 5 (low-resource targets): adapt on 10, 25, 50 and 100% of each target domain's labelled videos;
 * TAVT against the vanilla and concatenation transformers (all with MAML), scored on the whole meta-test set.
 */
import { report } from "./lib/report";
import { benchmarkMain, commandLine, resultsDir } from "./lib/run";
import { ALL_TARGETS, crossCategoryVariants, settings, targetDomainsOf } from "./lib/settings";
import { runTransfer } from "./lib/transfer";

const DESCRIPTION =
  "Low-resource targets (paper Figure 5): adapt on 10, 25, 50 and 100% of the targets' labelled videos (--quick: 10 and 100%).";

await benchmarkMain({ name: "low-resource", description: DESCRIPTION }, async (o, out) => {
  const s = settings(o);
  const domains = await targetDomainsOf(settings(o));
  const result = await runTransfer({
    jobs: o.jobs,
    preset: s.preset,
    sets: s.sets,
    // the cross-category rows with MAML, each at its tuned outer learning rate
    variants: crossCategoryVariants(s.preset).filter((v) => v.sets.includes("meta.learner=maml")),
    seeds: o.seeds,
    targets: (c) => ALL_TARGETS(c, domains),
    fractions: o.quick ? [0.1, 1] : [0.1, 0.25, 0.5, 1],
    out,
  });
  await report(result, {
    benchmark: "low-resource",
    title: "Low-resource targets (paper Figure 5): share of the targets' labelled videos used to adapt",
    command: commandLine("low-resource", o),
    metrics: ["BLEU4", "METEOR", "ROUGE_L", "CIDEr"],
    by: ["fraction"],
    seeds: o.seeds,
    dir: resultsDir(o, "low-resource"),
    out,
  });
});
