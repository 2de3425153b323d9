import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { describe, expect, it } from "vitest";
import { docFiles, tavtCommands } from "../markdown.mjs";
import { commandPath, help, root } from "./helpers";

interface Found {
  words: string[];
  flags: string[];
  line: number;
  text: string;
}

/**
 * Every `--flag` the docs give a `tavt` command (in a code block, or in inline code such as `tavt eval --out DIR`)
 * must be in that command's `--help`, so that no page teaches an option the CLI does not have.
 */
describe("the docs' tavt flags exist", () => {
  const files: string[] = docFiles();
  it.each(files.map((f) => [relative(root, f), f]))("%s", async (_name, file) => {
    const bad: string[] = [];
    for (const c of tavtCommands(readFileSync(file, "utf8")) as Found[]) {
      const path = await commandPath(c.words);
      const text = await help(path);
      for (const flag of c.flags) {
        if (flag === "--help") continue;
        const re = new RegExp(`(^|[\\s,])${flag.replace(/[-]/g, "\\-")}(?![a-z-])`, "m");
        if (!re.test(text)) bad.push(`line ${c.line}: \`tavt ${path.join(" ")}\` has no ${flag} (in: ${c.text})`);
      }
    }
    expect(bad).toEqual([]);
  });

  it("finds the commands it checks (the root README's quick tour among them)", async () => {
    const readme = tavtCommands(readFileSync(`${root}/README.md`, "utf8")) as Found[];
    expect(readme.some((c) => c.words.join(" ") === "train" && c.flags.includes("--preset"))).toBe(true);
    expect(await commandPath(["clusters", "build", "extra"])).toEqual(["clusters", "build"]);
  });
});
