import { copyFileSync, existsSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { disposeTree, type ParamTree, rng, TavtError, writeFileAtomic } from "@tavt/core";
import { BUILTIN_META_LEARNERS } from "@tavt/meta";
import { Command, Option } from "commander";
import { configToYaml, readConfigFile, resolveConfig } from "../config/load";
import type { ExperimentConfig } from "../config/schema";
import { usageError } from "../errors";
import type { Output } from "../output";

import { adaptExperiment } from "../pipeline/adapt";
import { CONFIG_FILE, loadModel, MODEL_FILE, SPACE_FILE, saveModel, VOCAB_FILE } from "../pipeline/checkpoint";
import { captionVideos, evalIds, type GeneratedCaption, scoreCaptions, tracesOf } from "../pipeline/evaluate";
import { type Experiment, prepareExperiment } from "../pipeline/experiment";
import { trainExperiment } from "../pipeline/train";
import { createProgress } from "../progress";
import { alphaTraceSvg, wordModalitySvg } from "../report/charts";
import { runInfo, saveRunInfo } from "../report/runInfo";
import { alignedTable, markdownTable } from "../report/tables";
import { type WordModality, wordModality } from "../report/wordModality";
import {
  type CommonOptions,
  type ConfigOptions,
  configOf,
  ensureBackend,
  example,
  outputOf,
  parseInt10,
  withCommon,
  withConfig,
} from "./common";
import { extractForRun } from "./features";

const collect = (v: string, prev: string[] = []) => [...prev, v];

/** The config saved in a run directory, with `--set` overrides on top. */
function savedConfig(dir: string, sets: readonly string[] = []): ExperimentConfig {
  const file = join(dir, CONFIG_FILE);
  if (!existsSync(file))
    throw new TavtError("NOT_FOUND", `${file}: not found (is ${dir} a tavt run directory?)`, { file });
  const doc = readConfigFile(file);
  return resolveConfig({ overrides: doc, sets, file });
}

/** A trained (or adapted) model from a run directory: the experiment and its parameters. */
async function loadRun(dir: string, config: ExperimentConfig): Promise<{ exp: Experiment; params: ParamTree }> {
  const exp = await prepareExperiment(config, { fromDir: dir });
  const shapes = exp.captioner.init(rng.key(0));
  try {
    const { params } = loadModel(join(dir, MODEL_FILE), shapes);
    return { exp, params };
  } finally {
    disposeTree(shapes);
  }
}

interface TrainOptions extends ConfigOptions {
  out?: string;
  resume?: string;
  stopAfter?: string;
}

function trainCommand(): Command {
  const cmd = withConfig(
    new Command("train")
      .description("meta-train a captioner on the source domains (Algorithm 1) and write .safetensors checkpoints")
      .option(
        "--meta-learner <name|file>",
        `meta-learner: ${BUILTIN_META_LEARNERS.join(", ")}, or a module file of yours (./my-learner.mjs) whose default export is a registerMetaLearner factory`,
      )
      .option("-o, --out <dir>", "run directory: config.yaml, vocab.json, space.safetensors, checkpoint and model")
      .option("--resume <dir>", "continue the run in <dir> from its last checkpoint (same final parameters)")
      .addOption(new Option("--stop-after <steps>", "stop after this many steps, as if killed (testing)").hideHelp()),
  ).action(async (o: TrainOptions) => {
    const out = outputOf(o);
    if (!o.out && !o.resume) throw usageError("train: give --out DIR (or --resume DIR)");
    const dir = (o.resume ?? o.out)!;
    const config = o.resume ? savedConfig(o.resume, o.set) : configOf(o);
    await ensureBackend(out);
    const exp = await prepareExperiment(config, o.resume ? { fromDir: o.resume } : {});
    out.note(`${exp.data.describe}; model ${exp.modelConfig.name}; learner ${exp.learner.name}; seed ${config.seed}`);
    const stopAfter = o.stopAfter !== undefined ? Number(o.stopAfter) : undefined;
    const r = await trainExperiment(exp, { out, dir, resume: Boolean(o.resume), stopAfter });
    const last = r.reports.at(-1);
    const lastValidation = r.curve.validation.at(-1) ?? null;
    // The learning curve of the steps this process took (a resumed run's curve starts where it resumed).
    writeFileAtomic(join(dir, "curve.json"), `${JSON.stringify(r.curve)}\n`);
    const summary = {
      out: dir,
      learner: exp.learner.name,
      seed: config.seed,
      step: r.step,
      steps: config.train.steps,
      stopped: r.stopped,
      seconds: Number(r.seconds.toFixed(2)),
      loss: last?.loss ?? null,
      queryLoss: last?.queryLoss ?? null,
      validation: lastValidation,
      clippedSteps: r.curve.steps.filter((x) => x.clipped).length,
      curve: join(dir, "curve.json"),
      checkpoint: join(dir, r.stopped ? "checkpoint.safetensors" : MODEL_FILE),
    };
    disposeTree(r.params);
    exp.dispose();
    out.result(summary, () =>
      r.stopped
        ? `stopped at step ${r.step}/${config.train.steps}; resume with: tavt train --resume ${dir}`
        : `trained ${r.step} steps in ${summary.seconds}s (last loss ${last?.loss.toFixed(4) ?? "n/a"}); model: ${summary.checkpoint}`,
    );
  });
  return example(
    cmd,
    "pnpm tavt train --preset quick --meta-learner maml --seed 1 --out runs/maml-1",
    "pnpm tavt train --preset quick --meta-learner ./my-learner.mjs --out runs/mine",
    "pnpm tavt train --resume runs/maml-1",
  );
}

interface AdaptOptions extends CommonOptions {
  model: string;
  domain: string;
  out: string;
  set?: string[];
}

function adaptCommand(): Command {
  const cmd = withCommon(
    new Command("adapt")
      .description("meta-test adaptation on a target domain (Algorithm 1, lines 12-16): SGD or Adam on its support set")
      .requiredOption("-m, --model <dir>", "a run directory written by `tavt train`")
      .requiredOption("-d, --domain <name>", "the target domain (e.g. Animation)")
      .requiredOption("-o, --out <dir>", "directory for the adapted model")
      .option("--set <key=value>", "override a config key (e.g. adapt.steps=50)", collect, []),
  ).action(async (o: AdaptOptions) => {
    const out = outputOf(o);
    const config = savedConfig(o.model, o.set);
    await ensureBackend(out);
    const { exp, params } = await loadRun(o.model, config);
    if (!exp.data.dataset.domains.includes(o.domain)) {
      throw usageError(
        `--domain ${o.domain}: not a domain of ${exp.data.dataset.name} (${exp.data.dataset.domains.join(", ")})`,
      );
    }
    const r = await adaptExperiment(exp, params, o.domain, { out });
    mkdirSync(o.out, { recursive: true });
    writeFileAtomic(join(o.out, CONFIG_FILE), configToYaml(config));
    copyFileSync(join(o.model, VOCAB_FILE), join(o.out, VOCAB_FILE));
    if (existsSync(join(o.model, SPACE_FILE))) copyFileSync(join(o.model, SPACE_FILE), join(o.out, SPACE_FILE));
    saveModel(join(o.out, MODEL_FILE), r.params, { adaptedTo: o.domain, from: o.model, lossUsed: r.lossUsed });
    const summary = {
      out: o.out,
      domains: r.domains,
      lossUsed: r.lossUsed,
      supportVideos: r.supportVideos,
      steps: r.losses.length,
      firstLoss: r.losses[0] ?? null,
      lastLoss: r.losses.at(-1) ?? null,
      seconds: Number(r.seconds.toFixed(2)),
    };
    disposeTree(params);
    disposeTree(r.params);
    exp.dispose();
    out.result(
      summary,
      () =>
        `adapted to ${o.domain} (${r.lossUsed} loss, ${r.supportVideos} support videos, ${summary.steps} steps): ${join(o.out, MODEL_FILE)}`,
    );
  });
  return example(cmd, "pnpm tavt adapt --model runs/maml-1 --domain Animation --out runs/maml-1-animation");
}

interface EvalOptions extends CommonOptions {
  model: string;
  domain?: string[];
  out?: string;
  set?: string[];
  minWordCount?: string;
}

/** Figure 10's table: word, times generated, mean gates and mean ratio, most audio-leaning first. */
function wordRows(words: readonly WordModality[]): Record<string, string | number>[] {
  return words.map((w, i) => ({
    rank: i + 1,
    word: w.word,
    count: w.count,
    alpha_av: Number(w.alphaAv.toFixed(4)),
    alpha_va: Number(w.alphaVa.toFixed(4)),
    "alpha_av/alpha_va": Number(w.ratio.toFixed(4)),
  }));
}

/** The human summary of Figure 10: the words leaning most on sound and on sight. */
function wordSummary(words: readonly WordModality[], n = 8): string {
  if (words.length === 0) return "";
  const list = (ws: readonly WordModality[]) => ws.map((w) => `${w.word} ${w.ratio.toFixed(3)}`).join(", ");
  const sound = words.slice(0, Math.min(n, words.length));
  const sight = words.slice(Math.max(sound.length, words.length - n)).reverse();
  return `\nwords by mean alpha_av/alpha_va (Figure 10; ${words.length} word${words.length === 1 ? "" : "s"}): most on sound: ${list(sound)}${sight.length > 0 ? `; most on sight: ${list(sight)}` : ""}`;
}

function evalCommand(): Command {
  const cmd = withCommon(
    new Command("eval")
      .description(
        "caption a split and score it: BLEU-4, METEOR, ROUGE-L, CIDEr (x100); with --out also the alpha traces (Figure 11) and the words ranked by mean alpha_av/alpha_va (Figure 10) as a table and a chart",
      )
      .requiredOption("-m, --model <dir>", "a run directory (from `tavt train` or `tavt adapt`)")
      .option("-d, --domain <name>", "domain to evaluate (repeatable; default the target domains)", collect, [])
      .option(
        "-o, --out <dir>",
        "write captions.json, scores.json, alpha-traces.svg, word-modality.{md,json,svg}, config.yaml and run.json here",
      )
      .option("--set <key=value>", "override a config key (e.g. eval.split=train, eval.beam=5)", collect, [])
      .option("--min-word-count <n>", "Figure 10's word table: words generated at least this often (default 3)"),
  ).action(async (o: EvalOptions) => {
    const out = outputOf(o);
    const minWordCount = parseInt10("--min-word-count", o.minWordCount) ?? 3;
    if (minWordCount < 1) throw usageError(`--min-word-count ${o.minWordCount}: expected a positive integer`);
    const config = savedConfig(o.model, o.set);
    await ensureBackend(out);
    const { exp, params } = await loadRun(o.model, config);
    const domains = o.domain && o.domain.length > 0 ? o.domain : [...exp.data.dataset.targetDomains];
    for (const d of domains) {
      if (!exp.data.dataset.domains.includes(d))
        throw usageError(`--domain ${d}: not a domain of ${exp.data.dataset.name}`);
    }
    const rows: Record<string, string | number>[] = [];
    const all: GeneratedCaption[] = [];
    const idsOf = domains.map((d) => evalIds(exp, d));
    const progress = createProgress(out, {
      label: `eval ${config.eval.split}`,
      total: idsOf.reduce((n, ids) => n + ids.length, 0),
    });
    try {
      domains.forEach((d, i) => {
        const done = all.length;
        const caps = captionVideos(exp, params, idsOf[i]!, { onBatch: (n) => progress.update(done + n) });
        all.push(...caps);
        progress.log(`captioned ${caps.length} ${d} videos`);
        rows.push({ domain: d, videos: caps.length, ...scoreCaptions(caps, config.metrics) });
      });
    } finally {
      progress.stop();
    }
    if (domains.length > 1) rows.push({ domain: "all", videos: all.length, ...scoreCaptions(all, config.metrics) });
    const words = wordModality(all, minWordCount);
    if (o.out) {
      const info = runInfo(`tavt eval --model ${o.model}`, [config.seed], { eval: config });
      saveRunInfo(o.out, info);
      writeFileAtomic(join(o.out, "scores.json"), `${JSON.stringify(rows, null, 2)}\n`);
      writeFileAtomic(join(o.out, "captions.json"), `${JSON.stringify(all, null, 1)}\n`);
      const traces = tracesOf(all, 4);
      if (traces.length > 0) writeFileAtomic(join(o.out, "alpha-traces.svg"), await alphaTraceSvg(traces));
      if (words.length > 0) {
        const table = wordRows(words);
        writeFileAtomic(join(o.out, "word-modality.json"), `${JSON.stringify(words, null, 1)}\n`);
        writeFileAtomic(
          join(o.out, "word-modality.md"),
          `## Words by mean alpha_av / alpha_va over the ${config.eval.split} split (Figure 10)\n\n${markdownTable(table, undefined, 4)}\n`,
        );
        writeFileAtomic(
          join(o.out, "word-modality.svg"),
          await wordModalitySvg(words, {
            title: `Words by mean alpha_av / alpha_va, ${config.eval.split} split of ${domains.join(", ")} (Figure 10)`,
          }),
        );
      }
    }
    disposeTree(params);
    exp.dispose();
    out.result({ split: config.eval.split, rows, words }, () => `${alignedTable(rows)}${wordSummary(words)}`);
  });
  return example(cmd, "pnpm tavt eval --model runs/maml-1-animation --domain Animation --out results/eval-animation");
}

interface CaptionOptions extends CommonOptions {
  model?: string;
  run?: string;
  features?: string;
  videos?: string;
  audioFeatures?: string;
  out?: string;
  set?: string[];
}

function captionCommand(): Command {
  const cmd = withCommon(
    new Command("caption")
      .description("caption videos from feature files; prints captions with per-word alpha traces (Figure 11)")
      .option("-m, --model <dir>", "a run directory (from `tavt train` or `tavt adapt`)")
      .option("--run <dir>", "the same as --model")
      .option("--features <path>", "visual features: .npy directory, .npz or HDF5 (one entry per video id)")
      .option(
        "--videos <dir>",
        "instead of --features: a directory of videos, their features extracted as the run's were (the settings tavt features extract recorded beside the run's feature stores)",
      )
      .option("--audio-features <path>", "audio features in the same layout (without: A_rec stands in)")
      .option("-o, --out <dir>", "write captions.json and alpha-traces.svg here")
      .option("--set <key=value>", "override a config key (e.g. eval.beam=5)", collect, []),
  ).action(async (o: CaptionOptions) => {
    const out = outputOf(o);
    const runDir = o.run ?? o.model;
    if (!runDir) throw usageError("give the run: --run DIR (or --model DIR)", { field: "--run" });
    if ((o.features === undefined) === (o.videos === undefined)) {
      throw usageError("give one of --features (feature files) and --videos (a directory of videos)", {
        field: "--features",
      });
    }
    const config = savedConfig(runDir, o.set);
    let features = o.features;
    let audioFeatures = o.audioFeatures;
    let extracted: Awaited<ReturnType<typeof extractForRun>> | null = null;
    if (o.videos) {
      extracted = await extractForRun(config, o.videos, out);
      features = extracted.visual;
      audioFeatures = extracted.audio ?? undefined;
    }
    try {
      await captionFrom(o, out, config, runDir, features!, audioFeatures);
    } finally {
      if (extracted) rmSync(extracted.dir, { recursive: true, force: true });
    }
    if (extracted && extracted.failed.length > 0) {
      for (const x of extracted.failed) out.note(`failed: ${x.file}: ${x.reason}`);
      throw new Error(`${extracted.failed.length} videos could not be used (listed above); the others were captioned`);
    }
  });
  return example(
    cmd,
    "pnpm tavt caption --model runs/maml-1 --features feats/visual.npz --audio-features feats/audio.npz --out captions/",
    "pnpm tavt caption --run runs/maml-1 --videos new-videos/ --out captions/",
  );
}

/** Caption the videos of feature files with a run (the body of `tavt caption`). */
async function captionFrom(
  o: CaptionOptions,
  out: Output,
  config: ExperimentConfig,
  runDir: string,
  features: string,
  audioFeaturesPath: string | undefined,
): Promise<void> {
  const audioFeatures = audioFeaturesPath;
  await ensureBackend(out);
  const { exp, params } = await loadRun(runDir, config);
  const { openFeaturePaths, CaptionDataset } = await import("@tavt/datasets");
  const stores = await openFeaturePaths({
    visual: features,
    audio: audioFeatures,
    visualDim: exp.modelConfig.visualDim,
    audioDim: audioFeatures ? exp.modelConfig.audioDim : undefined,
  });
  const ids = stores.visual!.ids();
  const ds = new CaptionDataset({
    name: o.videos ?? features,
    videos: ids.map((id) => ({ id, domain: "input", captions: [""], split: "test" as const })),
    visual: stores.visual,
    audio: stores.audio,
  });
  const progress = createProgress(out, { label: "caption", total: ids.length });
  let caps: GeneratedCaption[];
  try {
    caps = captionVideos({ ...exp, data: { ...exp.data, dataset: ds } }, params, ids, {
      onBatch: (n) => progress.update(n),
    });
  } finally {
    progress.stop();
  }
  const result = caps.map((c) => ({
    id: c.id,
    caption: c.caption,
    words: c.words,
    alphaAv: c.alphaAv,
    alphaVa: c.alphaVa,
  }));
  if (o.out) {
    writeFileAtomic(join(o.out, "captions.json"), `${JSON.stringify(result, null, 1)}\n`);
    const traces = tracesOf(caps, 6);
    if (traces.length > 0) writeFileAtomic(join(o.out, "alpha-traces.svg"), await alphaTraceSvg(traces));
  }
  ds.close();
  disposeTree(params);
  exp.dispose();
  out.result(result, () =>
    result
      .map((c) => {
        const gates = c.words.map(
          (w, i) => `${w}(a${(c.alphaAv[i] ?? 0).toFixed(2)}/v${(c.alphaVa[i] ?? 0).toFixed(2)})`,
        );
        return `${c.id}\t${c.caption}\n\t${gates.join(" ")}`;
      })
      .join("\n"),
  );
}

export function pipelineCommands(): Command[] {
  return [trainCommand(), adaptCommand(), evalCommand(), captionCommand()];
}
