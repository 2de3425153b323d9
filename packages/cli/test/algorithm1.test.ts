import { initBackend, rng } from "@tavt/core";
import { type CaptionBatch, disposeBatch } from "@tavt/datasets";
import type { Task } from "@tavt/meta";
import { beforeAll, describe, expect, it } from "vitest";
import { resolveConfig } from "../src/config/load";
import { prepareExperiment } from "../src/pipeline/experiment";
import { samplerOf, tasksOf } from "../src/pipeline/train";

beforeAll(async () => {
  await initBackend();
});

const release = (tasks: Task<CaptionBatch>[]) => {
  for (const b of new Set(tasks.flatMap((t) => [...t.support, t.query]))) disposeBatch(b);
};

/** Issue 15, point 4: Algorithm 1, line 9 evaluates each adapted theta' on a fresh batch; m > k (section 3.1). */
describe("meta-training episodes (Algorithm 1, lines 2-9)", () => {
  const sets = ["data.synthetic.videos=300", "train.batchSize=3", "train.supportDomains=null"];

  it('"paper": every task is evaluated on other videos of its own domain than it adapted on; query m = 2k', async () => {
    const config = resolveConfig({ preset: "quick", sets: [...sets, "meta.reading=paper"] });
    const exp = await prepareExperiment(config);
    const sampler = samplerOf(exp);
    for (let step = 0; step < 3; step++) {
      const tasks = tasksOf(exp, sampler, step, rng.key(step));
      expect(tasks).toHaveLength(5); // K - 1 = 4 support domains and the query domain
      for (const t of tasks) {
        const adaptIds = t.support[0]!.ids;
        expect(t.query).not.toBe(t.support[0]);
        expect(t.query.ids.filter((id) => adaptIds.includes(id))).toEqual([]);
        expect(new Set([...t.query.domains, ...t.support[0]!.domains])).toEqual(new Set([t.name]));
      }
      const queryTask = tasks.at(-1)!;
      expect(queryTask.weight).toBe(4);
      expect(queryTask.support[0]!.ids).toHaveLength(6); // m = 2k
      expect(queryTask.query.ids).toHaveLength(6);
      for (const t of tasks.slice(0, -1)) expect(t.support[0]!.ids).toHaveLength(3); // k
      release(tasks);
    }
    exp.dispose();
    exp.data.dataset.close();
  });

  it('"paper-same-batch" keeps the old reading: each theta\' is evaluated on its adaptation batch', async () => {
    const config = resolveConfig({ preset: "quick", sets: [...sets, "meta.reading=paper-same-batch"] });
    const exp = await prepareExperiment(config);
    const tasks = tasksOf(exp, samplerOf(exp), 0, rng.key(0));
    for (const t of tasks) expect(t.query).toBe(t.support[0]);
    release(tasks);
    exp.dispose();
    exp.data.dataset.close();
  });

  it("the paper preset reads line 9 with fresh batches, m > k, and Adam in the inner loop and at meta-test", () => {
    const c = resolveConfig({ preset: "paper" });
    expect(c.meta.reading).toBe("paper");
    expect(c.train.queryBatchSize!).toBeGreaterThan(c.train.batchSize);
    expect(c.meta.innerOptimizer).toBe("adam");
    expect(c.adapt.optimizer).toBe("adam");
    expect([c.meta.innerLr, c.meta.outerLr]).toEqual([1e-4, 1e-3]);
  });
});

/** Issue 15, point 8: the synthetic world must not be tuned to TAVT. */
describe("presets and the synthetic generator", () => {
  it("the default K of every preset differs from the generator's number of sound events", async () => {
    const { DEFAULT_SYNTHETIC } = await import("@tavt/datasets");
    for (const preset of ["quick", "default", "paper"] as const) {
      const c = resolveConfig({ preset });
      expect(c.space.k, `preset ${preset}`).not.toBe(c.data.synthetic.events ?? DEFAULT_SYNTHETIC.events);
    }
  });
});
