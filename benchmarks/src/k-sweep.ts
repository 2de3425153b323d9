/**
 * Paper Table 10: the number K of prototypes in the universal auditory space (K = 10, 50, 100, 200), TAVT on the
 * whole meta-test set as one target.
 */
import { dataSets } from "./lib/options";
import { report } from "./lib/report";
import { benchmarkMain, commandLine, resultsDir } from "./lib/run";
import { ALL_TARGETS, PAPER_TARGETS, settings } from "./lib/settings";
import { runTransfer } from "./lib/transfer";

await benchmarkMain(async (o, out) => {
  const ks = o.quick ? [10, 50] : [10, 50, 100, 200];
  const result = await runTransfer({
    preset: settings(o).preset,
    sets: [...settings(o).sets, ...dataSets(o), ...o.sets],
    variants: ks.map((k) => ({ name: `K=${k}`, sets: ["model.kind=tavt", "meta.learner=maml", `space.k=${k}`] })),
    seeds: o.seeds,
    targets: (c) => ALL_TARGETS(c, PAPER_TARGETS),
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
