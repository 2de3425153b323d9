import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { displayCommand, resultsDocument, withGeneratedBlocks } from "../src/results-doc";

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
