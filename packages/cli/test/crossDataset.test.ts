import { disposeTree, initBackend, rng } from "@tavt/core";
import { beforeAll, describe, expect, it } from "vitest";
import { resolveConfig } from "../src/config/load";
import { Output } from "../src/output";
import { adaptExperiment } from "../src/pipeline/adapt";
import { loadExperimentData } from "../src/pipeline/data";
import { prepareExperiment } from "../src/pipeline/experiment";

beforeAll(async () => {
  await initBackend();
});

const tiny = [
  "data.synthetic.videos=150",
  "data.target.synthetic.videos=60",
  "model.dim=8",
  "model.ffn=16",
  "space.k=4",
];

/** Issue 15, point 2: data.target makes a cross-dataset experiment (MSR-VTT's sources -> MSVD). */
describe("data.target: a second dataset to transfer to (Table 2)", () => {
  it("meta-trains on the source dataset's source domains and meta-tests on the MSVD-like set, audio-absent", async () => {
    const config = resolveConfig({ preset: "quick", sets: [...tiny, "data.target.source=synthetic", "adapt.steps=1"] });
    const exp = await prepareExperiment(config);
    const ds = exp.data.dataset;
    expect(ds.sourceDomains).toEqual(["News", "Movie", "Sports", "Cooking", "Traffic"]);
    expect(ds.targetDomains).toEqual(["MSVD"]);
    expect(ds.domains).not.toContain("Animation"); // the source dataset's own targets are not part of it
    expect(ds.audioAbsentDomains.has("MSVD")).toBe(true);
    expect(exp.data.vocab.id("monkey")).toBeGreaterThan(3); // the joint vocabulary (ids 0-3 are pad, bos, eos, unk)
    const params = exp.captioner.init(rng.key(0));
    const adapted = await adaptExperiment(exp, params, "MSVD", { out: new Output({ quiet: true }) });
    expect(adapted.lossUsed).toBe("cap");
    disposeTree(params);
    disposeTree(adapted.params);
    exp.dispose();
    ds.close();
  });

  it("the MSVD-like set goes with synthetic sources; real MSVD needs its annotations and features", async () => {
    const bad = (sets: string[]) => loadExperimentData(resolveConfig({ preset: "quick", sets }));
    await expect(
      bad(["data.source=msvd", "data.annotations=/nowhere", "data.features.visual=/x", "data.target.source=synthetic"]),
    ).rejects.toThrow();
    await expect(bad([...tiny, "data.target.source=msvd"])).rejects.toThrow(/data.target.annotations/);
    await expect(bad([...tiny, "data.target.source=msvd", "data.target.annotations=/a"])).rejects.toThrow(
      /--target-features/,
    );
  });
});
