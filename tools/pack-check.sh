#!/usr/bin/env bash
# Does a package work when installed from its npm tarball, outside this workspace?
#
#   bash tools/pack-check.sh core        # or any packages/<name>
#
# Builds @tavt/<pkg> and the @tavt packages it depends on, `pnpm pack`s each (pnpm rewrites `workspace:^` to real
# versions), installs the tarballs with npm into a scratch project in a temp dir (third-party dependencies come
# from the npm registry) and lists what the scratch project got: the @tavt packages (which must be exactly the
# packed ones), their direct third-party dependencies and every package in node_modules. Then it runs a CommonJS
# `require` and an ES module `import` smoke script there. For core the scripts select a backend, run an attention
# layer, a chained tensor method and a gradient, and check that the umbrella @tensorflow/tfjs is not installed; for
# other packages they check that both module formats load and export the same names, and for clusters (k-means on
# planted clusters) and metrics (BLEU/ROUGE-L/CIDEr-D of two captions) they also do the package's work in both
# formats and check the results are the same. Then the README's example runs there and must print the README's
# output block (tools/docs/readme-example.mjs). Each tarball must hold the root LICENSE and a package.json
# naming its license, repository (with directory), homepage and bugs. Exits non-zero on the first failure; KEEP=1
# keeps the temp dir; SKIP_BUILD=1 packs the dist/ already built (CI builds everything first).
set -euo pipefail

pkg="${1:?usage: tools/pack-check.sh <package name under packages/, e.g. core>}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[[ -f "$root/packages/$pkg/package.json" ]] || { echo "pack-check: no package at packages/$pkg" >&2; exit 2; }

work="$(mktemp -d "${TMPDIR:-/tmp}/tavt-pack-check-$pkg.XXXXXX")"
if [[ "${KEEP:-0}" != 1 ]]; then trap 'rm -rf "$work"' EXIT; fi
mkdir -p "$work/tarballs" "$work/project"

# shellcheck source=tools/pack-lib.sh
source "$root/tools/pack-lib.sh"
mapfile -t pkgs < <(tavt_closure "$root" "$pkg")
echo "pack-check: packages: ${pkgs[*]}"

cd "$root"
if [[ "${SKIP_BUILD:-0}" == 1 ]]; then
  for p in "${pkgs[@]}"; do
    [[ -d "packages/$p/dist" ]] || { echo "pack-check: SKIP_BUILD=1 but packages/$p has no dist/" >&2; exit 1; }
  done
else
  echo "pack-check: building @tavt/$pkg and its @tavt dependencies"
  pnpm --filter "@tavt/$pkg..." run build >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
fi

