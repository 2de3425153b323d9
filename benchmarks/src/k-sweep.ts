/**
 * Paper Table 10: the number K of prototypes in the universal auditory space, at the paper's values K = 10, 100,
 * 200, 300 (--quick: 10 and 100), TAVT on the whole meta-test set as one target.
 */
import { report } from "./lib/report";
import { benchmarkMain, commandLine, resultsDir } from "./lib/run";
import { ALL_TARGETS, PAPER_K_VALUES, settings, targetDomainsOf } from "./lib/settings";
import { runTransfer } from "./lib/transfer";

const DESCRIPTION = `Auditory space size (paper Table 10): TAVT with K = ${PAPER_K_VALUES.join(", ")} prototypes (--quick: the first two).`;

await benchmarkMain({ name: "k-sweep", description: DESCRIPTION, extra: ["k"] }, async (o, out) => {
  const ks = o.ks ?? (o.quick ? PAPER_K_VALUES.slice(0, 2) : PAPER_K_VALUES);
  const s = settings(o);
  const domains = await targetDomainsOf(settings(o));
  const result = await runTransfer({
    jobs: o.jobs,
    preset: s.preset,
    sets: s.sets,
    variants: ks.map((k) => ({ name: `K=${k}`, sets: ["model.kind=tavt", "meta.learner=maml", `space.k=${k}`] })),
    seeds: o.seeds,
    targets: (c) => ALL_TARGETS(c, domains),
    out,
  });
  await report(result, {
    benchmark: "k-sweep",
    title: "Auditory space size K (paper Table 10): TAVT, source domains -> the meta-test set",
    command: commandLine("k-sweep", o),
    metrics: ["BLEU1", "BLEU4", "METEOR", "ROUGE_L", "CIDEr"],
    by: [],
    seeds: o.seeds,
    dir: resultsDir(o, "k-sweep"),
    out,
  });
});
