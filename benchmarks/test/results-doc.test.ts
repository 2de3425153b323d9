import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readmeWithResults, resultsDocument } from "../src/results-doc";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

describe("generated result documents are current", () => {
  it("docs/results.md equals what benchmarks:results-doc generates from docs/results/*", () => {
    expect(readFileSync(join(repo, "docs", "results.md"), "utf8")).toBe(resultsDocument(repo));
  });

  it("the README's result block equals what benchmarks:results-doc generates", () => {
    const readme = readFileSync(join(repo, "README.md"), "utf8");
    expect(readme).toBe(readmeWithResults(repo, readme));
  });
});
