import { activeBackend, disposeTree, initBackend } from "@tavt/core";
import { beforeAll, describe, expect, it } from "vitest";
import { resolveConfig } from "../src/config/load";
import { Output } from "../src/output";
import { prepareExperiment } from "../src/pipeline/experiment";
import { trainExperiment } from "../src/pipeline/train";

let backend = "";
beforeAll(async () => {
  await initBackend();
  backend = activeBackend();
});

// A wide model trains stably with the default recipe (warmup, cosine decay, clipping, W_ma scaled to mean 1):
// width 256 on a small synthetic set for a few dozen second-order MAML steps. The recipe, not the data, is under
// test, so the set is small; the run is slow on the pure-JS and wasm backends, so it runs where the native one is.
describe.skipIf(process.env.TAVT_BACKEND === "wasm" || process.env.TAVT_BACKEND === "cpu")(
  "stable training at width 256 (default preset's recipe)",
  () => {
    it("the loss stays finite and the held-out loss falls", { timeout: 600_000 }, async () => {
      const config = resolveConfig({
        preset: "default",
        sets: [
          "data.synthetic.videos=300",
          "data.maxLen=10",
          "model.dim=256",
          "model.heads=4",
          "model.ffn=1024",
          "train.steps=30",
          "train.batchSize=2",
          "train.validateEvery=10",
          "train.validationVideos=4",
          "space.k=16",
        ],
      });
      expect(config.meta.warmup).toBeGreaterThan(0);
      const exp = await prepareExperiment(config);
      const r = await trainExperiment(exp, { out: new Output({ quiet: true }) });
      const c = r.curve;
      expect(c.steps).toHaveLength(30);
      for (const s of c.steps) {
        expect(Number.isFinite(s.loss)).toBe(true);
        expect(Number.isFinite(s.gradNorm)).toBe(true);
      }
      const first = c.validation[0]!;
      const last = c.validation.at(-1)!;
      expect(first.step).toBe(0);
      expect(last.step).toBe(30);
      for (const v of c.validation) expect(Number.isFinite(v.total)).toBe(true);
      // the plain per-word cross-entropy on held-out source videos falls by a quarter or more
      expect(last.nll).toBeLessThan(0.75 * first.nll);
      expect(backend).not.toBe("");
      disposeTree(r.params);
      exp.dispose();
      exp.data.dataset.close();
    });
  },
);
