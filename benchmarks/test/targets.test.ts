import { resolveConfig } from "@tavt/cli";
import { describe, expect, it } from "vitest";
import { benchOptions } from "../src/lib/options";
import { ABLATION_VARIANTS, PAPER_TARGETS, sourceDomainsOf, targetDomainsOf } from "../src/lib/settings";

describe('"w/o real audio" follows the configured target domains', () => {
  it("defaults to the dataset's own targets (the paper's five on the synthetic data)", async () => {
    expect(await targetDomainsOf({ preset: "quick", sets: [] })).toEqual([...PAPER_TARGETS]);
  });

  it("removes the audio of exactly data.targetDomains when they are set", async () => {
    const s = { preset: "quick" as const, sets: ["data.targetDomains=[Music,Kids]"] };
    const targets = await targetDomainsOf(s);
    expect(targets).toEqual(["Music", "Kids"]);
    const v = ABLATION_VARIANTS(targets).find((x) => x.name.startsWith("w/o real audio"))!;
    const config = resolveConfig({ preset: s.preset, sets: [...s.sets, ...v.sets] });
    expect(config.data.audioAbsentDomains).toEqual(["Music", "Kids"]);
  });
});

describe("adaptation-select holds out source domains, never targets", () => {
  it("lists the dataset's source domains (Table 1's five on the synthetic data)", async () => {
    expect(await sourceDomainsOf({ preset: "quick", sets: [] })).toEqual([
      "News",
      "Movie",
      "Sports",
      "Cooking",
      "Traffic",
    ]);
  });

  it("drops a domain held out as the target from the meta-training domains", async () => {
    const sources = await sourceDomainsOf({ preset: "quick", sets: ['data.targetDomains=["Traffic"]'] });
    expect(sources).toEqual(["News", "Movie", "Sports", "Cooking"]);
    expect(await targetDomainsOf({ preset: "quick", sets: ['data.targetDomains=["Traffic"]'] })).toEqual(["Traffic"]);
  });

  it("parses --hold-out", () => {
    expect(benchOptions(["--hold-out"]).holdOut).toBe(true);
    expect(benchOptions([]).holdOut).toBe(false);
  });
});
