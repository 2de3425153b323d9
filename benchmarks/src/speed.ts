/**
 * Training speed of TAVT on config S (or --config NAME) with random inputs: a full training step (AVMM, the
 * (V, A), (V, A+), (V, A-) encoder-decoder passes, backward, Adam), and meta-steps of first-order and second-order
 * MAML (one task: one support and one query batch of the configuration's size, no micro-batching). Medians after
 * warm-up. Prints one JSON line; on the wasm backend it also gives the heap the run grew to (`wasm_heap_mb`, at most
 * 4096: tfjs-backend-wasm is built with a 4 GB MAXIMUM_MEMORY).
 *
 *   pnpm nx run benchmarks:speed            (tsx src/speed.ts, cwd benchmarks/)
 *   pnpm nx run benchmarks:speed:quick      (--quick: config tiny and fewer steps, a smoke test)
 */
import { initBackend, rng, tf } from "@tavt/core";
import { getMetaLearner, timeMetaSteps } from "@tavt/meta";
import {
  benchmarkTrainStep,
  type CaptionBatch,
  type ConfigName,
  disposeBatch,
  makeConfig,
  randomBank,
  randomBatch,
  tavt,
} from "@tavt/model";
import { scriptHelp } from "./lib/help";

const args = process.argv.slice(2);
const quick = scriptHelp("speed", "Training speed of TAVT: a training step and MAML meta-steps (one JSON line).", [
  { flag: "--quick", text: "config tiny (unless --config names one) and fewer steps" },
  { flag: "--config <name>", text: "model configuration: tiny, S (default) or paper" },
]);
const at = args.indexOf("--config");
// --quick is the CI smoke test: the tiny config unless --config names one (a config S step takes about a minute on wasm)
const name = (at >= 0 ? args[at + 1] : quick ? "tiny" : "S") as ConfigName;

const backend = await initBackend();
const config = makeConfig(name);
// a config S meta-step takes minutes on wasm (2 shared cores): few timed steps
const steps = quick ? 2 : 3;
const warmup = 1;
const metaSteps = quick ? 1 : 2;
const bank = randomBank(rng.key(7), config);
const model = tavt(config, { bank });

const train = benchmarkTrainStep(model, { steps, warmup });

const params = model.init(rng.key(1));
const support = randomBatch(rng.key(2), config);
const query = randomBatch(rng.key(3), config);
// first-order first: should second-order MAML exhaust the wasm heap (tfjs then writes through a null pointer and the
// backend is unusable), the other figures are already taken. On S at batch 32 it peaks near 3.9 GB of live tensors.
const meta: Record<string, number | string | null> = {};
for (const [learner, field] of [
  ["fomaml", "fomaml_samples_per_s"],
  ["maml", "maml2_samples_per_s"],
] as const) {
  try {
    const t = timeMetaSteps<CaptionBatch>({
      learner: getMetaLearner(learner),
      params,
      tasks: [{ support: [support], query }],
      loss: model.lossFn({ training: true }),
      batchSize: (b) => b.ids.length,
      steps: metaSteps,
      warmup: 1,
    });
    meta[field] = Number(t.samples_per_s.toFixed(3));
    meta[field.replace("samples_per_s", "step_ms")] = Math.round(t.step_ms);
  } catch (e) {
    meta[field] = null;
    meta[`${learner}_error`] = String(e instanceof Error ? e.message : e)
      .split("\n")[0]!
      .slice(0, 200);
  }
}
disposeBatch(support);
disposeBatch(query);
const wasm = (tf.backend() as unknown as { wasm?: { HEAPU8: Uint8Array } }).wasm;

console.log(
  JSON.stringify({
    backend: backend.backend,
    config: config.name,
    params: train.params,
    batch: train.batch,
    steps: train.steps,
    train_step_ms: Math.round(train.step_ms),
    train_samples_per_s: Number(train.train_samples_per_s.toFixed(3)),
    meta_tasks: 1,
    meta_batch: support.ids.length,
    meta_steps: metaSteps,
    ...meta,
    ...(wasm ? { wasm_heap_mb: Math.round(wasm.HEAPU8.length / 2 ** 20) } : {}),
  }),
);
