import { execFile } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "../api.mjs";

export const root: string = ROOT;
export const CLI = join(root, "packages", "cli", "dist", "bin.js");

/** A command's exit code and output; run asynchronously, so that the test worker keeps answering vitest. */
export function run(file: string, args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, [...args], { cwd: root, encoding: "utf8", maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** `tavt <path...> --help` of the built CLI, cached by path. */
const helps = new Map<string, string>();
export async function help(path: readonly string[]): Promise<string> {
  const key = path.join(" ");
  let text = helps.get(key);
  if (text === undefined) {
    const r = await run(process.execPath, [CLI, ...path, "--help"]);
    if (r.code !== 0) throw new Error(`tavt ${key} --help exited ${r.code}: ${r.stderr}`);
    text = r.stdout;
    helps.set(key, text);
  }
  return text;
}

/** The subcommand names a help text lists under "Commands:". */
export function subcommands(helpText: string): string[] {
  const at = helpText.indexOf("\nCommands:\n");
  if (at < 0) return [];
  const names: string[] = [];
  for (const line of helpText.slice(at + "\nCommands:\n".length).split("\n")) {
    if (line.trim() === "") break;
    const m = /^ {2}([a-z][a-z-]*)/.exec(line);
    if (m && m[1] !== "help") names.push(m[1]!);
  }
  return names;
}

/** The longest prefix of `words` that names a (sub)command: ["clusters", "build", "x"] -> ["clusters", "build"]. */
export async function commandPath(words: readonly string[]): Promise<string[]> {
  const path: string[] = [];
  for (const w of words) {
    if (!subcommands(await help(path)).includes(w)) break;
    path.push(w);
  }
  return path;
}
