import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { docFiles, relativeLinks } from "../markdown.mjs";
import { root } from "./helpers";

/** Every relative link of the docs' prose points at a file or directory of the repository. */
describe("the docs' relative links resolve", () => {
  const files: string[] = docFiles();
  it.each(files.map((f) => [relative(root, f), f]))("%s", (_name, file) => {
    const broken = (relativeLinks(readFileSync(file, "utf8")) as { target: string; line: number }[])
      .filter((l) => !existsSync(join(dirname(file), l.target)))
      .map((l) => `line ${l.line}: ${l.target}`);
    expect(broken).toEqual([]);
  });
});
