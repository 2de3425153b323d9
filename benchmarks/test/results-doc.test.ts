import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { PRESETS } from "@tavt/cli";
import { describe, expect, it } from "vitest";
import {
  changedDefaults,
  displayCommand,
  resultsDocument,
  type SavedTable,
  withGeneratedBlocks,
} from "../src/results-doc";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

describe("generated result documents are current", () => {
  it("docs/results.md equals what benchmarks:results-doc generates from docs/results/*", () => {
    expect(readFileSync(join(repo, "docs", "results.md"), "utf8")).toBe(resultsDocument(repo));
  });

  it("the README's result block equals what benchmarks:results-doc generates", () => {
    const readme = readFileSync(join(repo, "README.md"), "utf8");
    expect(readme).toBe(withGeneratedBlocks(repo, readme));
  });

  it("docs/performance.md's generated blocks equal what benchmarks:results-doc generates", () => {
    const doc = readFileSync(join(repo, "docs", "performance.md"), "utf8");
    expect(doc).toBe(withGeneratedBlocks(repo, doc));
  });
});

describe("what the generator copies", () => {
  it("drops --out DIR from a command, also inside backticks, and keeps the rest", () => {
    expect(displayCommand("pnpm nx run benchmarks:x -- --seeds 0 --out /tmp/r")).toBe(
      "pnpm nx run benchmarks:x -- --seeds 0",
    );
    expect(displayCommand("printed by `pnpm nx run benchmarks:x -- --seeds 0 --out /tmp/r`. Charts: [a](a.svg)")).toBe(
      "printed by `pnpm nx run benchmarks:x -- --seeds 0`. Charts: [a](a.svg)",
    );
    expect(displayCommand("pnpm nx run benchmarks:x -- --out /tmp/r")).toBe("pnpm nx run benchmarks:x");
  });

  it("a measurement's links to its own charts point into its results directory", () => {
    expect(resultsDocument(repo)).toContain("](results/lr-search/lr-search.svg)");
  });
});

describe("runs made with other settings than today's default say so", () => {
  const table = (command: string, configs: Record<string, object>): SavedTable => ({
    title: "t",
    columns: [],
    rows: [],
    run: { command, seeds: [0], backend: "native", startedAt: "2026-12-07T00:00:00Z", configs },
  });
  const now = PRESETS.default;
  const older = { ...now, train: { ...now.train, steps: 7 }, adapt: { ...now.adapt, optimizer: "sgd", lr: 0.5 } };

  it("names each setting every method shared that the default no longer has, with today's value", () => {
    const note = changedDefaults(table("pnpm nx run benchmarks:cross-category", { a: older, b: older }));
    expect(note).toContain(`7 meta-steps (now ${now.train.steps})`);
    expect(note).toContain(`adaptation ${now.adapt.steps} SGD steps at 0.5 (now ${now.adapt.steps} Adam steps at`);
    expect(note).not.toContain("width");
  });

  it("says nothing of a run at today's default, of a setting the run varies, or of another preset", () => {
    expect(changedDefaults(table("pnpm nx run benchmarks:cross-category", { a: now, b: now }))).toBe("");
    const varied = changedDefaults(table("pnpm nx run benchmarks:adaptation", { a: now, b: older }));
    expect(varied).not.toContain("adaptation");
    expect(varied).not.toContain("meta-steps");
    expect(changedDefaults(table("pnpm nx run benchmarks:cross-category -- --preset paper", { a: older }))).toBe("");
    expect(changedDefaults(table("pnpm nx run benchmarks:cross-category:quick", { a: older }))).toBe("");
  });
});
