import {
  adamInit,
  adamStep,
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

/**
 * The inner Adam of the check: lr 0.05, eps 0.1. With torch's eps 1e-8 the first step is alpha g / (|g| + eps), nearly
 * alpha sign(g): F then bends sharply where a gradient entry crosses 0 and central differences with h = 1e-2 are not
 * accurate (eps 1e-2 gave errors of 0.15 on a gradient scale of 1.5; eps 0.1 and 0.5 agree to 6e-4 and 2e-4).
 */
const ADAM = { lr: 0.05, eps: 0.1 };

/**
 * The outer objective F(theta) = sum_t w_t L_q(theta'_t), written directly with @tavt/core's grad and sgdStep (or,
 * with `optimizer: "adam"`, @tavt/core's torch-checked adamStep): an implementation independent of @tavt/meta's.
 */
function outerObjective(theta: ParamTree, steps: number, optimizer: "sgd" | "adam" = "sgd"): number {
  return tf.tidy(() => {
    let total = 0;
    for (const task of tasks) {
      let p = theta;
      let state = adamInit(theta);
      for (let s = 0; s < steps; s++) {
        const b = task.support[s % task.support.length]!;
        const g = grad((q) => mse(q, b, rng.key(0)), p);
        if (optimizer === "sgd") p = sgdStep(p, g, ALPHA);
        else ({ params: p, state } = adamStep(p, g, state, ADAM));
      }
      total += (task.weight ?? 1) * mse(p, task.query, rng.key(0)).dataSync()[0]!;
    }
    return total;
  });
}

function metaGradient(order: "second" | "first", steps: number, optimizer: "sgd" | "adam" = "sgd") {
  const config = resolveMetaConfig(
    optimizer === "sgd"
      ? { innerLr: ALPHA, innerSteps: steps }
      : { innerLr: ADAM.lr, innerSteps: steps, innerOptimizer: "adam", innerAdam: { eps: ADAM.eps } },
  );
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
function finiteDifferences(steps: number, optimizer: "sgd" | "adam" = "sgd", eps = 1e-2): Record<string, number[]> {
  const flat = flatten(params);
  const out: Record<string, number[]> = {};
  for (const [name, t] of Object.entries(flat)) {
    const base = t.dataSync();
    out[name] = Array.from(base, (_, i) => {
      const at = (s: number) => {
        const v = Float32Array.from(base);
        v[i]! += s;
        const moved = tf.tensor(v, t.shape);
        const f = outerObjective(unflatten({ ...flat, [name]: moved } as FlatParams), steps, optimizer);
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

describe("MAML with an inner Adam (section 4.2) against central finite differences", () => {
  it.each([1, 2])("%i inner Adam step(s): the second-order meta-gradient through Adam's moments matches", (steps) => {
    const fd = finiteDifferences(steps, "adam");
    const second = metaGradient("second", steps, "adam");
    const first = metaGradient("first", steps, "adam");
    const scale = Math.max(...Object.values(fd).flat().map(Math.abs));
    const errSecond = maxAbsDiff(second, fd);
    const errFirst = maxAbsDiff(first, fd);
    expect(errSecond, `second-order error (gradient scale ${scale})`).toBeLessThan(2e-3 * Math.max(1, scale));
    expect(Object.values(second).flat().every(Number.isFinite)).toBe(true);
    // the derivative of Adam's step with respect to theta is far from the identity: first order misses it
    expect(errFirst).toBeGreaterThan(10 * errSecond);
  });

  it("a zero gradient entry gives a finite meta-gradient (sqrt(v) at v = 0 is masked, as higher does)", () => {
    const config = resolveMetaConfig({ innerLr: 0.05, innerSteps: 2, innerOptimizer: "adam" });
    // a loss that ignores every leaf but l1.weight: the others get exact zero gradients, so Adam's v is 0 there
    const loss = (p: ParamTree, b: XYBatch) =>
      tf.tidy(() => {
        const flat = flatten(p);
        return flat["l1.weight"]!.square()
          .sum()
          .add(mse(p, b, rng.key(0)).mul(0)) as tf.Scalar;
      });
    const { picked, rest } = partitionTree(params, (n) => !config.frozen(n));
    const g = mamlMetaGradient(
      { params, trainable: picked, fixed: rest, tasks, loss, config, key: rng.key(0) },
      "second",
    );
    for (const t of Object.values(g.grads)) {
      expect(Array.from(t.dataSync()).every(Number.isFinite)).toBe(true);
      t.dispose();
    }
  });
});
