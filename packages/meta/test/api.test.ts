import { disposeTree, flatten, initBackend, isTavtError, type ParamTree, rng, tf } from "@tavt/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BUILTIN_META_LEARNERS,
  createMaml,
  type Episode,
  episodeTasks,
  getMetaLearner,
  type LossFn,
  listMetaLearners,
  makeMetaLearner,
  metaTest,
  metaTrain,
  registerMetaLearner,
  resolveMetaConfig,
  type Task,
  timeMetaSteps,
  unregisterMetaLearner,
} from "../src";
import { registerQueryOnly } from "./customLearner";
import { applyMlp, disposeTasks, initMlp, mse, randomBatch, twoRandomTasks, values, type XYBatch } from "./helpers";

let init: ParamTree;
let tasks: Task<XYBatch>[];

beforeAll(async () => {
  await initBackend();
  init = initMlp(rng.key(21), [3, 6, 2]);
  tasks = twoRandomTasks(rng.key(22));
});
afterAll(() => {
  disposeTree(init);
  disposeTasks(tasks);
});

const thrown = (f: () => unknown): Error => {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected a throw");
};

describe("registry", () => {
  it("lists the built-ins and makes each by name", () => {
    expect(listMetaLearners().slice(0, 5)).toEqual([...BUILTIN_META_LEARNERS]);
    for (const name of BUILTIN_META_LEARNERS) expect(getMetaLearner(name).name).toBe(name);
    const maml = getMetaLearner("maml");
    expect([maml.config.innerLr, maml.config.outerLr, maml.config.innerSteps]).toEqual([1e-4, 1e-3, 1]);
    expect(getMetaLearner("reptile").config.innerSteps).toBe(5);
    expect(getMetaLearner("fomaml", { innerSteps: 3, innerLr: 0.5 }).config.innerSteps).toBe(3);
  });

  it("an unknown name is a TavtError listing what is registered", () => {
    const e = thrown(() => getMetaLearner("mamll"));
    expect(isTavtError(e) && e.code).toBe("NOT_FOUND");
    expect(e.message).toMatch(/"mamll".*maml, fomaml, reptile, anil, joint/);
  });

  it("registers a user's learner (the README's), refuses a taken name, replaces on request, unregisters", async () => {
    registerQueryOnly();
    expect(listMetaLearners()).toContain("query-only");
    expect(() => registerQueryOnly()).toThrow(/already registered/);
    expect(() => registerMetaLearner("bad name", createMaml)).toThrow(/letters, digits/);
    const learner = getMetaLearner("query-only", { outerLr: 0.05 });
    expect(learner.name).toBe("query-only");
    const start = tf.memory().numTensors;
    const r = await metaTrain({
      params: init,
      learner,
      loss: mse,
      steps: 30,
      key: rng.key(0),
      sampleTasks: () => tasks,
    });
    expect(r.reports[29]!.queryLoss).toBeLessThan(0.7 * r.reports[0]!.queryLoss);
    disposeTree(r.params);
    learner.disposeState(r.state);
    expect(tf.memory().numTensors).toBe(start);
    registerMetaLearner(
      "query-only",
      (c) =>
        makeMetaLearner("query-only", resolveMetaConfig(c), () => {
          throw new Error("replaced");
        }),
      { replace: true },
    );
    const replaced = getMetaLearner("query-only");
    const state = replaced.init(init);
    expect(() => replaced.step(init, state, tasks, mse, rng.key(0))).toThrow("replaced");
    replaced.disposeState(state);
    expect(unregisterMetaLearner("query-only")).toBe(true);
    expect(listMetaLearners()).not.toContain("query-only");
  });

  it("bad settings are TavtErrors naming the field", () => {
    for (const [config, field] of [
      [{ innerSteps: 1.5 }, "innerSteps"],
      [{ innerLr: -1 }, "innerLr"],
      [{ outerLr: 0 }, "outerLr"],
      [{ clipNorm: Number.NaN }, "clipNorm"],
    ] as const) {
      const e = thrown(() => getMetaLearner("maml", config));
      expect(isTavtError(e) && e.code).toBe("BAD_CONFIG");
      expect(e.message).toContain(`"${field}"`);
    }
  });
});

