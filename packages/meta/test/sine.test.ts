import { disposeTree, initBackend, type ParamTree, rng, tf } from "@tavt/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getMetaLearner, metaTrain } from "../src";
import { disposeBatch, disposeTasks, initMlp, mse, type XYBatch } from "./helpers";
import { sampleSine, sineBatch, sineTasks } from "./sineTasks";

// Few-shot sine regression (Finn et al. 2017, section 5.1, scaled down to run in seconds): meta-train a 1-32-32-1
// tanh MLP on meta-batches of 4 tasks with 10 support and 10 query points, then adapt to 20 new sines from 10 points
// with 5 SGD steps and measure the MSE on 100 fresh points of each. Seeded: the numbers are the same every run.
const ALPHA = 0.05;
const META_STEPS = 250;
const TEST_TASKS = 20;

interface Adapted {
  before: number[];
  after: number[];
}

let init: ParamTree;
let targets: { support: XYBatch; query: XYBatch }[];
const results: Record<string, Adapted> = {};

beforeAll(async () => {
  await initBackend();
  init = initMlp(rng.key(1), [1, 32, 32, 1]);
  targets = Array.from({ length: TEST_TASKS }, (_, i) => {
    const [ks, kx, kq] = rng.split(rng.foldIn(rng.key(99), i), 3);
    const sine = sampleSine(ks!);
    return { support: sineBatch(kx!, sine, 10), query: sineBatch(kq!, sine, 100) };
  });
});
afterAll(() => {
  disposeTree(init);
  for (const t of targets) {
    disposeBatch(t.support);
    disposeBatch(t.query);
  }
});

const loss = (p: ParamTree, b: XYBatch) => tf.tidy(() => mse(p, b, rng.key(0)).dataSync()[0]!);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

async function trainAndAdapt(name: string): Promise<Adapted> {
  const learner = getMetaLearner(name, { innerLr: ALPHA, outerLr: 0.01 });
  const trained = await metaTrain({
    params: init,
    learner,
    loss: mse,
    steps: META_STEPS,
    key: rng.key(2),
    sampleTasks: (_step, key) => sineTasks(key, 4, 10),
    releaseTasks: disposeTasks,
  });
  const out: Adapted = { before: [], after: [] };
  for (const t of targets) {
    const adapted = learner.adapt(trained.params, [t.support], mse, { steps: 5, lr: ALPHA }, rng.key(0));
    out.before.push(loss(trained.params, t.query));
    out.after.push(loss(adapted, t.query));
    disposeTree(adapted);
  }
  disposeTree(trained.params);
  learner.disposeState(trained.state);
  return out;
}

describe("few-shot sine regression: meta-learned initialisations adapt better than joint training", () => {
  it.each(["joint", "maml", "reptile"])("meta-trains %s and adapts it to 20 new sines", async (name) => {
    results[name] = await trainAndAdapt(name);
    const r = results[name]!;
    expect(r.after.every(Number.isFinite)).toBe(true);
    // adapting from 10 points on average helps every learner (5 steps on the target's own task)
    expect(mean(r.after)).toBeLessThan(mean(r.before));
  });

  it.each(["maml", "reptile"])("%s: lower post-adaptation MSE than joint, on average and on most tasks", (name) => {
    const joint = results.joint!;
    const r = results[name]!;
    const wins = r.after.filter((v, i) => v < joint.after[i]!).length;
    expect(mean(r.after), `${name} ${mean(r.after)} vs joint ${mean(joint.after)}`).toBeLessThan(
      0.75 * mean(joint.after),
    );
    expect(wins, `${name} beats joint on ${wins}/${TEST_TASKS} tasks`).toBeGreaterThanOrEqual(14);
    // and the gain comes from adaptation: the meta-learned init improves more in 5 steps than joint's does
    expect(mean(r.before) - mean(r.after)).toBeGreaterThan(2 * (mean(joint.before) - mean(joint.after)));
  });
});
