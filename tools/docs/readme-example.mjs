// Run a package README's example where the package was installed from its packed tarball, and compare what it
// prints with the README's output block.
//
//   node tools/docs/readme-example.mjs packages/<name>/README.md <project dir> [--print]
//
// The example is the README's ```js example block; its output the ```text output block after it. The example is
// written to <project dir>/readme-example.mjs and run there with node, so its imports resolve to the installed
// tarballs, as a user's would. Exit 1 when the output differs (the diff is printed), 0 when it matches; --print
// only prints what the example printed. tools/pack-check.sh runs it for every package.
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

/** The example code and its expected output of a README (null where it has no example block). */
export function readmeExample(text) {
  const code = /```js example\n([\s\S]*?)```/.exec(text);
  if (!code) return null;
  const out = /```text output\n([\s\S]*?)```/.exec(text.slice(code.index));
  return { code: code[1], output: out ? out[1] : null };
}

function main() {
  const [readme, project] = process.argv.slice(2);
  if (!readme || !project) {
    process.stderr.write("usage: node tools/docs/readme-example.mjs <README.md> <project dir> [--print]\n");
    process.exit(2);
  }
  const ex = readmeExample(readFileSync(readme, "utf8"));
  if (!ex) {
    process.stderr.write(`${readme}: no \`\`\`js example block\n`);
    process.exit(1);
  }
  const file = join(resolve(project), "readme-example.mjs");
  writeFileSync(file, ex.code);
  const r = spawnSync(process.execPath, [file], { cwd: resolve(project), encoding: "utf8", timeout: 300_000 });
  if (process.argv.includes("--print")) {
    process.stdout.write(r.stdout);
    process.stderr.write(r.stderr);
    process.exit(r.status ?? 1);
  }
  if (r.status !== 0) {
    process.stderr.write(`${readme}: the example exited ${r.status}:\n${r.stderr}`);
    process.exit(1);
  }
  if (ex.output === null) {
    process.stderr.write(`${readme}: no \`\`\`text output block after the example\n`);
    process.exit(1);
  }
  if (r.stdout.trimEnd() !== ex.output.trimEnd()) {
    process.stderr.write(`${readme}: the example printed\n${r.stdout}\nwhere the README says\n${ex.output}`);
    process.exit(1);
  }
  process.stdout.write(`${readme}: the example prints what the README says\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) main();
