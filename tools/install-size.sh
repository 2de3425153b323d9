#!/usr/bin/env bash
# What installing each @tavt package costs a user: for every package (or the ones named), pack it with the @tavt
# packages it depends on, `npm install` the tarballs into an empty scratch project (third-party dependencies from
# the npm registry; optional peer dependencies such as @tensorflow/tfjs-node are not installed) and measure
# `du -sh node_modules` and the number of packages in it. Prints a Markdown table.
#
#   bash tools/install-size.sh              # every package under packages/
#   bash tools/install-size.sh core metrics # only these
#
# Packages must be built (`pnpm nx run-many -t build`). Needs the npm registry. KEEP=1 keeps the scratch dirs.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# ROOT=DIR measures another checkout (packages/*/package.json and dist/ are what count)
root="${ROOT:-$here}"
# shellcheck source=tools/pack-lib.sh
source "$here/tools/pack-lib.sh"

if [[ $# -gt 0 ]]; then pkgs=("$@"); else mapfile -t pkgs < <(cd "$root/packages" && ls -d */ | tr -d /); fi
for p in "${pkgs[@]}"; do
  [[ -f "$root/packages/$p/package.json" ]] || { echo "install-size: no package at packages/$p" >&2; exit 2; }
  [[ -d "$root/packages/$p/dist" ]] || { echo "install-size: packages/$p is not built (no dist/)" >&2; exit 2; }
done

echo "| package | node_modules (du -sh) | packages installed | @tavt packages packed |"
echo "| --- | ---: | ---: | --- |"
for p in "${pkgs[@]}"; do
  work="$(mktemp -d "${TMPDIR:-/tmp}/tavt-install-size-$p.XXXXXX")"
  mapfile -t closure < <(tavt_closure "$root" "$p")
  tavt_pack_install "$root" "$work" "${closure[@]}" >"$work/install.log" 2>&1 || {
    cat "$work/install.log" >&2
    exit 1
  }
  size="$(du -sh "$work/project/node_modules" | cut -f1)"
  count="$(node -e '
    // installed package directories: node_modules/<name>, node_modules/@scope/<name>, nested ones included
    const fs = require("node:fs"), path = require("node:path");
    let n = 0;
    const walk = (dir) => {
      if (!fs.existsSync(dir)) return;
      for (const e of fs.readdirSync(dir)) {
        if (e.startsWith(".")) continue;
        const sub = e.startsWith("@") ? fs.readdirSync(path.join(dir, e)).map((s) => path.join(dir, e, s)) : [path.join(dir, e)];
        for (const d of sub) if (fs.existsSync(path.join(d, "package.json"))) { n++; walk(path.join(d, "node_modules")); }
      }
    };
    walk(process.argv[1]);
    console.log(n);
  ' "$work/project/node_modules")"
  name="$(node -p "require('$root/packages/$p/package.json').name")"
  echo "| \`$name\` | $size | $count | ${closure[*]} |"
  if [[ "${KEEP:-0}" != 1 ]]; then rm -rf "$work"; fi
done
