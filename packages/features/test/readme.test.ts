import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it, vi } from "vitest";
import { haveOrt, skipFfmpeg } from "./helpers";

const here = dirname(fileURLToPath(import.meta.url));

describe.skipIf(skipFfmpeg || !haveOrt)("README", () => {
  it("the example runs as written (imports pointed at the sources)", async () => {
    const readme = readFileSync(join(here, "..", "README.md"), "utf8");
    const code = /```ts\n([\s\S]*?)```/.exec(readme)![1]!.replace('from "@tavt/features"', 'from "../src/index"');
    const file = join(here, `.readme-example-${process.pid}.ts`);
    writeFileSync(file, code);
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      await import(file);
      expect(log.mock.calls).toEqual([["1/1 clip: extracted"], [1, []]]);
    } finally {
      log.mockRestore();
      rmSync(file, { force: true });
    }
  }, 60_000);
});
