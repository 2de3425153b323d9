/**
 * Paper Tables 4 and 5 (ablations), on the whole meta-test set as one target (MSR-VTT-dagger): TAVT against
 * w/o audio (visual only), w/o AVMM, w/o real audio (A_rec in place of audio everywhere), w/o MAML (joint
 * training), w/o L_rec, w/o L_dis, w/o L_dep and w/o ma (no token-wise modality-aware weights).
 */
import { dataSets } from "./lib/options";
import { report } from "./lib/report";
import { benchmarkMain, commandLine, resultsDir } from "./lib/run";
import { ALL_TARGETS, PAPER_TARGETS, settings } from "./lib/settings";
import { runTransfer } from "./lib/transfer";

await benchmarkMain(async (o, out) => {
  const tavt = ["model.kind=tavt", "meta.learner=maml"];
  const result = await runTransfer({
    preset: settings(o).preset,
    sets: [...settings(o).sets, ...dataSets(o), ...o.sets],
    variants: [
      { name: "w/o audio (Table 4)", sets: [...tavt, "model.ablation.visualOnly=true"] },
      { name: "w/o AVMM (Table 4)", sets: [...tavt, "model.ablation.noAvmm=true"] },
      { name: "w/o real audio (Table 4)", sets: [...tavt, "model.ablation.realAudio=false"] },
      { name: "w/o MAML (Table 5)", sets: ["model.kind=tavt", "meta.learner=joint"] },
      { name: "w/o L_rec (Table 5)", sets: [...tavt, "model.ablation.noRec=true"] },
      { name: "w/o L_dis (Table 5)", sets: [...tavt, "model.ablation.noDis=true"] },
      { name: "w/o L_dep (Table 5)", sets: [...tavt, "model.ablation.noDep=true"] },
      { name: "w/o ma (Table 5)", sets: [...tavt, "model.ablation.noWma=true"] },
      { name: "TAVT", sets: tavt },
    ],
    seeds: o.seeds,
    targets: (c) => ALL_TARGETS(c, PAPER_TARGETS),
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
    out,
  });
});
