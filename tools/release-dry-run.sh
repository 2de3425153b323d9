#!/usr/bin/env bash
# The release flow, rehearsed on a scratch copy of this checkout (the working tree is never touched):
#
#   1. `pnpm changeset version`: the pending .changeset/*.md bump the versions and become CHANGELOG.md entries;
#   2. every package named in a changeset must now have a CHANGELOG.md holding that changeset's text, and a
#      version other than before;
#   3. the CLI is rebuilt (its version is built in) and `tavt --version` must print the new version;
#   4. `pnpm -r publish --dry-run` must succeed for every package, each at its new version.
#
#   bash tools/release-dry-run.sh          # needs every package built (dist/); CI runs it after `pnpm test`
#
# The copy holds the tracked and untracked-but-not-ignored files, with each package's dist/ copied in. KEEP=1
# keeps it. A real release is the same steps on main, then `pnpm -r publish` with a registry token.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/tavt-release.XXXXXX")"
if [[ "${KEEP:-0}" != 1 ]]; then trap 'rm -rf "$work"' EXIT; fi

cd "$root"
for d in packages/*/; do
  [[ -d "$d/dist" ]] || { echo "release-dry-run: $d has no dist/ (build first: pnpm nx run-many -t build)" >&2; exit 1; }
done
ls .changeset/*.md | grep -vq '/README.md$' || { echo "release-dry-run: no pending changesets" >&2; exit 1; }
git ls-files -z -co --exclude-standard | tar --null -T - --ignore-failed-read -cf - 2>/dev/null | tar -xf - -C "$work"
for d in packages/*/; do cp -r "$d/dist" "$work/$d"; done
node -e '
  const fs = require("node:fs");
  const v = {};
  for (const d of fs.readdirSync("packages")) v[d] = JSON.parse(fs.readFileSync(`packages/${d}/package.json`, "utf8")).version;
  fs.writeFileSync(process.argv[1], JSON.stringify(v));
' "$work/.versions-before.json"
cp -r .changeset "$work/.changesets-before"

cd "$work"
echo "release-dry-run: pnpm install in the scratch copy"
pnpm install --frozen-lockfile --offline >install.log 2>&1 || pnpm install --frozen-lockfile >install.log 2>&1 || {
  cat install.log >&2
  exit 1
}
echo "release-dry-run: pnpm changeset version"
pnpm changeset version

# Each changeset's packages: a new version, and a CHANGELOG.md that holds the changeset's summary.
node -e '
  const fs = require("node:fs"), path = require("node:path");
  const before = JSON.parse(fs.readFileSync(".versions-before.json", "utf8"));
  const byName = {};
  for (const d of fs.readdirSync("packages")) byName[JSON.parse(fs.readFileSync(`packages/${d}/package.json`, "utf8")).name] = d;
  let bad = 0, n = 0;
  for (const f of fs.readdirSync(".changesets-before")) {
    if (!f.endsWith(".md") || f === "README.md") continue;
    const text = fs.readFileSync(path.join(".changesets-before", f), "utf8");
    const m = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text);
    if (!m) { console.error(`release-dry-run: .changeset/${f}: no front matter`); bad++; continue; }
    const summary = m[2].trim().split("\n")[0];
    for (const line of m[1].split("\n")) {
      const name = /^"?([^":]+)"?\s*:/.exec(line)?.[1];
      if (!name) continue;
      const d = byName[name];
      const log = d && fs.existsSync(`packages/${d}/CHANGELOG.md`) ? fs.readFileSync(`packages/${d}/CHANGELOG.md`, "utf8") : "";
      if (!log.includes(summary)) { console.error(`release-dry-run: ${name}: CHANGELOG.md lacks .changeset/${f}`); bad++; }
      n++;
    }
  }
  for (const [d, v] of Object.entries(before)) {
    const now = JSON.parse(fs.readFileSync(`packages/${d}/package.json`, "utf8")).version;
    console.log(`release-dry-run: ${d} ${v} -> ${now}`);
  }
  if (fs.readdirSync(".changeset").some((f) => f.endsWith(".md") && f !== "README.md")) {
    console.error("release-dry-run: changeset version left changesets behind"); bad++;
  }
  console.log(`release-dry-run: ${n} changelog entries checked`);
  if (bad) process.exit(1);
'

echo "release-dry-run: rebuilding the CLI (its version is built in)"
pnpm --filter @tavt/cli run build >cli-build.log 2>&1 || { cat cli-build.log >&2; exit 1; }
want="$(node -p 'require("./packages/cli/package.json").version')"
got="$(node packages/cli/dist/bin.js --version)"
[[ "$got" == "$want" ]] || { echo "release-dry-run: tavt --version printed $got, package.json says $want" >&2; exit 1; }
echo "release-dry-run: tavt --version prints $got"

echo "release-dry-run: pnpm -r publish --dry-run"
pnpm -r publish --dry-run --no-git-checks >publish.log 2>&1 || { cat publish.log >&2; exit 1; }
node -e '
  const fs = require("node:fs");
  const log = fs.readFileSync("publish.log", "utf8");
  let bad = 0;
  for (const d of fs.readdirSync("packages")) {
    const { name, version, private: priv } = JSON.parse(fs.readFileSync(`packages/${d}/package.json`, "utf8"));
    if (priv) continue;
    const ok = log.includes(`+ ${name}@${version}`);
    console.log(`release-dry-run: ${ok ? "would publish" : "MISSING"} ${name}@${version}`);
    if (!ok) bad++;
  }
  if (bad) process.exit(1);
'
echo "release-dry-run: OK"
