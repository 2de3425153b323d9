/**
 * Paper Tables 4 and 5 (ablations), on the whole meta-test set as one target (MSR-VTT-dagger): TAVT against
 * w/o audio (visual only), w/o AVMM, w/o real audio (meta-trained as TAVT; at meta-test A_rec stands in for the
 * targets' audio, the AVMM frozen), w/o MAML (joint training), w/o L_rec, w/o L_dis, w/o L_dep and w/o ma (no
 * token-wise modality-aware weights).
 */
import { learnerVariants } from "./lib/learners";
import { report } from "./lib/report";
import { benchmarkMain, commandLine, resultsDir } from "./lib/run";
import { ABLATION_VARIANTS, ALL_TARGETS, settings, targetDomainsOf } from "./lib/settings";
import { runTransfer } from "./lib/transfer";

const DESCRIPTION = "Ablations (paper Tables 4-5): TAVT without each of its parts, on the whole meta-test set.";

await benchmarkMain({ name: "ablations", description: DESCRIPTION, extra: ["learner"] }, async (o, out) => {
  const s = settings(o);
  const targets = await targetDomainsOf(s); // "w/o real audio" removes the audio of exactly these
  const result = await runTransfer({
    jobs: o.jobs,
    preset: s.preset,
    sets: s.sets,
    variants: [...ABLATION_VARIANTS(targets, s.preset), ...(await learnerVariants(o))],
    seeds: o.seeds,
    targets: (c) => ALL_TARGETS(c, targets),
    out,
  });
  await report(result, {
    benchmark: "ablations",
    title: "Ablations (paper Tables 4-5): source domains -> the meta-test set",
    command: commandLine("ablations", o),
    metrics: ["BLEU1", "BLEU4", "METEOR", "ROUGE_L", "CIDEr"],
    by: [],
    seeds: o.seeds,
    dir: resultsDir(o, "ablations"),
    reference: "TAVT",
    out,
  });
});
