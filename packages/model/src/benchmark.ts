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

/**
 * Times full training steps of a captioner on random inputs of its configuration's sizes: the loss of eq. 10
 * (for TAVT: AVMM, the (V, A), (V, A+), (V, A-) encoder-decoder passes and all four losses), its gradient,
 * and an Adam update; median over `steps` after `warmup`.
 */
export function benchmarkTrainStep(model: Captioner, options: TrainStepBenchmarkOptions = {}): TrainStepBenchmark {
  const steps = options.steps ?? 5;
  const warmup = options.warmup ?? 2;
  const batchSize = options.batch ?? model.config.batch;
  const key = rng.key(options.seed ?? 0);
  const k = rng.splitNamed(key, ["init", "batch", "dropout"]);
  let params: ParamTree = model.init(k.init);
  let state = adamInit(params);
  const batch = randomBatch(k.batch, model.config, { batch: batchSize });
  const loss = model.lossFn({ training: true });
  const times: number[] = [];
  try {
    for (let i = 0; i < warmup + steps; i++) {
      const t0 = performance.now();
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
      const ms = performance.now() - t0;
      if (i >= warmup) {
        times.push(ms);
        options.onStep?.(i - warmup, ms);
      }
    }
  } finally {
    disposeBatch(batch);
  }
  const count = countParams(params);
  disposeTree(params);
  disposeTree(state.m);
  disposeTree(state.v);
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
