import { activeBackend, tf } from "@tavt/core";
import { trainStepper } from "./benchmark";
import type { Captioner } from "./captioner";

/** Options of `profileTrainStep`: the batch, warm-up steps, seed and how many shapes to list. */
export interface ProfileOptions {
  /** Videos per step; default the configuration's `batch`. */
  batch?: number;
  /** Untimed steps before the profiled one; default 1. */
  warmup?: number;
  seed?: number;
  /** Rows of the by-shape table (largest kernel time first); default 30. */
  topShapes?: number;
}

/** One kernel's total time and calls in a profiled step. */
export interface KernelRow {
  kernel: string;
  calls: number;
  ms: number;
  /** Share of all kernel time. */
  share: number;
}

/** One kernel at one input shape in a profiled step. */
export interface KernelShapeRow extends KernelRow {
  /** The input shapes, as "[a,b]x[c,d]". */
  shapes: string;
}

/** A profiled training step: its kernels' time and calls, by kernel and by kernel and shapes. */
export interface TrainStepProfile {
  backend: string;
  config: string;
  batch: number;
  /** Wall time of the profiled step (profiling adds a little of its own). */
  step_ms: number;
  /** Kernel time added up over all calls. */
  kernel_ms: number;
  kernel_calls: number;
  /** step_ms - kernel_ms: tfjs bookkeeping, tape, JS between kernels. */
  outside_kernels_ms: number;
  byKernel: KernelRow[];
  byShape: KernelShapeRow[];
}

const shapeKey = (shapes: readonly (readonly number[] | undefined)[]) =>
  shapes.map((s) => (s ? `[${s.join(",")}]` : "-")).join("x");

/**
 * Profiles one full training step (the loss of eq. 10, its gradient and an Adam update) with `tf.profile`: kernel
 * time added up by kernel name, and by kernel name and input shapes. The table behind `tavt bench profile`.
 *
 * @param model - The captioner to profile.
 * @param options - `batch` (the configuration's), `warmup` (1), `seed` and `topShapes` (30).
 * @returns The step's wall time, kernel time and calls, by kernel and by kernel and input shapes.
 */
export async function profileTrainStep(model: Captioner, options: ProfileOptions = {}): Promise<TrainStepProfile> {
  const batchSize = options.batch ?? model.config.batch;
  const stepper = trainStepper(model, batchSize, options.seed ?? 0);
  const step = (i: number) => stepper.step(i);
  try {
    const warmup = options.warmup ?? 1;
    for (let i = 0; i < warmup; i++) step(i);
    const t0 = performance.now();
    const info = await tf.profile(() => step(warmup));
    const stepMs = performance.now() - t0;
    const byKernel = new Map<string, { calls: number; ms: number }>();
    const byShape = new Map<string, { kernel: string; shapes: string; calls: number; ms: number }>();
    let total = 0;
    for (const kernel of info.kernels) {
      const ms = Number(await kernel.kernelTimeMs) || 0;
      total += ms;
      const a = byKernel.get(kernel.name) ?? { calls: 0, ms: 0 };
      a.calls++;
      a.ms += ms;
      byKernel.set(kernel.name, a);
      const shapes = shapeKey(kernel.inputShapes);
      const key = `${kernel.name} ${shapes}`;
      const b = byShape.get(key) ?? { kernel: kernel.name, shapes, calls: 0, ms: 0 };
      b.calls++;
      b.ms += ms;
      byShape.set(key, b);
    }
    const share = (ms: number) => (total > 0 ? ms / total : 0);
    return {
      backend: activeBackend(),
      config: model.config.name,
      batch: batchSize,
      step_ms: stepMs,
      kernel_ms: total,
      kernel_calls: info.kernels.length,
      outside_kernels_ms: stepMs - total,
      byKernel: [...byKernel]
        .map(([kernel, v]) => ({ kernel, calls: v.calls, ms: v.ms, share: share(v.ms) }))
        .sort((x, y) => y.ms - x.ms),
      byShape: [...byShape.values()]
        .map((v) => ({ ...v, share: share(v.ms) }))
        .sort((x, y) => y.ms - x.ms)
        .slice(0, options.topShapes ?? 30),
    };
  } finally {
    stepper.dispose();
  }
}