echo "pack-check: npm install of the tarballs (third-party dependencies from the registry)"
tavt_pack_install "$root" "$work" "${pkgs[@]}" || { echo "pack-check: pack or install failed" >&2; exit 1; }
echo "pack-check: tarballs:"
for t in "$work"/tarballs/*.tgz; do
  echo "  $(basename "$t") ($(du -k "$t" | cut -f1) KiB, $(tar tzf "$t" | wc -l) files)"
  # What a registry page and a user's lawyer need: the licence text, the repository, where to report bugs.
  if ! tar xzOf "$t" package/LICENSE | cmp -s - "$root/LICENSE"; then
    echo "pack-check: $(basename "$t") does not hold the root LICENSE (pnpm pack copies it into a package without one of its own)" >&2
    exit 1
  fi
  tar xzOf "$t" package/package.json | node -e '
    const pj = JSON.parse(require("node:fs").readFileSync(0, "utf8"));
    const missing = [];
    if (!pj.license) missing.push("license");
    if (!pj.repository?.url || !pj.repository?.directory) missing.push("repository.url and repository.directory");
    if (!pj.homepage) missing.push("homepage");
    if (!pj.bugs?.url) missing.push("bugs.url");
    if (missing.length) {
      console.error(`pack-check: ${process.argv[1]}: package.json lacks ${missing.join(", ")}`);
      process.exit(1);
    }
  ' "$(basename "$t")"
done
cd "$work/project"
echo "pack-check: node_modules takes $(du -sh node_modules | cut -f1) (du -sh)"

# What the install brought: the @tavt packages must be exactly the packed ones (a missing one would have come from
# the registry; an extra one is a dependency the closure above did not see).
cat >installed.cjs <<'EOF'
const fs = require("node:fs"), path = require("node:path");
const packed = process.argv.slice(2).map((d) => `@tavt/${d}`).sort();
const all = new Map(); // name -> version of every package under node_modules, nested ones included
const visit = (dir) => {
  const f = path.join(dir, "package.json");
  if (!fs.existsSync(f)) return;
  const pj = JSON.parse(fs.readFileSync(f, "utf8"));
  all.set(pj.name, pj.version);
  walk(path.join(dir, "node_modules"));
};
const walk = (dir) => {
  if (!fs.existsSync(dir)) return;
  for (const e of fs.readdirSync(dir)) {
    if (e.startsWith(".")) continue;
    if (e.startsWith("@")) for (const s of fs.readdirSync(path.join(dir, e))) visit(path.join(dir, e, s));
    else visit(path.join(dir, e));
  }
};
walk("node_modules");
const tavt = [...all.keys()].filter((n) => n.startsWith("@tavt/")).sort();
const direct = new Set();
for (const name of tavt) {
  const pj = JSON.parse(fs.readFileSync(path.join("node_modules", name, "package.json"), "utf8"));
  for (const d of Object.keys(pj.dependencies ?? {})) if (!d.startsWith("@tavt/")) direct.add(`${d}@${all.get(d)}`);
}
console.log(`pack-check: installed @tavt packages: ${tavt.join(" ")}`);
console.log(`pack-check: their third-party dependencies: ${[...direct].sort().join(" ") || "none"}`);
console.log(`pack-check: node_modules holds ${all.size} distinct packages: ${[...all.keys()].sort().join(" ")}`);
if (JSON.stringify(tavt) !== JSON.stringify(packed)) {
  console.error(`pack-check: expected exactly ${packed.join(" ")}`);
  process.exit(1);
}
EOF
node installed.cjs "${pkgs[@]}"

name="@tavt/$pkg"

# Package work run by both smoke scripts (work.cjs exports (module, format) => JSON-able result); the CommonJS run
# saves its result, the ES module run must produce the same.
case "$pkg" in
  clusters)
    cat >work.cjs <<'EOF'
// k-means on 3 planted clusters of 200 points in 8 dimensions (centres 10 apart, unit noise, a fixed LCG).
module.exports = (m, fmt) => {
  const n = 600, dim = 8, k = 3;
  let s = 12345;
  const u = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) + 0.5) / 4294967296;
  const gauss = () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
  const data = new Float32Array(n * dim), truth = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    truth[i] = i % k;
    for (let d = 0; d < dim; d++) data[i * dim + d] = (d === truth[i] ? 10 : 0) + gauss();
  }
  const r = m.kmeans(data, n, dim, { k, nInit: 3, seed: 7 });
  const ari = m.adjustedRandIndex(truth, r.labels);
  if (!(ari > 0.99)) throw new Error(`${fmt}: k-means missed the planted clusters (ARI ${ari})`);
  const p = m.predict(data, n, dim, r.centers);
  if (p.some((l, i) => l !== r.labels[i])) throw new Error(`${fmt}: predict disagrees with the fitted labels`);
  console.log(`${fmt}: kmeans k=${k} on ${n}x${dim}: inertia ${r.inertia.toFixed(4)}, ${r.iterations} iterations, ARI vs planted ${ari.toFixed(4)}, wasm kernels ${m.wasmKernelsAvailable()}`);
  return { inertia: r.inertia, labels: Array.from(r.labels), centers: Array.from(r.centers) };
};
EOF
    ;;
  metrics)
    cat >work.cjs <<'EOF'
// Corpus scores (all four metrics, so METEOR loads the WordNet files from the installed tarball) of two candidates.
module.exports = (m, fmt) => {
  const refs = {
    v1: ["a man is playing a guitar", "a person plays the guitar on stage"],
    v2: ["a cat sits on a mat", "the cat is lying on the mat"],
  };
  const cands = { v1: "a man plays a guitar", v2: "a cat is on the mat" };
  const s = JSON.parse(JSON.stringify(m.score(refs, cands))); // every metric, METEOR with the WordNet data the tarball ships
  const nums = [];
  const walk = (v) => (typeof v === "number" ? nums.push(v) : v && typeof v === "object" && Object.values(v).forEach(walk));
  walk(s);
  if (nums.length === 0 || !nums.every(Number.isFinite)) throw new Error(`${fmt}: scores are missing or not finite`);
  console.log(`${fmt}: score(refs, cands) -> ${JSON.stringify(s)}`);
  return s;
};
EOF
    ;;
esac

if [[ "$pkg" == core ]]; then
  # core depends on @tensorflow/tfjs-core, not the umbrella @tensorflow/tfjs, and registers the chained tensor methods
  # and the gradients from its own bundle (packages/core/src/tfjsRegistrations.ts): check both, in both formats.
  cat >tfjs-check.cjs <<'EOF'
module.exports = (tf, fmt) => {
  let resolved = "";
  try { resolved = require.resolve("@tensorflow/tfjs"); } catch {}
  if (resolved) throw new Error(`${fmt}: the umbrella @tensorflow/tfjs got installed (${resolved})`);
  const x = tf.tensor1d([1, 2]);
  const chained = x.square().sum().dataSync()[0]; // chained methods
  if (chained !== 5) throw new Error(`${fmt}: tf.tensor1d([1, 2]).square().sum() gave ${chained}, not 5`);
  // d/dW of softmax(a W)[0, 0] with a = [1, 2], W = 0: p = [1/2, 1/2], so dW = a^T [1/4, -1/4].
  const a = tf.tensor2d([[1, 2]]);
  const g = tf.grad((w) => tf.softmax(a.matMul(w)).gather([0], 1).sum())(tf.zeros([2, 2])).dataSync();
  const want = [0.25, -0.25, 0.5, -0.5];
  if (want.some((v, i) => Math.abs(g[i] - v) > 1e-6)) throw new Error(`${fmt}: gradient ${Array.from(g)}, not ${want}`);
  console.log(`${fmt}: chained x.square().sum() = ${chained}; grad of softmax(matMul) gathered = [${Array.from(g)}]`);
};
EOF
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
  require("./tfjs-check.cjs")(tf, "cjs");
  console.log(`cjs: backend ${report.backend} (skipped: ${report.skipped.map((s) => s.backend).join(", ") || "none"}); attention out [${out.shape}], weights [${weights.shape}], params ${core.countParams(p)}, out[0,0,0] ${out.dataSync()[0].toFixed(6)}`);
})().catch((e) => { console.error(e); process.exit(1); });
EOF
  cat >smoke.mjs <<'EOF'
import { applyAttention, countParams, initAttention, initBackend, rng, tf, TavtError } from "@tavt/core";
import { createRequire } from "node:module";
const report = await initBackend();
const p = initAttention(rng.key(0), { dim: 8, heads: 2 });
const x = rng.normal(rng.key(1), [2, 3, 8]);
const mask = tf.tensor2d([[1, 1, 1], [1, 1, 0]]);
const { out, weights } = applyAttention(p, { query: x, key: x, value: x, keyMask: mask, causal: true }, { dim: 8, heads: 2 });
if (!out.dataSync().every(Number.isFinite)) throw new Error("non-finite attention output");
if (!(new TavtError("BAD_CONFIG", "x") instanceof Error)) throw new Error("TavtError is not an Error");
createRequire(import.meta.url)("./tfjs-check.cjs")(tf, "esm");
console.log(`esm: backend ${report.backend} (skipped: ${report.skipped.map((s) => s.backend).join(", ") || "none"}); attention out [${out.shape}], weights [${weights.shape}], params ${countParams(p)}, out[0,0,0] ${out.dataSync()[0].toFixed(6)}`);
EOF
else
  cat >smoke.cjs <<EOF
const fs = require("node:fs");
const m = require("$name");
const names = Object.keys(m).sort();
if (names.length === 0) throw new Error("$name exports nothing");
fs.writeFileSync("cjs-names.json", JSON.stringify(names));
console.log("cjs: require('$name') exports " + names.length + " names: " + names.slice(0, 12).join(", ") + (names.length > 12 ? ", ..." : ""));
if (fs.existsSync("work.cjs")) fs.writeFileSync("cjs-work.json", JSON.stringify(require("./work.cjs")(m, "cjs")));
EOF
  cat >smoke.mjs <<EOF
import * as m from "$name";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
const names = Object.keys(m).filter((n) => n !== "default").sort();
const cjs = JSON.parse(readFileSync("cjs-names.json", "utf8"));
if (JSON.stringify(names) !== JSON.stringify(cjs)) throw new Error("ESM and CJS export different names");
console.log("esm: import from '$name' exports the same " + names.length + " names");
if (existsSync("work.cjs")) {
  const mine = JSON.stringify(createRequire(import.meta.url)("./work.cjs")(m, "esm"));
  if (mine !== readFileSync("cjs-work.json", "utf8")) throw new Error("ESM and CJS results differ");
  console.log("esm: the same result as cjs");
}
EOF
fi
node smoke.cjs
node smoke.mjs
# The README's example, run where the package was installed from its tarball, must print what the README says it
# prints (its ```js example block and the ```text output block after it; @tavt/features's example needs ffmpeg and
# ONNX models, so its own test/readme.test.ts runs it instead).
if grep -q '^```js example' "$root/packages/$pkg/README.md"; then
  node "$root/tools/docs/readme-example.mjs" "$root/packages/$pkg/README.md" .
fi
echo "pack-check: $name OK (installed from its tarball; require and import both work; the README example runs)"
