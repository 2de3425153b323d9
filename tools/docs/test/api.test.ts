import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { namesInReadme, readApis, readmeWithApi } from "../api.mjs";
import { root } from "./helpers";

interface Entry {
  name: string;
  kind: string;
  summary: string;
}

const apis = readApis() as Record<string, Entry[]>;

/**
 * Every package README's API section lists every symbol its src/index.ts exports, and no other: the block between
 * the api markers is what `pnpm docs:readme-api` generates from the sources.
 */
describe("package READMEs list their whole API", () => {
  it.each(Object.keys(apis))("packages/%s/README.md", (pkg) => {
    const readme = readFileSync(join(root, "packages", pkg, "README.md"), "utf8");
    const listed = namesInReadme(readme) as Set<string> | null;
    expect(
      listed,
      `packages/${pkg}/README.md has no API block: add the api markers and run pnpm docs:readme-api`,
    ).not.toBeNull();
    const exported = apis[pkg]!.map((e) => e.name);
    const missing = exported.filter((n) => !listed!.has(n));
    const extra = [...listed!].filter((n) => !exported.includes(n));
    expect({ missing, extra }, `run pnpm docs:readme-api`).toEqual({ missing: [], extra: [] });
    expect(readme, "the API block is stale: run pnpm docs:readme-api").toBe(readmeWithApi(readme, apis[pkg]));
  });

  it("reads every package's exports (metrics exports score, core exports TavtError)", () => {
    expect(apis.metrics!.map((e) => e.name)).toContain("score");
    expect(apis.core!.find((e) => e.name === "TavtError")?.kind).toBe("class");
  });
});
