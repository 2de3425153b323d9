/**
 * How far meta-test adaptation moves the target scores (paper section 4.2 says Adam): TAVT is meta-trained once per
 * seed, then on the whole meta-test set it is scored without adaptation, after `adapt.steps` SGD steps and after
 * `adapt.steps` Adam steps, at the preset's adaptation rate (default: 10 steps at 0.01; paper: 100 steps at 1e-4), and
 * (when the preset's differ) after 100 SGD and 100 Adam steps at 1e-4, the paper preset's adaptation.
 */
import {
  adaptExperiment,
  captionVideos,
  ensureBackend,
  evalIds,
  loadExperimentData,
  needsBank,
  prepareExperiment,
  resolveConfig,
  scoreCaptions,
  spaceFor,
  trainExperiment,
} from "@tavt/cli";
import { disposeTree } from "@tavt/core";
import { report } from "./lib/report";
import { benchmarkMain, commandLine, resultsDir } from "./lib/run";
import { settings } from "./lib/settings";
import { type CurveRecord, diagnosticsOf, diversityOf, type TransferRow } from "./lib/transfer";

const DESCRIPTION =
  "Meta-test adaptation (section 4.2): target scores of meta-trained TAVT without adaptation, after SGD and after Adam.";

await benchmarkMain({ name: "adaptation", description: DESCRIPTION }, async (o, out) => {
  const t0 = performance.now();
  await ensureBackend(out);
  const s = settings(o);
  const rows: TransferRow[] = [];
  const curves: CurveRecord[] = [];
  const configs: Record<string, ReturnType<typeof resolveConfig>> = {};
  for (const seed of o.seeds) {
    const config = resolveConfig({ preset: s.preset, sets: [...s.sets, "model.kind=tavt", `seed=${seed}`] });
    const data = await loadExperimentData(config);
    const space = needsBank(config) ? await spaceFor(config, data) : null;
    const exp = await prepareExperiment(config, { data, space });
    out.note(`[seed ${seed}] TAVT (${exp.learner.name}): meta-training ${config.train.steps} steps`);
    const trained = await trainExperiment(exp, { out, label: `TAVT s${seed}` });
    curves.push({ method: `TAVT (${exp.learner.name})`, seed, curve: trained.curve });
    const targets = [...exp.data.dataset.targetDomains];
    const { steps, lr } = config.adapt;
    const rate = lr ?? config.meta.innerLr;
    const choices = [
      { name: "no adaptation", adapt: { ...config.adapt, steps: 0 } },
      { name: `SGD (${steps} steps, lr ${rate})`, adapt: { ...config.adapt, optimizer: "sgd" as const } },
      { name: `Adam (${steps} steps, lr ${rate})`, adapt: { ...config.adapt, optimizer: "adam" as const } },
    ];
    // and the paper preset's adaptation (100 steps at 1e-4, section 4.2) with either rule, where it differs
    const paper = { steps: 100, lr: 1e-4 };
    if (steps !== paper.steps || rate !== paper.lr) {
      for (const optimizer of ["sgd", "adam"] as const) {
        choices.push({
          name: `${optimizer === "sgd" ? "SGD" : "Adam"} (${paper.steps} steps, lr ${paper.lr}, as the paper preset)`,
          adapt: { ...config.adapt, ...paper, optimizer },
        });
      }
    }
    for (const c of choices) {
      const variant = { ...exp, config: { ...config, adapt: c.adapt } };
      configs[c.name] ??= variant.config;
      const adapted = await adaptExperiment(variant, trained.params, targets, { out, label: `${c.name} s${seed}` });
      const caps = targets.flatMap((d) => captionVideos(variant, adapted.params, evalIds(variant, d)));
      disposeTree(adapted.params);
      const scores = scoreCaptions(caps, variant.config.metrics);
      const move = adapted.losses.length
        ? `loss ${adapted.losses[0]!.toFixed(3)} -> ${adapted.losses.at(-1)!.toFixed(3)}`
        : "";
      out.note(`[seed ${seed}] ${c.name}: BLEU-4 ${scores.BLEU4.toFixed(2)} CIDEr ${scores.CIDEr.toFixed(2)} ${move}`);
      rows.push({
        method: c.name,
        target: "all targets",
        seed,
        fraction: config.adapt.fraction,
        ...scores,
        trainSeconds: trained.seconds,
        adaptLoss: adapted.lossUsed,
        ...diagnosticsOf(diversityOf(caps)),
      });
    }
    disposeTree(trained.params);
    exp.dispose();
    data.dataset.close();
  }
  await report(
    { rows, configs, captions: [], curves, seconds: (performance.now() - t0) / 1000 },
    {
      benchmark: "adaptation",
      title: "Meta-test adaptation (section 4.2): TAVT on the meta-test set without adaptation, with SGD, with Adam",
      command: commandLine("adaptation", o),
      metrics: ["BLEU1", "BLEU4", "METEOR", "ROUGE_L", "CIDEr"],
      by: [],
      seeds: o.seeds,
      dir: resultsDir(o, "adaptation"),
      out,
    },
  );
});
