import { type ParamTree, rng, tf } from "@tavt/core";
import type { CaptionBatch } from "@tavt/datasets";
import type { Experiment } from "./experiment";

/**
 * What is not finite when a step diverged: the parameters theta the step started from (by leaf name), or the loss
 * parts at theta on each task's query batch.
 *
 * @param exp - The prepared experiment.
 * @param params - The parameters the diverged step started from.
 * @param queries - Each task's query batch.
 * @returns A phrase naming up to three non-finite leaves, else the non-finite loss parts, else saying that all were
 *   finite (the update overflowed).
 */
export function explainNonFinite(exp: Experiment, params: ParamTree, queries: CaptionBatch[]): string {
  const bad: string[] = [];
  const walk = (t: ParamTree | tf.Tensor, path: string) => {
    if (bad.length >= 3) return;
    if (t instanceof tf.Tensor) {
      const ok = tf.tidy(() => tf.all(tf.isFinite(t)).dataSync()[0]);
      if (!ok) bad.push(path);
      return;
    }
    for (const [k, v] of Object.entries(t)) walk(v as ParamTree | tf.Tensor, path ? `${path}.${k}` : k);
  };
  walk(params, "");
  if (bad.length > 0) return `parameters already not finite: ${bad.join(", ")}`;
  const names = ["L", "L_cap", "L_rec", "L_dis", "L_dep"];
  const parts = new Set<string>();
  const key = rng.foldIn(exp.key, "divergence");
  for (const q of queries) {
    const v = tf.tidy(() => {
      const p = exp.captioner.lossParts(params, q, key, { training: false });
      return tf.stack([p.total, p.cap, p.rec, p.dis, p.dep]);
    });
    const values = v.dataSync();
    v.dispose();
    values.forEach((x, i) => {
      if (i > 0 && !Number.isFinite(x)) parts.add(`${names[i]} = ${x}`);
    });
  }
  return parts.size > 0
    ? `at the step's start, on its query batches: ${[...parts].join(", ")}`
    : "every loss part is finite at the step's start: the inner loop's update or the meta-gradient overflowed";
}
