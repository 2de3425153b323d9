import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { codeBlocks, docFiles } from "../markdown.mjs";
import { CLI, root, run } from "./helpers";

interface Block {
  info: string;
  code: string;
  line: number;
  runnable: boolean;
  file: string | null;
}

/**
 * The shell a runnable line runs in: from the repository root, `pnpm tavt` / `pnpm -s tavt` replaced by the built
 * CLI (`node packages/cli/dist/bin.js`, which nx builds before this test), so that the test does not start a second
 * nx inside the one running it.
 */
function shellLine(line: string): string {
  return line.replace(/^pnpm\s+(?:-s\s+)?tavt\b/, `node ${relative(root, CLI)}`);
}

const docs = (docFiles() as string[])
  .map((f) => ({ file: f, blocks: codeBlocks(readFileSync(f, "utf8")) as Block[] }))
  .filter((d) => d.blocks.some((b) => b.runnable));

/**
 * Every shell block a document marks runnable (a line `<!-- runnable -->` before its fence) runs, line by line, and
 * every line exits 0. The blocks are written at the `quick` size, so they take seconds. A block with `file=PATH` in
 * its info string is written to PATH (from the repository root) first, for the runnable blocks to use.
 */
describe("the docs' runnable commands run", () => {
  it("there are runnable blocks to run (the root README's quick tour among them)", () => {
    expect(docs.map((d) => relative(root, d.file))).toContain("README.md");
  });

  for (const { file, blocks } of docs) {
    describe(relative(root, file), () => {
      for (const b of blocks.filter((x) => x.file)) {
        const target = join(root, b.file!);
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, b.code);
      }
      for (const b of blocks.filter((x) => x.runnable)) {
        const lines = b.code.split("\n").filter((l) => l.trim() !== "" && !l.trim().startsWith("#"));
        for (const line of lines) {
          it(`line ${b.line}: ${line}`, async () => {
            const r = await run("bash", ["-eo", "pipefail", "-c", shellLine(line)]);
            expect(r.code, `${line}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`).toBe(0);
          });
        }
      }
    });
  }
});
