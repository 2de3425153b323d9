import {
  adamInit,
  adamStep,
  disposeTree,
  flatten,
  grad,
  initBackend,
  type ParamTree,
  rng,
  sgdStep,
  tf,
} from "@tavt/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getMetaLearner, resolveMetaConfig } from "../src";
import { disposeTasks, initMlp, mse, randomBatch, type XYBatch } from "./helpers";

let params: ParamTree;
let support: XYBatch[];

beforeAll(async () => {
  await initBackend();
  params = initMlp(rng.key(21), [3, 5, 2]);
  support = [randomBatch(rng.key(22), 6, 3, 2), randomBatch(rng.key(23), 6, 3, 2)];
});
afterAll(() => {
  disposeTree(params);
  disposeTasks([{ support, query: support[0]! }]);
});

/** `steps` steps of @tavt/core's sgdStep or torch-checked adamStep over the support batches (the reference). */
function reference(optimizer: "sgd" | "adam", steps: number, lr: number): Record<string, number[]> {
  return tf.tidy(() => {
    let p = params;
    let state = adamInit(params);
    for (let s = 0; s < steps; s++) {
      const g = grad((q) => mse(q, support[s % support.length]!, rng.key(0)), p);
      if (optimizer === "sgd") p = sgdStep(p, g, lr);
      else ({ params: p, state } = adamStep(p, g, state, { lr }));
    }
    return Object.fromEntries(Object.entries(flatten(p)).map(([n, t]) => [n, Array.from(t.dataSync())]));
  });
}

const close = (got: Record<string, number[]>, want: Record<string, number[]>) => {
  for (const [n, w] of Object.entries(want)) {
    w.forEach((v, i) => {
      expect(Math.abs(got[n]![i]! - v), `${n}[${i}]`).toBeLessThanOrEqual(1e-6 + 1e-5 * Math.abs(v));
    });
  }
};

describe("meta-test adaptation with SGD or Adam (section 4.2)", () => {
  it.each(["sgd", "adam"] as const)("adapt with %s takes the reference optimiser's steps", (optimizer) => {
    const learner = getMetaLearner("maml", { innerLr: 0.01 });
    const start = tf.memory().numTensors;
    const adapted = learner.adapt(params, support, mse, { steps: 4, optimizer }, rng.key(0));
    const got = Object.fromEntries(Object.entries(flatten(adapted)).map(([n, t]) => [n, Array.from(t.dataSync())]));
    disposeTree(adapted);
    expect(tf.memory().numTensors).toBe(start);
    close(got, reference(optimizer, 4, 0.01));
  });

  it("the learner's innerOptimizer is adapt's default", () => {
    const adam = getMetaLearner("maml", { innerLr: 1e-4, innerOptimizer: "adam" });
    const sgd = getMetaLearner("maml", { innerLr: 1e-4 });
    expect(adam.config.innerOptimizer).toBe("adam");
    expect(sgd.config.innerOptimizer).toBe("sgd");
    close(
      (() => {
        const a = adam.adapt(params, support, mse, { steps: 3 }, rng.key(0));
        const out = Object.fromEntries(Object.entries(flatten(a)).map(([n, t]) => [n, Array.from(t.dataSync())]));
        disposeTree(a);
        return out;
      })(),
      reference("adam", 3, 1e-4),
    );
  });

  it("an unknown optimiser is a BAD_CONFIG error naming the field", () => {
    expect(() => resolveMetaConfig({ innerOptimizer: "rmsprop" as "sgd" })).toThrow(
      /"innerOptimizer" must be "sgd" or "adam"/,
    );
    const learner = getMetaLearner("maml");
    expect(() => learner.adapt(params, support, mse, { steps: 1, optimizer: "lbfgs" as "sgd" }, rng.key(0))).toThrow(
      /adapt optimizer/,
    );
  });
});
