import {
  activeBackend,
  adamInit,
  adamStep,
  countParams,
  disposeTree,
  type ParamTree,
  rng,
  valueAndGrad,
} from "@tavt/core";
import type { Captioner } from "./captioner";
import { disposeBatch, randomBatch } from "./randomBatch";

/** Options of `benchmarkTrainStep`: steps, warm-up steps and the batch. */
export interface TrainStepBenchmarkOptions {
  /** Timed steps; default 5. */
  steps?: number;
  /** Untimed steps first (kernel compilation, allocation); default 2. */
  warmup?: number;
  /** Videos per step; default the configuration's `batch`. */
  batch?: number;
  seed?: number;
  /** Called after each timed step with its duration (libraries never print). */
  onStep?: (step: number, ms: number) => void;
}

/** What `benchmarkTrainStep` returns: the model, its parameter count, the median step time and samples per second. */
export interface TrainStepBenchmark {
  backend: string;
  config: string;
  model: Captioner["kind"];
  params: number;
  batch: number;
  steps: number;
  warmup: number;
  /** Median wall time of one full training step (forward, backward, Adam). */
  step_ms: number;
  train_samples_per_s: number;
}

/** One full training step at a time (loss of eq. 10, gradient, Adam) on a fixed random batch; what benchmarks time. */
export interface TrainStepper {
  /** Runs step `i` (dropout key folded with i) and waits for it to finish. */
  step(i: number): void;
  /** Parameters of the model. */
  params(): number;
  dispose(): void;
}

/**
 * The training step `benchmarkTrainStep` times and `profileTrainStep` profiles.
 *
 * @param model - The captioner.
 * @param batchSize - Videos in the random batch.
 * @param seed - Seeds the parameters, the batch and the dropout keys.
 * @returns The stepper; call `dispose` when done.
 */
export function trainStepper(model: Captioner, batchSize: number, seed: number): TrainStepper {
  const k = rng.splitNamed(rng.key(seed), ["init", "batch", "dropout"]);
  let params: ParamTree = model.init(k.init);
  let state = adamInit(params);
  const batch = randomBatch(k.batch, model.config, { batch: batchSize });
  const loss = model.lossFn({ training: true });
  return {
    step(i) {
      const { value, grads } = valueAndGrad((p) => loss(p, batch, rng.foldIn(k.dropout, i)), params);
      const next = adamStep(params, grads, state, { lr: 1e-4 });
      value.dataSync(); // wait for the step to finish
      disposeTree(grads);
      value.dispose();
      disposeTree(params);
      disposeTree(state.m);
      disposeTree(state.v);
      params = next.params;
      state = next.state;
    },
    params: () => countParams(params),
    dispose() {
      disposeBatch(batch);
      disposeTree(params);
      disposeTree(state.m);
      disposeTree(state.v);
    },
  };
}

/**
 * Times full training steps of a captioner on random inputs of its configuration's sizes: the loss of eq. 10
 * (for TAVT: AVMM, the (V, A), (V, A+), (V, A-) encoder-decoder passes and all four losses), its gradient,
 * and an Adam update; median over `steps` after `warmup`.
 *
 * @param model - The captioner to time.
 * @param options - `steps` (5), `warmup` (2), `batch` (the configuration's), `seed` and `onStep`.
 * @returns The backend, configuration, model kind, parameter count, median step time and samples per second.
 */
export function benchmarkTrainStep(model: Captioner, options: TrainStepBenchmarkOptions = {}): TrainStepBenchmark {
  const steps = options.steps ?? 5;
  const warmup = options.warmup ?? 2;
  const batchSize = options.batch ?? model.config.batch;
  const stepper = trainStepper(model, batchSize, options.seed ?? 0);
  const times: number[] = [];
  let count = 0;
  try {
    for (let i = 0; i < warmup + steps; i++) {
      const t0 = performance.now();
      stepper.step(i);
      const ms = performance.now() - t0;
      if (i >= warmup) {
        times.push(ms);
        options.onStep?.(i - warmup, ms);
      }
    }
    count = stepper.params();
  } finally {
    stepper.dispose();
  }
  const sorted = [...times].sort((a, b) => a - b);
  const mid =
    sorted.length % 2
      ? sorted[(sorted.length - 1) / 2]!
      : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
  return {
    backend: activeBackend(),
    config: model.config.name,
    model: model.kind,
    params: count,
    batch: batchSize,
    steps,
    warmup,
    step_ms: mid,
    train_samples_per_s: (batchSize * 1000) / mid,
  };
}
