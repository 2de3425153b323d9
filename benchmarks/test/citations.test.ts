import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const paper = join(root, "..", "shared", "paper", "tavt-acl2023.md");

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name === "dist" || name.startsWith(".")) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sources(p, out);
    else if (/\.(ts|md)$/.test(name) && name !== "CHANGELOG.md") out.push(p);
  }
  return out;
}

/** Every "section N.M" the code and docs cite, with where. */
function citations(): { file: string; line: number; section: string; text: string }[] {
  const files = [
    ...sources(join(root, "packages")),
    ...sources(join(root, "benchmarks", "src")),
    ...sources(join(root, "docs")),
    join(root, "README.md"),
  ];
  const out: { file: string; line: number; section: string; text: string }[] = [];
  for (const f of files) {
    readFileSync(f, "utf8")
      .split("\n")
      .forEach((text, i) => {
        if (/Finn|Numerical Recipes|et al\./.test(text)) return; // another work's sections
        for (const m of text.matchAll(/\b[Ss]ections? (\d+\.\d+)/g)) {
          out.push({ file: relative(root, f), line: i + 1, section: m[1]!, text });
        }
      });
  }
  return out;
}

describe.skipIf(!existsSync(paper))("section citations name sections the paper has", () => {
  it("every cited section N.M is a heading of the paper (it has no section 3.5)", () => {
    const headings = new Set([...readFileSync(paper, "utf8").matchAll(/^#+\s*\**\s*(\d+\.\d+)\s/gm)].map((m) => m[1]!));
    expect(headings.has("3.4")).toBe(true);
    expect(headings.has("3.5")).toBe(false);
    const bad = citations()
      .filter((c) => !headings.has(c.section))
      .map((c) => `${c.file}:${c.line}: section ${c.section}`);
    expect(bad).toEqual([]);
  });

  it("the universal auditory space is cited as section 3.2 / appendix D.1, not section 3.1 (problem formulation)", () => {
    const bad = citations()
      .filter((c) => c.section === "3.1" && /auditory|k-means|clusters? |prototypes|external audio/i.test(c.text))
      .map((c) => `${c.file}:${c.line}`);
    expect(bad).toEqual([]);
  });
});
