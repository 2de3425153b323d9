/**
 * How far meta-test adaptation moves the target scores (paper section 4.2 says Adam): TAVT is meta-trained once per
 * seed, then on the whole meta-test set it is scored without adaptation, after `adapt.steps` SGD steps and after
 * `adapt.steps` Adam steps, at the preset's adaptation rate (default: 10 steps at 0.01; paper: 100 steps at 1e-4), and
 * (when the preset's differ) after 100 SGD and 100 Adam steps at 1e-4, the paper preset's adaptation.
 *
 * With `--hold-out` (nx target `adaptation-select`) no target domain is adapted to or scored: each source domain in
 * turn is held out of meta-training and becomes the one domain adapted to and scored, so that the adaptation can be
 * chosen without looking at the targets. The candidates are a grid (the preset's own, Adam at 10, 30 and 100 steps at
 * 1e-4, 3e-4 and 1e-3, and the paper preset's SGD); the choice (the highest CIDEr, mean over held-out domains and
 * seeds, a rule fixed before the run) is written to `selection.json` with each candidate's mean adaptation time.
 */

import { join } from "node:path";
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
import { disposeTree, writeFileAtomic } from "@tavt/core";
import { report } from "./lib/report";
import { benchmarkMain, commandLine, resultsDir } from "./lib/run";
import { settings, sourceDomainsOf } from "./lib/settings";
import { meanStd } from "./lib/stats";
import { type CurveRecord, diagnosticsOf, diversityOf, type TransferRow } from "./lib/transfer";

const DESCRIPTION =
  "Meta-test adaptation (section 4.2): target scores of meta-trained TAVT without adaptation, after SGD and after Adam.";

