import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { disposeTree, type FlatParams, flatten, initBackend, rng, tf, unflatten } from "@tavt/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { worstAllClose } from "../../../tools/test-utils/fixture";
import {
  createMaml,
  jointMetaGradient,
  type MetaGradient,
  mamlMetaGradient,
  partitionTree,
  reptileMetaGradient,
  resolveMetaConfig,
  type Task,
} from "../src";
import { disposeTasks, mse, type XYBatch } from "./helpers";

// Written by tools/golden/meta_maml.py (PyTorch autograd, float64): `/usr/bin/python3 tools/golden/meta_maml.py`.
const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), "../../../tools/fixtures/meta/maml.json");

interface Json {
  shape: number[];
  data: number[];
}
type JsonTree = Record<string, Json>;
interface Fixture {
  config: { innerLr: number; innerSteps: number; outerLr: number };
  params: JsonTree;
  tasks: { support: { x: Json; y: Json }[]; query: { x: Json; y: Json }; weight: number }[];
  expected: Record<string, { grads: JsonTree; loss?: number; afterStep?: JsonTree }>;
}

const fx: Fixture = JSON.parse(readFileSync(FIXTURE, "utf8"));
const t = (j: Json) => tf.tensor(j.data, j.shape);
const batch = (b: { x: Json; y: Json }): XYBatch => ({ x: t(b.x) as tf.Tensor2D, y: t(b.y) as tf.Tensor2D });

/** Every tensor as torch.allclose(got, want, rtol, atol 1e-6). */
function expectTreeClose(got: FlatParams, want: JsonTree, rtol: number, what: string) {
  expect(Object.keys(got).sort(), what).toEqual(Object.keys(want).sort());
  for (const [n, w] of Object.entries(want)) {
    const worst = worstAllClose(got[n]!.dataSync(), w.data, rtol);
    expect(worst.ratio, `${what} ${n}: [${worst.index}] got ${worst.got}, want ${worst.want}`).toBeLessThanOrEqual(1);
  }
}

let tasks: Task<XYBatch>[];
const params = () => unflatten(Object.fromEntries(Object.entries(fx.params).map(([n, j]) => [n, t(j)])));

beforeAll(async () => {
  await initBackend();
  tasks = fx.tasks.map((task) => ({ support: task.support.map(batch), query: batch(task.query), weight: task.weight }));
});
afterAll(() => disposeTasks(tasks));

function run(
  fn: (ctx: Parameters<typeof mamlMetaGradient<XYBatch>>[0]) => MetaGradient,
  config: Parameters<typeof resolveMetaConfig>[0] = {},
): MetaGradient {
  const p = params();
  const cfg = resolveMetaConfig({ ...fx.config, ...config });
  const { picked, rest } = partitionTree(p, (n) => !cfg.frozen(n));
  const g = fn({ params: p, trainable: picked, fixed: rest, tasks, loss: mse, config: cfg, key: rng.key(0) });
  disposeTree(p);
  return g;
}

describe("meta-gradients against PyTorch (3 tasks, 3 inner steps, weights 1, 2, 0.5)", () => {
  const cases: [string, (ctx: Parameters<typeof mamlMetaGradient<XYBatch>>[0]) => MetaGradient, object][] = [
    ["maml", (c) => mamlMetaGradient(c, "second"), {}],
    ["fomaml", (c) => mamlMetaGradient(c, "first"), {}],
    ["anil", (c) => mamlMetaGradient(c, "second"), { innerParams: "l2." }],
    ["frozenL1", (c) => mamlMetaGradient(c, "second"), { frozen: "l1." }],
    ["reptile", (c) => reptileMetaGradient(c), {}],
    ["joint", (c) => jointMetaGradient(c), {}],
  ];
  it.each(cases)("%s matches to 1e-4", (name, fn, config) => {
    const g = run(fn, config);
    const want = fx.expected[name]!;
    expectTreeClose(g.grads, want.grads, 1e-4, name);
    if (want.loss !== undefined) expect(g.loss).toBeCloseTo(want.loss, 4);
    for (const x of Object.values(g.grads)) x.dispose();
  });

  it("the second-order and first-order MAML gradients differ (the fixture is not degenerate)", () => {
    const a = fx.expected.maml!.grads;
    const b = fx.expected.fomaml!.grads;
    const diff = Math.max(...Object.keys(a).flatMap((n) => a[n]!.data.map((v, i) => Math.abs(v - b[n]!.data[i]!))));
    expect(diff).toBeGreaterThan(1e-2);
  });

  it("one maml step is torch.optim.Adam's first step on that meta-gradient", () => {
    const learner = createMaml(fx.config);
    const p = params();
    const state = learner.init(p);
    const r = learner.step(p, state, tasks, mse, rng.key(0));
    expectTreeClose(flatten(r.params), fx.expected.maml!.afterStep!, 1e-6, "after step");
    expect(r.report.loss).toBeCloseTo(fx.expected.maml!.loss!, 4);
    expect(r.report.tasks).toBe(3);
    expect(r.state.step).toBe(1);
    for (const tree of [p, r.params]) disposeTree(tree);
    learner.disposeState(state);
    learner.disposeState(r.state);
  });
});