describe("Algorithm 1 episodes", () => {
  const b = (name: string) => ({ name }) as unknown as XYBatch;
  const ep: Episode<XYBatch> = {
    supportDomains: ["music", "sports", "news"],
    queryDomain: "cooking",
    support: [b("B1"), b("B2"), b("B3")],
    query: b("Bq"),
  };
  const names = (ts: Task<XYBatch>[]) =>
    ts.map((t) => [
      t.name,
      t.support.map((x) => (x as unknown as { name: string }).name),
      (t.query as unknown as { name: string }).name,
      t.weight ?? 1,
    ]);

  const withEval = { ...ep, supportEval: [b("E1"), b("E2"), b("E3")], queryEval: b("Eq") };

  it('"paper": a task per domain, each evaluated on a fresh batch of its own domain, L_Dq counted K-1 times', () => {
    expect(names(episodeTasks(withEval))).toEqual([
      ["music", ["B1"], "E1", 1],
      ["sports", ["B2"], "E2", 1],
      ["news", ["B3"], "E3", 1],
      ["cooking", ["Bq"], "Eq", 3],
    ]);
    expect(episodeTasks(withEval, { queryTerm: "once" }).at(-1)!.weight).toBe(1);
    // Algorithm 1, line 9 needs the fresh batches: without them it is an error, not a silent fallback
    expect(() => episodeTasks(ep)).toThrow(/fresh batch.*supportEval/);
    expect(() => episodeTasks({ ...ep, supportEval: withEval.supportEval })).toThrow(/queryEval/);
  });

  it('"paper-same-batch": the old reading, each theta\' evaluated on the batch it adapted on', () => {
    expect(names(episodeTasks(ep, { reading: "paper-same-batch" }))).toEqual([
      ["music", ["B1"], "B1", 1],
      ["sports", ["B2"], "B2", 1],
      ["news", ["B3"], "B3", 1],
      ["cooking", ["Bq"], "Bq", 3],
    ]);
    expect(names(episodeTasks(withEval, { reading: "paper-same-batch" })).map((t) => t[2])).toEqual([
      "B1",
      "B2",
      "B3",
      "Bq",
    ]);
  });

  it('"maml": adapt on each support domain, evaluate on the query domain', () => {
    expect(names(episodeTasks(ep, { reading: "maml" }))).toEqual([
      ["music", ["B1"], "Bq", 1],
      ["sports", ["B2"], "Bq", 1],
      ["news", ["B3"], "Bq", 1],
    ]);
  });

  it("malformed episodes are TavtErrors", () => {
    expect(() => episodeTasks({ ...ep, supportDomains: ["music"] })).toThrow(/3 support batches/);
    expect(() => episodeTasks({ ...ep, support: [], supportDomains: [] })).toThrow(/at least one support/);
    expect(() => episodeTasks({ ...withEval, supportEval: [b("E1")] })).toThrow(/supportEval/);
    expect(() => episodeTasks(ep, { reading: "nope" as "maml" })).toThrow(/paper-same-batch/);
  });
});

describe("metaTrain", () => {
  it("is reproducible, resumable (2 + 2 steps == 4 steps), releases every step's tasks, and stops on false", async () => {
    const learner = getMetaLearner("maml", { innerLr: 0.05, outerLr: 0.01 });
    const make = (_step: number, key: ReturnType<typeof rng.key>) => {
      const k = rng.split(key, 2);
      return [{ support: [randomBatch(k[0]!, 4, 3, 2)], query: randomBatch(k[1]!, 4, 3, 2) }];
    };
    let released = 0;
    const release = (ts: Task<XYBatch>[]) => {
      released++;
      disposeTasks(ts);
    };
    const opts = { learner, loss: mse, key: rng.key(5), sampleTasks: make, releaseTasks: release };
    const full = await metaTrain({ ...opts, params: init, steps: 4 });
    const half = await metaTrain({ ...opts, params: init, steps: 2 });
    const rest = await metaTrain({ ...opts, params: half.params, state: half.state, startStep: 2, steps: 2 });
    expect(released).toBe(8);
    for (const [n, t] of Object.entries(flatten(full.params)))
      expect(values(flatten(rest.params)[n]!), n).toEqual(values(t));
    expect(rest.state.step).toBe(4);
    const seen: number[] = [];
    const stopped = await metaTrain({
      ...opts,
      params: init,
      steps: 10,
      onStep: async ({ step }) => {
        seen.push(step);
        return step < 2;
      },
    });
    expect(seen).toEqual([0, 1, 2]);
    expect(stopped.reports).toHaveLength(3);
    for (const r of [full, half, rest, stopped]) {
      disposeTree(r.params);
      learner.disposeState(r.state);
    }
  });
});

