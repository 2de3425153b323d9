import { disposeTree, initBackend, type ParamTree, rng, tf } from "@tavt/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { episodeTasks, getMetaLearner, metaTest, metaTrain } from "../src";
import { disposeTasks, initMlp, mse, randomBatch } from "./helpers";

let init: ParamTree;

beforeAll(async () => {
  await initBackend();
  init = initMlp(rng.key(3), [3, 8, 8, 2]);
});
afterAll(() => disposeTree(init));

/** A fresh Algorithm 1 episode (3 support domains, 1 query domain) of random batches, with fresh eval batches. */
function episode(key: ReturnType<typeof rng.key>) {
  const k = rng.split(key, 8);
  return {
    supportDomains: ["a", "b", "c"],
    queryDomain: "d",
    support: k.slice(0, 3).map((kk) => randomBatch(kk, 4, 3, 2)),
    query: randomBatch(k[3]!, 6, 3, 2),
    supportEval: k.slice(4, 7).map((kk) => randomBatch(kk, 4, 3, 2)),
    queryEval: randomBatch(k[7]!, 6, 3, 2),
  };
}

describe("no tensor leaks", () => {
  it.each([
    ["maml", {}],
    ["fomaml", {}],
    ["reptile", { innerSteps: 2 }],
    ["anil", { innerParams: "l3." }],
    ["joint", {}],
    ["maml", { frozen: "l1.", innerSteps: 2, clipNorm: 1 }],
    ["maml", { innerOptimizer: "adam" as const, innerSteps: 2 }],
    ["reptile", { innerOptimizer: "adam" as const, innerSteps: 2 }],
  ])(
    "%s %j: tf.memory().numTensors is flat over 50 meta-steps and back to the start after disposal",
    async (name, config) => {
      const start = tf.memory().numTensors;
      const learner = getMetaLearner(name, { innerLr: 0.01, ...config });
      const counts: number[] = [];
      const r = await metaTrain({
        params: init,
        learner,
        loss: mse,
        steps: 50,
        key: rng.key(4),
        sampleTasks: (_s, key) => episodeTasks(episode(key)),
        releaseTasks: disposeTasks,
        onStep: () => {
          counts.push(tf.memory().numTensors);
          return undefined;
        },
      });
      expect(r.reports).toHaveLength(50);
      expect(r.reports.every((x) => Number.isFinite(x.loss))).toBe(true);
      expect(new Set(counts.slice(1)).size, `counts ${counts.slice(0, 5)} .. ${counts.slice(-3)}`).toBe(1);
      // meta-test adaptation, repeated, leaks nothing either
      const support = [randomBatch(rng.key(5), 4, 3, 2)];
      const before = tf.memory().numTensors;
      for (let i = 0; i < 5; i++) {
        const t = await metaTest({
          params: r.params,
          learner,
          support,
          withAudio: true,
          loss: mse,
          steps: 3,
          query: support,
          key: rng.key(i),
          keepParams: false,
        });
        expect(t.params).toBeNull();
      }
      expect(tf.memory().numTensors).toBe(before);
      disposeTasks([{ support, query: support[0]! }]);
      disposeTree(r.params);
      learner.disposeState(r.state);
      expect(tf.memory().numTensors).toBe(start);
    },
  );
});
