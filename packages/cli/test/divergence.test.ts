import { initBackend, type ParamTree, rng, tf } from "@tavt/core";
import { type CaptionBatch, disposeBatch } from "@tavt/datasets";
import { beforeAll, describe, expect, it } from "vitest";
import { resolveConfig } from "../src/config/load";
import { explainNonFinite } from "../src/pipeline/divergence";
import { prepareExperiment } from "../src/pipeline/experiment";
import { samplerOf, tasksOf } from "../src/pipeline/train";
import { run, TINY, tempDir } from "./helpers";

beforeAll(async () => {
  await initBackend();
});

const tinySets = () => {
  const sets: string[] = [];
  for (let i = 0; i < TINY.length; i += 2) sets.push(TINY[i + 1]!);
  return sets;
};

describe("a diverging run stops with a message naming the step and what is not finite", () => {
  it("tavt train exits 2 in one line at the first non-finite step", async () => {
    const r = await run("train", "--preset", "quick", ...TINY, "--set", "meta.innerLr=1e30", "--out", tempDir(), "-q");
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/meta-training diverged at step 1: the (loss|meta-gradient norm) is (NaN|Infinity)/);
    expect(lines[0]).toMatch(/meta\.innerLr/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it("names non-finite parameters, or the loss parts that are not finite on the step's batches", async () => {
    const exp = await prepareExperiment(resolveConfig({ preset: "quick", sets: tinySets() }));
    const params = exp.captioner.init(rng.key(0));
    const tasks = tasksOf(exp, samplerOf(exp), 0, rng.key(1));
    const queries = tasks.map((t) => t.query);
    expect(explainNonFinite(exp, params, queries)).toMatch(/every loss part is finite/);
    // NaN audio: the audio-dependent parts are not finite
    const poisoned: CaptionBatch[] = queries.map((q) => ({
      ...q,
      audio: q.audio ? tf.fill(q.audio.shape, Number.NaN) : q.audio,
    }));
    expect(explainNonFinite(exp, params, poisoned)).toMatch(/L_rec = NaN/);
    // a NaN parameter leaf is named
    const enc = params.encoder as ParamTree;
    const name = Object.keys(enc)[0]!;
    const nanTree: ParamTree = { ...params, encoder: { ...enc, [name]: mapLeaves(enc[name]!) } };
    expect(explainNonFinite(exp, nanTree, queries)).toMatch(
      new RegExp(`parameters already not finite: encoder\\.${name}`),
    );
    for (const q of poisoned) q.audio?.dispose();
    for (const b of new Set(tasks.flatMap((t) => [...t.support, t.query]))) disposeBatch(b);
    exp.dispose();
  });
});

/** The same subtree with every tensor replaced by NaNs of its shape. */
function mapLeaves(t: ParamTree | tf.Tensor): ParamTree | tf.Tensor {
  if (t instanceof tf.Tensor) return tf.fill(t.shape, Number.NaN);
  return Object.fromEntries(Object.entries(t).map(([k, v]) => [k, mapLeaves(v)]));
}
