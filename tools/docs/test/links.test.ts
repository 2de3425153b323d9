import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { anchors, docFiles, relativeLinks } from "../markdown.mjs";
import { root } from "./helpers";

/** The document a link lands on: the file itself, or a directory's README.md. */
function landing(file: string): string | null {
  if (!existsSync(file)) return null;
  if (statSync(file).isDirectory()) return existsSync(join(file, "README.md")) ? join(file, "README.md") : null;
  return file;
}

/**
 * Every relative link of the docs' prose points at a file or directory of the repository, and a link with an anchor
 * into a Markdown file (`docs/performance.md#caption-metrics`) at one of its headings.
 */
describe("the docs' relative links resolve", () => {
  const files: string[] = docFiles();
  it.each(files.map((f) => [relative(root, f), f]))("%s", (_name, file) => {
    const broken: string[] = [];
    for (const l of relativeLinks(readFileSync(file, "utf8")) as {
      target: string;
      anchor: string | null;
      line: number;
    }[]) {
      const target = l.target === "" ? file : join(dirname(file), l.target);
      if (!existsSync(target)) {
        broken.push(`line ${l.line}: ${l.target} does not exist`);
        continue;
      }
      const doc = landing(target);
      if (l.anchor && doc?.endsWith(".md") && !anchors(readFileSync(doc, "utf8")).has(l.anchor)) {
        broken.push(`line ${l.line}: ${l.target}#${l.anchor}: no such heading`);
      }
    }
    expect(broken).toEqual([]);
  });
});
