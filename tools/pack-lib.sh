# Shared by tools/pack-check.sh and tools/install-size.sh (source it; it defines functions only).
#
#   tavt_closure ROOT PKG        the directory names under packages/ of @tavt/PKG and, transitively, the @tavt
#                                packages in its dependencies (one a line)
#   tavt_pack_install ROOT WORK PKG...
#                                `pnpm pack` each package into WORK/tarballs (pnpm rewrites `workspace:^` to real
#                                versions; a tarball still holding one is an error), then `npm install` the
#                                tarballs into the scratch project WORK/project (third-party dependencies from the
#                                registry), as a user of the packages would. Packages must be built (dist/).

tavt_closure() {
  node -e '
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
  ' "$1" "$2"
}

tavt_pack_install() {
  local root="$1" work="$2"
  shift 2
  mkdir -p "$work/tarballs" "$work/project"
  local p t
  for p in "$@"; do
    (cd "$root/packages/$p" && pnpm pack --pack-destination "$work/tarballs" >/dev/null)
  done
  for t in "$work"/tarballs/*.tgz; do
    if tar xzOf "$t" package/package.json | grep -q '"workspace:'; then
      echo "$(basename "$t") still has a workspace: version" >&2
      return 1
    fi
  done
  (
    cd "$work/project"
    npm init -y >/dev/null
    npm install --no-audit --no-fund --loglevel=error "$work"/tarballs/*.tgz
  )
}
