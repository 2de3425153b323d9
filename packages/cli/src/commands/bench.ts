import { disposeTree, rng, type tf } from "@tavt/core";
import { getMetaLearner, type Task, timeMetaSteps } from "@tavt/meta";
import {
  benchmarkTrainStep,
  type CaptionBatch,
  configs,
  disposeBatch,
  makeConfig,
  profileTrainStep,
  randomBank,
  randomBatch,
  tavt,
} from "@tavt/model";
import { Command, Option } from "commander";
import { usageError } from "../errors";
import { type CommonOptions, ensureBackend, example, outputOf, parseInt10, withCommon } from "./common";

interface SpeedOptions extends CommonOptions {
  size: string;
  /** The old spelling of --size, refused with a message naming the new one (--config is a YAML file elsewhere). */
  config?: string;
  steps: string;
  warmup: string;
  batch?: string;
  metaSteps: string;
  metaWarmup: string;
}

/**
 * Training throughput of TAVT (issue 7) and of its meta-steps (issue 9): a full training step (all three
 * encoder-decoder passes of DCCL, backward, Adam) and second-order / first-order MAML meta-steps (one support
 * and one query batch per task, 2 tasks), median of timed steps after warm-up. First-order MAML is timed before
 * second-order MAML: should the latter exhaust the wasm heap, the backend is unusable afterwards, and its figure is
 * then null with the error beside it (`maml2_error`). The meta-steps run at the full batch (no micro-batching).
 */
