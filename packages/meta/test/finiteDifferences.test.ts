import {
  disposeTree,
  type FlatParams,
  flatten,
  grad,
  initBackend,
  type ParamTree,
  rng,
  sgdStep,
  tf,
  unflatten,
} from "@tavt/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mamlMetaGradient, partitionTree, resolveMetaConfig, type Task } from "../src";
import { disposeTasks, initMlp, mse, randomBatch, type XYBatch } from "./helpers";

const ALPHA = 0.2;
let params: ParamTree;
let tasks: Task<XYBatch>[];

beforeAll(async () => {
  await initBackend();
  const k = rng.splitNamed(rng.key(11), ["init", "data"]);
  params = initMlp(k.init, [2, 6, 1]);
  // non-zero biases so every coordinate matters
  params = unflatten(
    Object.fromEntries(
      Object.entries(flatten(params)).map(([n, t], i) => [
        n,
        n.endsWith("bias") ? rng.normal(rng.foldIn(k.init, i), t.shape, 0, 0.3) : t,
      ]),
    ),
  );
  const d = rng.split(k.data, 6);
  tasks = [
    { support: [randomBatch(d[0]!, 5, 2, 1)], query: randomBatch(d[1]!, 5, 2, 1) },
    {
      support: [randomBatch(d[2]!, 5, 2, 1), randomBatch(d[3]!, 5, 2, 1)],
      query: randomBatch(d[4]!, 5, 2, 1),
      weight: 0.5,
    },
  ];
});
afterAll(() => {
  disposeTree(params);
  disposeTasks(tasks);
});

/** The outer objective F(theta) = sum_t w_t L_q(theta'_t), written directly with @tavt/core's grad and sgdStep. */
function outerObjective(theta: ParamTree, steps: number): number {
  return tf.tidy(() => {
    let total = 0;
    for (const task of tasks) {
      let p = theta;
      for (let s = 0; s < steps; s++) {
        const b = task.support[s % task.support.length]!;
        p = sgdStep(
          p,
          grad((q) => mse(q, b, rng.key(0)), p),
          ALPHA,
        );
      }
      total += (task.weight ?? 1) * mse(p, task.query, rng.key(0)).dataSync()[0]!;
    }
    return total;
  });
}

function metaGradient(order: "second" | "first", steps: number): Record<string, number[]> {
  const config = resolveMetaConfig({ innerLr: ALPHA, innerSteps: steps });
  const { picked, rest } = partitionTree(params, () => true);
  const g = mamlMetaGradient(
    { params, trainable: picked, fixed: rest, tasks, loss: mse, config, key: rng.key(0) },
    order,
  );
  const out = Object.fromEntries(Object.entries(g.grads).map(([n, t]) => [n, Array.from(t.dataSync())]));
  for (const t of Object.values(g.grads)) t.dispose();
  return out;
}

/** Central differences of F in float32, every coordinate: eps 1e-2 keeps rounding (~1e-5) and truncation small. */
function finiteDifferences(steps: number, eps = 1e-2): Record<string, number[]> {
  const flat = flatten(params);
  const out: Record<string, number[]> = {};
  for (const [name, t] of Object.entries(flat)) {
    const base = t.dataSync();
    out[name] = Array.from(base, (_, i) => {
      const at = (s: number) => {
        const v = Float32Array.from(base);
        v[i]! += s;
        const moved = tf.tensor(v, t.shape);
        const f = outerObjective(unflatten({ ...flat, [name]: moved } as FlatParams), steps);
        moved.dispose();
        return f;
      };
      return (at(eps) - at(-eps)) / (2 * eps);
    });
  }
  return out;
}

const maxAbsDiff = (a: Record<string, number[]>, b: Record<string, number[]>) =>
  Math.max(...Object.keys(a).flatMap((n) => a[n]!.map((v, i) => Math.abs(v - b[n]![i]!))));

describe("MAML meta-gradient against central finite differences of the outer objective", () => {
  it.each([1, 2])("%i inner step(s): second order matches, first order does not", (steps) => {
    const fd = finiteDifferences(steps);
    const second = metaGradient("second", steps);
    const first = metaGradient("first", steps);
    const scale = Math.max(...Object.values(fd).flat().map(Math.abs));
    const errSecond = maxAbsDiff(second, fd);
    const errFirst = maxAbsDiff(first, fd);
    expect(errSecond, `second-order error (gradient scale ${scale})`).toBeLessThan(2e-3 * Math.max(1, scale));
    // the first-order approximation misses the Hessian terms by far more than the tolerance
    expect(errFirst).toBeGreaterThan(20 * errSecond);
    expect(errFirst).toBeGreaterThan(2e-2 * scale);
  });
});
