import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseSet, resolveConfig } from "../src/config/load";
import { PRESETS } from "../src/config/presets";
import { tempDir } from "./helpers";

describe("configs", () => {
  it("starts from a preset and applies a YAML file, then --set overrides typed by the schema", () => {
    const dir = tempDir();
    const file = join(dir, "exp.yaml");
    writeFileSync(file, "preset: quick\nmodel:\n  dim: 48\ntrain:\n  steps: 9\n");
    const c = resolveConfig({
      file,
      sets: [
        "model.heads=4",
        "eval.greedy=false",
        "meta.learner=reptile",
        "space.path=null",
        "data.targetDomains=[Kids, Music]",
      ],
    });
    expect(c.model.dim).toBe(48);
    expect(c.train.steps).toBe(9);
    expect(c.model.heads).toBe(4);
    expect(c.eval.greedy).toBe(false);
    expect(c.meta.learner).toBe("reptile");
    expect(c.space.path).toBeNull();
    expect(c.data.targetDomains).toEqual(["Kids", "Music"]);
    expect(c.data.synthetic.videos).toBe(PRESETS.quick.data.synthetic.videos); // untouched keys keep the preset's
  });

  it("types --set values: numbers stay numbers, strings stay strings", () => {
    expect(parseSet("model.dim=256").value).toBe(256);
    expect(parseSet("meta.learner=123").value).toBe("123");
    expect(parseSet("model.ablation.noRec=true").value).toBe(true);
  });

  it("names the key and what was expected", () => {
    expect(() => parseSet("model.dim=wide")).toThrow("--set model.dim=wide: expected a number");
    expect(() => parseSet("model.width=3")).toThrow(/unknown key "model.width" \(keys under model: kind, base, dim/);
    expect(() => parseSet("eval.greedy=yes")).toThrow("expected true or false");
    expect(() => parseSet("model.dim=null")).toThrow("not null");
    expect(() => resolveConfig({ sets: ["model.kind=rnn"] })).toThrow(/model\.kind: .*"tavt"/);
    const dir = tempDir();
    const file = join(dir, "bad.yaml");
    writeFileSync(file, "train:\n  steps: many\n  extra: 1\n");
    expect(() => resolveConfig({ file })).toThrow(
      /bad\.yaml: train\.steps: expected number, received string; train: Unrecognized key: "extra"/,
    );
  });

  it("rejects broken YAML naming the file and the line", () => {
    const dir = tempDir();
    const file = join(dir, "broken.yaml");
    writeFileSync(file, "model:\n  dim: [1\n");
    expect(() => resolveConfig({ file })).toThrow(/broken\.yaml: not valid YAML: .*line \d+/);
  });

  it("every preset is valid", () => {
    for (const preset of ["quick", "default", "paper"]) expect(resolveConfig({ preset }).seed).toBe(0);
    expect(() => resolveConfig({ preset: "huge" })).toThrow('unknown preset "huge"');
  });
});