await benchmarkMain({ name: "adaptation", description: DESCRIPTION, extra: ["holdOut"] }, async (o, out) => {
  const t0 = performance.now();
  await ensureBackend(out);
  const s = settings(o);
  const rows: TransferRow[] = [];
  const curves: CurveRecord[] = [];
  const configs: Record<string, ReturnType<typeof resolveConfig>> = {};
  /** Wall seconds of each adaptation (all its target domains), per choice. */
  const adaptSeconds = new Map<string, number[]>();
  // --hold-out: one run per source domain, that domain as the only "target" (and out of meta-training)
  const heldOut: (string | null)[] = o.holdOut ? await sourceDomainsOf(s) : [null];
  for (const seed of o.seeds)
    for (const held of heldOut) {
      const tag = held === null ? `s${seed}` : `${held} s${seed}`;
      const holdSets = held === null ? [] : [`data.targetDomains=${JSON.stringify([held])}`];
      const config = resolveConfig({
        preset: s.preset,
        sets: [...s.sets, ...holdSets, "model.kind=tavt", `seed=${seed}`],
      });
      const data = await loadExperimentData(config);
      const space = needsBank(config) ? await spaceFor(config, data) : null;
      const exp = await prepareExperiment(config, { data, space });
      out.note(`[${tag}] TAVT (${exp.learner.name}): meta-training ${config.train.steps} steps`);
      const trained = await trainExperiment(exp, { out, label: `TAVT ${tag}` });
      curves.push({
        method: held === null ? `TAVT (${exp.learner.name})` : `TAVT without ${held}`,
        seed,
        curve: trained.curve,
      });
      const targets = [...exp.data.dataset.targetDomains];
      const { steps, lr } = config.adapt;
      const rate = lr ?? config.meta.innerLr;
      const choices: { name: string; adapt: typeof config.adapt }[] = [
        { name: "no adaptation", adapt: { ...config.adapt, steps: 0 } },
        { name: `SGD (${steps} steps, lr ${rate})`, adapt: { ...config.adapt, optimizer: "sgd" as const } },
      ];
      const named = (optimizer: "sgd" | "adam", s: number, l: number) =>
        `${optimizer === "sgd" ? "SGD" : "Adam"} (${s} steps, lr ${l}${s === 100 && l === 1e-4 ? ", as the paper preset" : ""})`;
      // a candidate whose rule, steps and rate some earlier choice already has is not run twice
      const add = (optimizer: "sgd" | "adam", s: number, l: number) => {
        const same = (c: (typeof choices)[number]) =>
          c.adapt.optimizer === optimizer && c.adapt.steps === s && (c.adapt.lr ?? rate) === l;
        if (!choices.some(same))
          choices.push({ name: named(optimizer, s, l), adapt: { ...config.adapt, optimizer, steps: s, lr: l } });
      };
      if (o.holdOut) {
        // the selection grid: Adam at 10, 30 and 100 steps and three rates, and the paper preset's SGD
        for (const s of [10, 30, 100]) for (const l of [1e-4, 3e-4, 1e-3]) add("adam", s, l);
        add("sgd", 100, 1e-4);
      } else {
        add("adam", steps, rate);
        // and the paper preset's adaptation (100 steps at 1e-4, section 4.2) with either rule, where it differs
        for (const optimizer of ["sgd", "adam"] as const) add(optimizer, 100, 1e-4);
      }
      for (const c of choices) {
        const variant = { ...exp, config: { ...config, adapt: c.adapt } };
        configs[c.name] ??= variant.config;
        const adaptStart = performance.now();
        const adapted = await adaptExperiment(variant, trained.params, targets, { out, label: `${c.name} ${tag}` });
        adaptSeconds.set(c.name, [...(adaptSeconds.get(c.name) ?? []), (performance.now() - adaptStart) / 1000]);
        const caps = targets.flatMap((d) => captionVideos(variant, adapted.params, evalIds(variant, d)));
        disposeTree(adapted.params);
        const scores = scoreCaptions(caps, variant.config.metrics);
        const move = adapted.losses.length
          ? `loss ${adapted.losses[0]!.toFixed(3)} -> ${adapted.losses.at(-1)!.toFixed(3)}`
          : "";
        out.note(`[${tag}] ${c.name}: BLEU-4 ${scores.BLEU4.toFixed(2)} CIDEr ${scores.CIDEr.toFixed(2)} ${move}`);
        rows.push({
          method: c.name,
          target: held ?? "all targets",
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
  const dir = resultsDir(o, o.holdOut ? "adaptation-select" : "adaptation");
  await report(
    { rows, configs, captions: [], curves, seconds: (performance.now() - t0) / 1000 },
    {
      benchmark: o.holdOut ? "adaptation-select" : "adaptation",
      title: o.holdOut
        ? "Choosing the adaptation on the source domains: each source domain held out of meta-training in turn, adapted to and scored (no target domain looked at)"
        : "Meta-test adaptation (section 4.2): TAVT on the meta-test set without adaptation, with SGD, with Adam",
      command: commandLine(o.holdOut ? "adaptation-select" : "adaptation", o),
      metrics: ["BLEU1", "BLEU4", "METEOR", "ROUGE_L", "CIDEr"],
      by: o.holdOut ? ["target"] : [],
      meanOverTargets: o.holdOut,
      seeds: o.seeds,
      dir,
      out,
    },
  );
  if (o.holdOut) {
    // the rule, fixed before the run: the highest CIDEr, mean over held-out domains and seeds
    const methods = [...new Set(rows.map((r) => r.method))];
    const cider = methods.map((m) => ({
      method: m,
      CIDEr: meanStd(rows.filter((r) => r.method === m).map((r) => r.CIDEr)).mean,
      adaptSeconds: Number(meanStd(adaptSeconds.get(m) ?? [0]).mean.toFixed(2)),
    }));
    const chosen = cider.reduce((a, b) => (b.CIDEr > a.CIDEr ? b : a));
    out.note(`adaptation-select: chose ${chosen.method} (mean CIDEr ${chosen.CIDEr.toFixed(2)} over held-out domains)`);
    await writeFileAtomic(
      join(dir, "selection.json"),
      `${JSON.stringify({ criterion: "CIDEr, mean over held-out source domains and seeds", heldOut, seeds: o.seeds, cider, chosen: chosen.method }, null, 2)}\n`,
    );
  }
});
