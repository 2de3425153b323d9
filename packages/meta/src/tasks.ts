import { type FlatParams, TavtError, tf } from "@tavt/core";
import type { Task } from "./types";

/** Throws a `TavtError` naming the task when it has no support batch although the inner loop takes steps. */
export function checkTasks<B>(tasks: readonly Task<B>[], innerSteps: number, learner: string): void {
  if (tasks.length === 0) throw new TavtError("BAD_INPUT", `meta: ${learner}.step got an empty meta-batch (no task)`);
  tasks.forEach((task, i) => {
    if (innerSteps > 0 && task.support.length === 0) {
      throw new TavtError(
        "BAD_INPUT",
        `meta: task ${i}${task.name ? ` ("${task.name}")` : ""} has no support batch but ${learner} takes ${innerSteps} inner step(s)`,
        { task: i, name: task.name },
      );
    }
    const w = task.weight ?? 1;
    if (!Number.isFinite(w) || w < 0) {
      throw new TavtError("BAD_INPUT", `meta: task ${i} has weight ${w}; expected a finite number >= 0`, { task: i });
    }
  });
}

/** The distinct batches of a list (by identity), in first-seen order. */
export function distinct<B>(batches: readonly B[]): B[] {
  return [...new Set(batches)];
}

/** Read many scalars with one device sync, then dispose them. */
export function readScalars(scalars: tf.Scalar[]): number[] {
  if (scalars.length === 0) return [];
  const values = tf.tidy(() => Array.from(tf.stack(scalars).dataSync()));
  for (const s of scalars) s.dispose();
  return values;
}

export const mean = (xs: readonly number[]): number =>
  xs.length === 0 ? Number.NaN : xs.reduce((a, b) => a + b, 0) / xs.length;

/** acc + g leaf by leaf, kept; the old accumulator and `g` are disposed. Call outside any tidy that should own it. */
export function accumulate(acc: FlatParams | null, g: FlatParams): FlatParams {
  if (acc === null) return g;
  const out: FlatParams = {};
  for (const [n, a] of Object.entries(acc)) {
    out[n] = tf.tidy(() => a.add(g[n]!));
    a.dispose();
    g[n]!.dispose();
  }
  return out;
}
