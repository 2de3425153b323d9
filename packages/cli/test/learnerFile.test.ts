import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { run, TINY, tempDir } from "./helpers";

const here = dirname(fileURLToPath(import.meta.url));
const GUIDE = join(here, "..", "..", "..", "docs", "guides", "custom-meta-learner.md");
// The learner files live inside this package so that their bare imports (@tavt/core, @tavt/meta) resolve.
const scratch = mkdtempSync(join(here, "..", ".learner-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The ```js block of the custom meta-learner guide that starts with "// query-only.mjs". */
function readmeLearner(): string {
  const text = readFileSync(GUIDE, "utf8");
  const m = /```js[^\n]*\n(\/\/ query-only\.mjs[\s\S]*?)```/.exec(text);
  if (!m) throw new Error(`${GUIDE}: no \`\`\`js block starting with "// query-only.mjs"`);
  return m[1]!;
}

/** Issue 15, point 9: a user's learner in a file of its own runs on the same protocol as the built-in ones. */
describe("tavt train --meta-learner FILE", () => {
  it("the custom meta-learner guide's example runs end to end: trained, saved, reported under its file name", async () => {
    const file = join(scratch, "query-only.mjs");
    writeFileSync(file, readmeLearner());
    const dir = tempDir();
    const r = await run("train", "--preset", "quick", ...TINY, "--meta-learner", file, "--out", dir, "--json", "-q");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout) as { learner: string; step: number; loss: number };
    expect(summary.learner).toBe("query-only");
    expect(summary.step).toBe(4);
    expect(Number.isFinite(summary.loss)).toBe(true);
    expect(existsSync(join(dir, "model.safetensors"))).toBe(true);
    expect(readFileSync(join(dir, "config.yaml"), "utf8")).toContain("query-only.mjs");
  });

  it("a bad path exits 2 with one line naming the file", async () => {
    const r = await run("train", "--preset", "quick", "--meta-learner", "./no-such-learner.mjs", "--out", tempDir());
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/no-such-learner\.mjs: no such file/);
  });

  it("a module without a factory export exits 2 with one line saying what is expected", async () => {
    const file = join(scratch, "not-a-learner.mjs");
    writeFileSync(file, "export const answer = 42;\n");
    const r = await run("train", "--preset", "quick", "--meta-learner", file, "--out", tempDir());
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/not-a-learner\.mjs: expected a default export .* exports answer/);
  });

  it("a factory that returns something else exits 2 with one line", async () => {
    const file = join(scratch, "wrong-shape.mjs");
    writeFileSync(file, "export default () => ({ name: 'x' });\n");
    const r = await run("train", "--preset", "quick", ...TINY, "--meta-learner", file, "--out", tempDir());
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/wrong-shape\.mjs: the factory did not return a MetaLearner/);
  });
});
