import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { encodeNpy, makeSynthetic } from "@tavt/datasets";
import { describe, expect, it } from "vitest";
import { buildSpaceFor, loadExperimentData, PRESET_NAMES, resolveConfig, saveSpace, spaceFor } from "../src";
import { tempDir } from "./helpers";

const sets = ["data.synthetic.videos=200", "space.k=6"];

describe("the universal auditory space comes from outside the training data (section 3.2 and appendix D.1)", () => {
  it("every preset (so every benchmark) fits M on external audio", () => {
    for (const preset of PRESET_NAMES)
      expect(resolveConfig({ preset }).space).toMatchObject({ source: "external", corpus: null });
  });

  it("by default M is fitted on the synthetic external audio corpus, not on the source domains' audio", async () => {
    const config = resolveConfig({ preset: "quick", sets });
    expect(config.space.source).toBe("external");
    const data = await loadExperimentData(config);
    const space = await buildSpaceFor(config, data);
    expect(space.source).toBe("synthetic external audio corpus (3000 clips)");
    expect(space.n).toBe(3000 * 4);
    expect([space.k, space.dim]).toEqual([6, 128]);

    const own = resolveConfig({ preset: "quick", sets: [...sets, "space.source=source-domains"] });
    const ownSpace = await buildSpaceFor(own, data);
    expect(ownSpace.source).toMatch(/source-domain train audio/);
    const ds = makeSynthetic({ videos: 200 });
    const sourceTrain = ds.ids({ domains: ds.sourceDomains, split: "train" }).length;
    expect(ownSpace.n).toBe(sourceTrain * 4);
    expect(Array.from(ownSpace.centers)).not.toEqual(Array.from(space.centers));
  });

  it("the external prototypes still sit on the benchmark's sound events (each event's prototype has a centre near it)", async () => {
    const config = resolveConfig({ preset: "quick", sets: ["data.synthetic.videos=200", "space.k=24"] });
    const space = await buildSpaceFor(config, await loadExperimentData(config));
    const ds = makeSynthetic({ videos: 200 });
    const { events, audioDim } = ds.config;
    for (let e = 0; e < events; e++) {
      let best = Number.POSITIVE_INFINITY;
      for (let c = 0; c < space.k; c++) {
        let s = 0;
        for (let j = 0; j < audioDim; j++)
          s += (ds.eventPrototypes[e * audioDim + j]! - space.centers[c * audioDim + j]!) ** 2;
        best = Math.min(best, s);
      }
      // Within about 1.2 gain spread of the prototype (|p| is about sqrt(128) = 11.3; noise averages out over T=5).
      expect(Math.sqrt(best)).toBeLessThan(3);
    }
  });

  it("space.corpus names an external .npy of units; real data without one is a config error naming the fix", async () => {
    const dir = tempDir();
    const units = new Float32Array(40 * 12).map((_, i) => (Math.floor(i / 12) % 4) * 10 + (i % 3) * 0.1);
    const corpus = join(dir, "flickr.npy");
    writeFileSync(corpus, encodeNpy(units, [40, 12]));
    const tiny = ["data.synthetic.videos=120", "data.synthetic.audioDim=12", "space.k=4", `space.corpus=${corpus}`];
    const config = resolveConfig({ preset: "quick", sets: tiny });
    const space = await buildSpaceFor(config, await loadExperimentData(config));
    expect(space.source).toBe(corpus);
    expect([space.n, space.k, space.dim]).toEqual([40, 4, 12]);

    const real = resolveConfig({ preset: "quick", sets: ["data.source=dir", `data.annotations=${dir}`] });
    await expect(buildSpaceFor(real, await loadExperimentData(config))).rejects.toThrow(
      /space\.source external: data\.source "dir" has no external audio corpus .*; add --set space\.corpus=FILE .*, or --set space\.path=FILE .*, or --set space\.source=source-domains/,
    );
    const missing = resolveConfig({
      preset: "quick",
      sets: [...tiny.slice(0, 3), `space.corpus=${join(dir, "nope.npy")}`],
    });
    await expect(buildSpaceFor(missing, await loadExperimentData(config))).rejects.toThrow(
      /space\.corpus .*nope\.npy: external audio file or directory not found/,
    );
  });

  it("space.path: spaceFor loads the saved space instead of building one (a missing file names the key)", async () => {
    const dir = tempDir();
    const units = new Float32Array(40 * 12).map((_, i) => (Math.floor(i / 12) % 4) * 10 + (i % 3) * 0.1);
    const corpus = join(dir, "flickr.npy");
    writeFileSync(corpus, encodeNpy(units, [40, 12]));
    const tiny = ["data.synthetic.videos=120", "data.synthetic.audioDim=12", "space.k=4"];
    const built = resolveConfig({ preset: "quick", sets: [...tiny, `space.corpus=${corpus}`] });
    const data = await loadExperimentData(built);
    const space = await buildSpaceFor(built, data);
    const file = join(dir, "space.safetensors");
    await saveSpace(file, space);
    // space.path wins over space.corpus (here a file that does not exist, so building would fail)
    const loaded = await spaceFor(
      resolveConfig({
        preset: "quick",
        sets: [...tiny, `space.path=${file}`, `space.corpus=${join(dir, "nope.npy")}`],
      }),
      data,
    );
    expect([loaded.k, loaded.dim, loaded.source]).toEqual([4, 12, corpus]);
    expect(Array.from(loaded.centers)).toEqual(Array.from(space.centers));
    await expect(
      spaceFor(
        resolveConfig({ preset: "quick", sets: [...tiny, `space.path=${join(dir, "none.safetensors")}`] }),
        data,
      ),
    ).rejects.toThrow(/space\.path .*none\.safetensors: auditory space file not found/);
  });
});
