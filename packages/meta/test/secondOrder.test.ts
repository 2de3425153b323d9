import { disposeTree, initBackend, rng, tf } from "@tavt/core";
import { beforeAll, describe, expect, it } from "vitest";
import { resolveMetaConfig, secondOrderShare } from "../src";
import { disposeTasks, initMlp, mse } from "./helpers";
import { sineTasks } from "./sineTasks";

beforeAll(async () => {
  await initBackend();
});

// Sine regression tasks on a 1-32-32-1 tanh MLP: the second-order share of MAML's meta-gradient with one inner step.
function share(config: Parameters<typeof resolveMetaConfig>[0]) {
  const params = initMlp(rng.key(3), [1, 32, 32, 1]);
  const tasks = sineTasks(rng.key(4), 4, 10);
  const before = tf.memory().numTensors;
  const r = secondOrderShare(params, tasks, mse, resolveMetaConfig(config), rng.key(5));
  expect(tf.memory().numTensors).toBe(before);
  disposeTasks(tasks);
  disposeTree(params);
  return r;
}

describe("secondOrderShare", () => {
  it("inner SGD: the Hessian terms are a visible part of the meta-gradient", () => {
    const r = share({ innerLr: 0.05, innerOptimizer: "sgd", innerSteps: 1 });
    expect(r.share).toBeGreaterThan(0.02);
    expect(r.cosine).toBeLessThan(0.9999);
    expect(r.secondNorm).toBeGreaterThan(0);
  });

  it("one inner Adam step from zero moments (the paper preset): almost nothing is second-order", () => {
    // Adam's first step is lr * g / (|g| + eps) ~ lr * sign(g): its derivative in theta is ~0.
    const adam = share({ innerLr: 1e-4, innerOptimizer: "adam", innerSteps: 1 });
    const sgd = share({ innerLr: 1e-4, innerOptimizer: "sgd", innerSteps: 1 });
    expect(adam.share).toBeLessThan(1e-3);
    expect(adam.cosine).toBeGreaterThan(0.99999);
    // the same step size with SGD keeps a second-order part orders of magnitude larger relative to Adam's
    expect(sgd.share).toBeGreaterThan(10 * adam.share);
  });
});
