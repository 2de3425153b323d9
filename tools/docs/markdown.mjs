// What the docs tests read from the Markdown: the documents, their fenced code blocks (with the runnable marker and
// file= info), the `tavt` commands they show, and their relative links.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { ROOT } from "./api.mjs";

/** Every user document: the root README, docs/ (not the built API reference), the package and benchmark READMEs. */
export function docFiles(root = ROOT) {
  const out = [join(root, "README.md"), join(root, "benchmarks", "README.md")];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) {
        if (relative(root, p) !== join("docs", "api")) walk(p);
      } else if (name.endsWith(".md")) out.push(p);
    }
  };
  walk(join(root, "docs"));
  for (const pkg of readdirSync(join(root, "packages"))) {
    const readme = join(root, "packages", pkg, "README.md");
    if (existsSync(readme)) out.push(readme);
  }
  return out.sort();
}

export const RUNNABLE = "<!-- runnable -->";

/**
 * The fenced code blocks of a document: `{ info, code, line, runnable, file }`. `runnable` is true where the block's
 * opening fence follows a line `<!-- runnable -->` (blank lines between allowed); `file` is the path of a block whose
 * info string has `file=PATH` (the runnable blocks of the same document may use that file).
 */
export function codeBlocks(text) {
  const lines = text.split("\n");
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(.*)$/.exec(lines[i]);
    if (!open) continue;
    const start = i;
    const body = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]); i++) body.push(lines[i]);
    let j = start - 1;
    while (j >= 0 && lines[j].trim() === "") j--;
    const info = open[1].trim();
    blocks.push({
      info,
      code: `${body.join("\n")}\n`,
      line: start + 1,
      runnable: j >= 0 && lines[j].trim() === RUNNABLE,
      file: /(?:^|\s)file=(\S+)/.exec(info)?.[1] ?? null,
    });
  }
  return blocks;
}

/** The prose of a document with its fenced code blocks blanked out (line numbers kept). */
export function prose(text) {
  return text.replace(/```[\s\S]*?```/g, (m) => m.replace(/[^\n]/g, " "));
}

const COMMAND =
  /(?:^|[\s`(])(?:pnpm\s+(?:-s\s+)?tavt|npx\s+tavt|node\s+packages\/cli\/dist\/bin\.js|tavt)\s+([^`\n]*)/g;

/** A command line up to the end of the command: a pipe, `;`, `&&` or a comment outside brackets (`[a | b]`). */
function commandText(s) {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "[" || c === "(") depth++;
    else if ((c === "]" || c === ")") && depth > 0) depth--;
    else if (depth === 0 && (c === "|" || c === ";" || c === "&" || c === "#")) return s.slice(0, i);
  }
  return s;
}

/**
 * Every `tavt` command a document shows, in code blocks and in inline code: `{ words, flags, line, text }`, where
 * `words` are the words after `tavt` up to the first option (the subcommand path, e.g. ["clusters", "build"]) and
 * `flags` the `--long` options of that command line (up to a pipe, `;`, `&&` or a comment).
 */
export function tavtCommands(text) {
  const spans = [];
  for (const b of codeBlocks(text)) {
    b.code.split("\n").forEach((l, k) => {
      spans.push({ s: l, line: b.line + 1 + k });
    });
  }
  prose(text)
    .split("\n")
    .forEach((l, k) => {
      for (const m of l.matchAll(/`([^`]+)`/g)) spans.push({ s: m[1], line: k + 1 });
    });
  // A table whose first column is headed "command" lists tavt subcommands without the "tavt" (packages/cli/README.md).
  let commandTable = false;
  prose(text)
    .split("\n")
    .forEach((l, k) => {
      if (!l.startsWith("|")) commandTable = false;
      else if (/^\|\s*command\s*\|/.test(l)) commandTable = true;
      else if (commandTable) {
        const cell = /^\|\s*`([^`]+)`\s*\|/.exec(l);
        if (cell) spans.push({ s: `tavt ${cell[1]}`, line: k + 1 });
      }
    });
  const out = [];
  for (const { s, line } of spans) {
    for (const m of s.matchAll(COMMAND)) {
      const cmd = commandText(m[1]);
      const tokens = cmd.trim().split(/\s+/).filter(Boolean);
      const words = [];
      for (const t of tokens) {
        if (!/^[a-z][a-z-]*$/.test(t)) break;
        words.push(t);
      }
      const flags = [...new Set([...cmd.matchAll(/(?:^|[\s[(|])(--[a-z][a-z0-9-]*)/g)].map((f) => f[1]))];
      if (words.length > 0 || flags.length > 0) out.push({ words, flags, line, text: m[0].trim() });
    }
  }
  return out;
}

/** The relative links of a document's prose (`[text](path#anchor)`, no URLs): `{ target, anchor, line }`. */
export function relativeLinks(text) {
  const out = [];
  prose(text)
    .split("\n")
    .forEach((l, k) => {
      for (const m of l.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/.test(m[1])) continue;
        const [target, anchor] = m[1].split("#");
        out.push({ target, anchor: anchor ?? null, line: k + 1 });
      }
    });
  return out;
}

/** GitHub's anchor of a heading: lower case, punctuation but `-` and `_` dropped, spaces as `-`. */
export function headingSlug(heading) {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

/** The anchors a document defines: its headings' slugs and explicit `<a id="...">`s. */
export function anchors(text) {
  const p = prose(text);
  const out = new Set();
  for (const m of p.matchAll(/^#+\s+(.*)$/gm)) out.add(headingSlug(m[1]));
  for (const m of p.matchAll(/<a id="([^"]+)"/g)) out.add(m[1]);
  return out;
}