describe("metaTest (section 3.4)", () => {
  // a two-part model named like TAVT's tree: "avmm." feeds "decoder."
  const model = () => ({ avmm: initMlp(rng.key(30), [3, 4]), decoder: initMlp(rng.key(31), [4, 2]) });
  const forward = (p: ParamTree, x: tf.Tensor2D) =>
    applyMlp(p.decoder as ParamTree, tf.tanh(applyMlp(p.avmm as ParamTree, x)) as tf.Tensor2D);
  let calls = { full: 0, cap: 0 };
  const full: LossFn<XYBatch> = (p, b) => {
    calls.full++;
    return tf.tidy(
      () =>
        tf
          .mean(tf.square(forward(p, b.x).sub(b.y)))
          .add(tf.mean(tf.square(flatten(p)["avmm.l1.weight"]!))) as tf.Scalar,
    );
  };
  const cap: LossFn<XYBatch> = (p, b) => {
    calls.cap++;
    return tf.tidy(() => tf.mean(tf.square(forward(p, b.x).sub(b.y))) as tf.Scalar);
  };

  it.each([true, false])(
    "withAudio %s: adapts with the full loss, or with L_cap and AVMM frozen",
    async (withAudio) => {
      const params = model();
      const learner = getMetaLearner("maml", { innerLr: 0.1 });
      calls = { full: 0, cap: 0 };
      const r = await metaTest({
        params,
        learner,
        support: [tasks[0]!.support[0]!],
        query: [tasks[0]!.query],
        withAudio,
        loss: full,
        captionLoss: cap,
        steps: 3,
        key: rng.key(0),
        evaluate: (adapted) => values(flatten(adapted)["decoder.l1.weight"]!)[0],
      });
      expect(r.lossUsed).toBe(withAudio ? "full" : "cap");
      expect(r.frozen).toEqual(withAudio ? [] : ["avmm.l1.bias", "avmm.l1.weight"]);
      expect(withAudio ? calls.cap : calls.full).toBe(0);
      expect(withAudio ? calls.full : calls.cap).toBe(4); // 3 steps + 1 query batch
      expect(Number.isFinite(r.queryLoss)).toBe(true);
      const before = flatten(params);
      const after = flatten(r.params!);
      expect(r.evaluation).toBe(values(after["decoder.l1.weight"]!)[0]);
      expect(values(after["decoder.l1.weight"]!)).not.toEqual(values(before["decoder.l1.weight"]!));
      const avmmSame = values(after["avmm.l1.weight"]!).every((v, i) => v === values(before["avmm.l1.weight"]!)[i]);
      expect(avmmSame).toBe(!withAudio);
      disposeTree(r.params!);
      disposeTree(params);
    },
  );

  it("without audio and without an L_cap loss it says what is missing", async () => {
    const params = model();
    await expect(
      metaTest({ params, learner: getMetaLearner("maml"), support: [], withAudio: false, loss: full, key: rng.key(0) }),
    ).rejects.toThrow(/captionLoss/);
    disposeTree(params);
  });
});

describe("timeMetaSteps (the bench helper; timing itself is not checked here)", () => {
  it("counts support + query samples once per distinct batch and leaks nothing", () => {
    const start = tf.memory().numTensors;
    const shared: Task<XYBatch>[] = [{ support: [tasks[0]!.support[0]!], query: tasks[0]!.support[0]! }, tasks[1]!];
    const t = timeMetaSteps({
      learner: getMetaLearner("fomaml"),
      params: init,
      tasks: shared,
      loss: mse,
      batchSize: (b) => b.x.shape[0],
      steps: 2,
      warmup: 1,
    });
    expect(t.samples).toBe(12);
    expect(t.learner).toBe("fomaml");
    expect(t.losses).toHaveLength(2);
    expect(t.samples_per_s).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBe(start);
  });
});
