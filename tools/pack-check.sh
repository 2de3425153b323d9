#!/usr/bin/env bash
# Does a package work when installed from its npm tarball, outside this workspace?
#
#   bash tools/pack-check.sh core        # or any packages/<name>
#
# Builds @tavt/<pkg> and the @tavt packages it depends on, `pnpm pack`s each (pnpm rewrites `workspace:^` to real
# versions), installs the tarballs with npm into a scratch project in a temp dir (third-party dependencies come
# from the npm registry), then runs a CommonJS `require` and an ES module `import` smoke script there. For core the
# scripts select a backend and run an attention layer; for other packages they check that both module formats load
# and export the same names. Exits non-zero on the first failure; KEEP=1 keeps the temp dir.
set -euo pipefail

pkg="${1:?usage: tools/pack-check.sh <package name under packages/, e.g. core>}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[[ -f "$root/packages/$pkg/package.json" ]] || { echo "pack-check: no package at packages/$pkg" >&2; exit 2; }

work="$(mktemp -d "${TMPDIR:-/tmp}/tavt-pack-check-$pkg.XXXXXX")"
if [[ "${KEEP:-0}" != 1 ]]; then trap 'rm -rf "$work"' EXIT; fi
mkdir -p "$work/tarballs" "$work/project"

# @tavt/<pkg> and, transitively, the @tavt packages in its dependencies (directory names under packages/).
mapfile -t pkgs < <(node -e '
  const fs = require("node:fs"), path = require("node:path");
  const [root, start] = process.argv.slice(1);
  const byName = {};
  for (const d of fs.readdirSync(path.join(root, "packages"))) {
    const f = path.join(root, "packages", d, "package.json");
    if (fs.existsSync(f)) byName[JSON.parse(fs.readFileSync(f, "utf8")).name] = d;
  }
  const seen = new Set();
  const visit = (dir) => {
    if (seen.has(dir)) return;
    seen.add(dir);
    const pj = JSON.parse(fs.readFileSync(path.join(root, "packages", dir, "package.json"), "utf8"));
    for (const dep of Object.keys(pj.dependencies ?? {})) if (byName[dep]) visit(byName[dep]);
  };
  visit(start);
  console.log([...seen].join("\n"));
' "$root" "$pkg")
echo "pack-check: packages: ${pkgs[*]}"

cd "$root"
echo "pack-check: building @tavt/$pkg and its @tavt dependencies"
pnpm --filter "@tavt/$pkg..." run build >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }

for p in "${pkgs[@]}"; do
  (cd "packages/$p" && pnpm pack --pack-destination "$work/tarballs" >/dev/null)
done
echo "pack-check: tarballs:"
for t in "$work"/tarballs/*.tgz; do
  echo "  $(basename "$t") ($(du -k "$t" | cut -f1) KiB, $(tar tzf "$t" | wc -l) files)"
  if tar xzOf "$t" package/package.json | grep -q '"workspace:'; then
    echo "pack-check: $(basename "$t") still has a workspace: version" >&2
    exit 1
  fi
done

cd "$work/project"
npm init -y >/dev/null
echo "pack-check: npm install of the tarballs (third-party dependencies from the registry)"
npm install --no-audit --no-fund --loglevel=error "$work"/tarballs/*.tgz

name="@tavt/$pkg"
if [[ "$pkg" == core ]]; then
  cat >smoke.cjs <<'EOF'
const core = require("@tavt/core");
(async () => {
  const report = await core.initBackend();
  const { tf, rng } = core;
  const p = core.initAttention(rng.key(0), { dim: 8, heads: 2 });
  const x = rng.normal(rng.key(1), [2, 3, 8]);
  const mask = tf.tensor2d([[1, 1, 1], [1, 1, 0]]);
  const { out, weights } = core.applyAttention(p, { query: x, key: x, value: x, keyMask: mask, causal: true }, { dim: 8, heads: 2 });
  if (!out.dataSync().every(Number.isFinite)) throw new Error("non-finite attention output");
  console.log(`cjs: backend ${report.backend} (skipped: ${report.skipped.map((s) => s.backend).join(", ") || "none"}); attention out [${out.shape}], weights [${weights.shape}], params ${core.countParams(p)}, out[0,0,0] ${out.dataSync()[0].toFixed(6)}`);
})().catch((e) => { console.error(e); process.exit(1); });
EOF
  cat >smoke.mjs <<'EOF'
import { applyAttention, countParams, initAttention, initBackend, rng, tf, TavtError } from "@tavt/core";
const report = await initBackend();
const p = initAttention(rng.key(0), { dim: 8, heads: 2 });
const x = rng.normal(rng.key(1), [2, 3, 8]);
const mask = tf.tensor2d([[1, 1, 1], [1, 1, 0]]);
const { out, weights } = applyAttention(p, { query: x, key: x, value: x, keyMask: mask, causal: true }, { dim: 8, heads: 2 });
if (!out.dataSync().every(Number.isFinite)) throw new Error("non-finite attention output");
if (!(new TavtError("BAD_CONFIG", "x") instanceof Error)) throw new Error("TavtError is not an Error");
console.log(`esm: backend ${report.backend} (skipped: ${report.skipped.map((s) => s.backend).join(", ") || "none"}); attention out [${out.shape}], weights [${weights.shape}], params ${countParams(p)}, out[0,0,0] ${out.dataSync()[0].toFixed(6)}`);
EOF
else
  cat >smoke.cjs <<EOF
const m = require("$name");
const names = Object.keys(m).sort();
if (names.length === 0) throw new Error("$name exports nothing");
require("node:fs").writeFileSync("cjs-names.json", JSON.stringify(names));
console.log("cjs: require('$name') exports " + names.length + " names: " + names.slice(0, 12).join(", ") + (names.length > 12 ? ", ..." : ""));
EOF
  cat >smoke.mjs <<EOF
import * as m from "$name";
import { readFileSync } from "node:fs";
const names = Object.keys(m).filter((n) => n !== "default").sort();
const cjs = JSON.parse(readFileSync("cjs-names.json", "utf8"));
if (JSON.stringify(names) !== JSON.stringify(cjs)) throw new Error("ESM and CJS export different names");
console.log("esm: import from '$name' exports the same " + names.length + " names");
EOF
fi
node smoke.cjs
node smoke.mjs
echo "pack-check: $name OK (installed from its tarball; require and import both work)"
