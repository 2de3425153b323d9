import { disposeTree, flatten, initBackend, type ParamTree, rng } from "@tavt/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getMetaLearner, innerLoop, type Task } from "../src";
import { disposeTasks, initMlp, mse, twoRandomTasks, values, type XYBatch } from "./helpers";

let init: ParamTree;
let tasks: Task<XYBatch>[];

beforeAll(async () => {
  await initBackend();
  init = initMlp(rng.key(7), [3, 5, 2]);
  tasks = twoRandomTasks(rng.key(8));
});
afterAll(() => {
  disposeTree(init);
  disposeTasks(tasks);
});

const snapshot = (p: ParamTree) => Object.fromEntries(Object.entries(flatten(p)).map(([n, t]) => [n, values(t)]));

describe("inner-loop parameter selection (ANIL)", () => {
  it("the inner loop changes only the selected parameters and hands the others through untouched", () => {
    const given = flatten(init);
    const r = innerLoop(
      given,
      tasks[0]!.support,
      mse,
      { steps: 3, lr: 0.1, adapt: (n) => n.startsWith("l2."), differentiable: false },
      rng.key(0),
    );
    expect(r.adapted["l1.weight"]).toBe(given["l1.weight"]);
    expect(r.adapted["l1.bias"]).toBe(given["l1.bias"]);
    expect(values(r.adapted["l2.weight"]!)).not.toEqual(values(given["l2.weight"]!));
    for (const n of ["l2.weight", "l2.bias"]) r.adapted[n]!.dispose();
    r.firstLoss!.dispose();
  });

  it("ANIL's adapt moves only its head (default head names or a regex)", () => {
    const learner = getMetaLearner("anil", { innerParams: /^l2\.weight$/, innerLr: 0.1, innerSteps: 4 });
    const a = learner.adapt(init, tasks[0]!.support, mse, {}, rng.key(0));
    const before = snapshot(init);
    const after = snapshot(a);
    expect(after["l1.weight"]).toEqual(before["l1.weight"]);
    expect(after["l1.bias"]).toEqual(before["l1.bias"]);
    expect(after["l2.bias"]).toEqual(before["l2.bias"]);
    expect(after["l2.weight"]).not.toEqual(before["l2.weight"]);
    disposeTree(a);
  });

  it("ANIL's default head is the decoder's output layers, and a tree without them is a clear error", () => {
    const learner = getMetaLearner("anil");
    expect(learner.config.innerParams("decoder.out.weight")).toBe(true);
    expect(learner.config.innerParams("decoder.lnOut.bias")).toBe(true);
    expect(learner.config.innerParams("decoder.blocks.0.selfAttn.q.weight")).toBe(false);
    expect(learner.config.innerParams("avmm.mapper.weight")).toBe(false);
    const state = learner.init(init);
    expect(() => learner.step(init, state, tasks, mse, rng.key(0))).toThrow(/innerParams.*selects no parameter/);
    learner.disposeState(state);
  });

  it("the outer step still updates every parameter under ANIL", () => {
    const learner = getMetaLearner("anil", { innerParams: "l2.", innerLr: 0.1 });
    const state = learner.init(init);
    const r = learner.step(init, state, tasks, mse, rng.key(0));
    const before = snapshot(init);
    const after = snapshot(r.params);
    for (const n of Object.keys(before)) expect(after[n], n).not.toEqual(before[n]);
    disposeTree(r.params);
    learner.disposeState(state);
    learner.disposeState(r.state);
  });
});

describe("frozen parameters never change", () => {
  it.each(["maml", "fomaml", "reptile", "anil", "joint"])(
    "%s: 5 meta-steps and an adaptation leave l1 bit-identical",
    (name) => {
      const learner = getMetaLearner(name, {
        frozen: ["l1."],
        innerParams: name === "anil" ? "l2." : undefined,
        innerLr: 0.1,
        outerLr: 0.05,
      });
      let params = init;
      let state = learner.init(params);
      expect(Object.keys(flatten(state.adam.m)).sort()).toEqual(["l2.bias", "l2.weight"]);
      for (let i = 0; i < 5; i++) {
        const r = learner.step(params, state, tasks, mse, rng.key(i));
        if (params !== init) disposeTree(params);
        learner.disposeState(state);
        params = r.params;
        state = r.state;
      }
      const adapted = learner.adapt(params, tasks[0]!.support, mse, { steps: 3, lr: 0.1 }, rng.key(9));
      const before = snapshot(init);
      for (const p of [params, adapted]) {
        const now = snapshot(p);
        expect(now["l1.weight"]).toEqual(before["l1.weight"]);
        expect(now["l1.bias"]).toEqual(before["l1.bias"]);
        expect(now["l2.weight"]).not.toEqual(before["l2.weight"]);
      }
      // returned trees are new tensors even for frozen leaves: disposing them leaves the input alive
      expect(flatten(params)["l1.weight"]).not.toBe(flatten(init)["l1.weight"]);
      disposeTree(adapted);
      disposeTree(params);
      learner.disposeState(state);
      expect(flatten(init)["l1.weight"]!.isDisposed).toBe(false);
    },
  );

  it("adapt's extra `frozen` option (frozen AVMM at meta-test) and `trainable` override", () => {
    const learner = getMetaLearner("maml", { innerLr: 0.1 });
    const a = learner.adapt(init, tasks[0]!.support, mse, { steps: 2, frozen: "l2." }, rng.key(0));
    const b = learner.adapt(init, tasks[0]!.support, mse, { steps: 2, trainable: "l2.bias" }, rng.key(0));
    const before = snapshot(init);
    expect(snapshot(a)["l2.weight"]).toEqual(before["l2.weight"]);
    expect(snapshot(a)["l1.weight"]).not.toEqual(before["l1.weight"]);
    expect(snapshot(b)["l2.weight"]).toEqual(before["l2.weight"]);
    expect(snapshot(b)["l2.bias"]).not.toEqual(before["l2.bias"]);
    disposeTree(a);
    disposeTree(b);
    expect(() => learner.adapt(init, tasks[0]!.support, mse, { steps: 1, trainable: "nope." }, rng.key(0))).toThrow(
      /"trainable" selects no parameter/,
    );
  });
});