async function speed(o: SpeedOptions) {
  const out = outputOf(o);
  if (o.config !== undefined) {
    throw usageError(`bench speed --config was renamed --size (a model size: ${Object.keys(configs).join(", ")})`, {
      field: "--config",
    });
  }
  if (!(o.size in configs)) throw usageError(`--size ${o.size}: expected one of ${Object.keys(configs).join(", ")}`);
  const backend = await ensureBackend(out);
  const steps = parseInt10("--steps", o.steps)!;
  const warmup = parseInt10("--warmup", o.warmup)!;
  const metaSteps = parseInt10("--meta-steps", o.metaSteps)!;
  const metaWarmup = parseInt10("--meta-warmup", o.metaWarmup)!;
  const config = makeConfig(o.size as keyof typeof configs);
  const batch = parseInt10("--batch", o.batch) ?? config.batch;
  const bank = randomBank(rng.key(7), config) as tf.Tensor2D;
  const model = tavt(config, { bank });
  out.note(`timing a full TAVT training step (config ${config.name}, batch ${batch}) ...`);
  const train = benchmarkTrainStep(model, {
    steps,
    warmup,
    batch,
    onStep: (i, ms) => out.note(`  train step ${i + 1}/${steps}: ${ms.toFixed(0)} ms`),
  });
  const params = model.init(rng.key(0));
  const batches: CaptionBatch[] = [0, 1, 2, 3].map((i) => randomBatch(rng.key(100 + i), config, { batch }));
  const tasks: Task<CaptionBatch>[] = [
    { support: [batches[0]!], query: batches[1]! },
    { support: [batches[2]!], query: batches[3]! },
  ];
  const meta: Record<string, number | string | null> = {};
  for (const [name, key] of [
    ["fomaml", "fomaml"],
    ["maml", "maml2"],
  ] as const) {
    out.note(`timing ${name} meta-steps (2 tasks of one support and one query batch) ...`);
    try {
      const t = timeMetaSteps({
        learner: getMetaLearner(name),
        params,
        tasks,
        loss: model.lossFn({ training: true }),
        batchSize: (b) => b.ids.length,
        steps: metaSteps,
        warmup: metaWarmup,
        onStep: (i, ms) => out.note(`  ${name} step ${i + 1}/${metaSteps}: ${ms.toFixed(0)} ms`),
      });
      meta[`${key}_samples_per_s`] = t.samples_per_s;
      meta[`${key}_step_ms`] = t.step_ms;
    } catch (e) {
      meta[`${key}_samples_per_s`] = null;
      meta[`${key}_error`] = String(e instanceof Error ? e.message : e)
        .split("\n")[0]!
        .slice(0, 200);
    }
  }
  disposeTree(params);
  for (const b of batches) disposeBatch(b);
  bank.dispose();
  const result = {
    backend,
    config: config.name,
    params: train.params,
    batch,
    steps,
    warmup,
    meta_steps: metaSteps,
    meta_warmup: metaWarmup,
    train_step_ms: train.step_ms,
    train_samples_per_s: train.train_samples_per_s,
    ...meta,
    // the process's peak resident memory (native and cpu tensors live outside the wasm heap)
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
  out.result(result, () =>
    Object.entries(result)
      .map(([k, v]) => `${k.padEnd(22)} ${typeof v === "number" && !Number.isInteger(v) ? v.toFixed(2) : v}`)
      .join("\n"),
  );
}

interface ProfileCliOptions extends CommonOptions {
  size: string;
  batch?: string;
  warmup: string;
  top: string;
  config?: string;
}

/**
 * Kernel time of one full TAVT training step on the active backend (issue 14): by kernel name, and by kernel and
 * input shapes, with the time spent outside kernels (tfjs bookkeeping and the JS between kernels).
 */
async function profile(o: ProfileCliOptions) {
  const out = outputOf(o);
  if (o.config !== undefined) {
    throw usageError(`bench profile: --config is a YAML file elsewhere; name the model size with --size ${o.config}`);
  }
  if (!(o.size in configs)) throw usageError(`--size ${o.size}: expected one of ${Object.keys(configs).join(", ")}`);
  await ensureBackend(out);
  const config = makeConfig(o.size as keyof typeof configs);
  const batch = parseInt10("--batch", o.batch) ?? config.batch;
  const warmup = parseInt10("--warmup", o.warmup)!;
  const top = parseInt10("--top", o.top)!;
  const bank = randomBank(rng.key(7), config) as tf.Tensor2D;
  out.note(`profiling one TAVT training step (config ${config.name}, batch ${batch}, ${warmup} warm-up step(s)) ...`);
  const p = await profileTrainStep(tavt(config, { bank }), { batch, warmup, topShapes: top });
  bank.dispose();
  const result = p;
  const ms = (x: number) => x.toFixed(1).padStart(10);
  out.result(result, () =>
    [
      `backend ${p.backend}, config ${p.config}, batch ${p.batch}`,
      `step ${p.step_ms.toFixed(0)} ms: kernels ${p.kernel_ms.toFixed(0)} ms in ${p.kernel_calls} calls, outside kernels ${p.outside_kernels_ms.toFixed(0)} ms`,
      "",
      `${"kernel".padEnd(24)} ${"calls".padStart(7)} ${"ms".padStart(10)} ${"share".padStart(7)}`,
      ...p.byKernel.map(
        (r) =>
          `${r.kernel.padEnd(24)} ${String(r.calls).padStart(7)} ${ms(r.ms)} ${(100 * r.share).toFixed(1).padStart(6)}%`,
      ),
      "",
      `${"kernel".padEnd(20)} ${"input shapes".padEnd(36)} ${"calls".padStart(6)} ${"ms".padStart(10)} ${"share".padStart(7)}`,
      ...p.byShape.map(
        (r) =>
          `${r.kernel.padEnd(20)} ${r.shapes.padEnd(36)} ${String(r.calls).padStart(6)} ${ms(r.ms)} ${(100 * r.share).toFixed(1).padStart(6)}%`,
      ),
    ].join("\n"),
  );
}

export function benchCommand(): Command {
  const bench = new Command("bench").description("speed benchmarks");
  const s = withCommon(
    new Command("speed")
      .description("samples per second of a full TAVT training step and of MAML / first-order MAML meta-steps")
      .option("--size <name>", "model size: tiny, S or paper", "S")
      .addOption(new Option("--config <name>").hideHelp())
      .option("--steps <n>", "timed steps (median reported)", "5")
      .option("--warmup <n>", "untimed steps first", "2")
      .option("--batch <n>", "videos per batch (default the configuration's)")
      .option("--meta-steps <n>", "timed meta-steps per learner (a config S meta-step takes minutes on wasm)", "2")
      .option("--meta-warmup <n>", "untimed meta-steps first", "1"),
  ).action(speed);
  example(s, "pnpm tavt bench speed --size S --json");
  bench.addCommand(s);
  const p = withCommon(
    new Command("profile")
      .description("kernel time of one TAVT training step on the active backend, by kernel and by kernel and shapes")
      .option("--size <name>", "model size: tiny, S or paper", "S")
      .option("--batch <n>", "videos per batch (default the size's)")
      .option("--warmup <n>", "untimed steps first", "1")
      .option("--top <n>", "rows of the by-shape table", "30")
      .addOption(new Option("--config <name>").hideHelp()),
  ).action(profile);
  example(p, "pnpm -s tavt bench profile --size S --batch 8", "TAVT_BACKEND=wasm pnpm -s tavt bench profile --json");
  bench.addCommand(p);
  return bench;
}
