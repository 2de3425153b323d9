#!/usr/bin/env node
/**
 * Compiles native/tavt_native.c into build/tavt_native.node against the running Node's own headers (no download)
 * and Debian's OpenBLAS. Runs at install time and in the package's build.
 *
 *   node scripts/build-addon.mjs             build against the shared libopenblas (the default)
 *   node scripts/build-addon.mjs --static    link OpenBLAS statically (the prebuilt: needs only libc)
 *   node scripts/build-addon.mjs --out FILE  write elsewhere
 *
 * It never fails an install: where the compiler, the headers or the BLAS are missing it writes the reason to
 * build/status.json, exits 0, and the package reports that reason (and @tavt/core falls back to wasm). With
 * --strict (CI) it exits 1 instead.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const strict = args.includes("--strict");
const isStatic = args.includes("--static");
const outAt = args.indexOf("--out");
const out = outAt >= 0 ? args[outAt + 1] : join(root, "build", "tavt_native.node");
const statusFile = join(root, "build", "status.json");

function finish(ok, detail) {
  mkdirSync(join(root, "build"), { recursive: true });
  writeFileSync(statusFile, `${JSON.stringify({ ok, ...detail }, null, 2)}\n`);
  const line = ok
    ? `@tavt/backend-native: built ${detail.output}`
    : `@tavt/backend-native: not built: ${detail.reason}`;
  process.stderr.write(`${line}\n`);
  process.exit(ok || !strict ? 0 : 1);
}

if (process.platform !== "linux") finish(false, { reason: `unsupported platform ${process.platform}` });

// Node's own headers ship under its install prefix (include/node/node_api.h).
const prefix = dirname(dirname(process.execPath));
const nodeInclude = [
  join(prefix, "include", "node"),
  process.env.npm_config_nodedir && join(process.env.npm_config_nodedir, "include", "node"),
]
  .filter(Boolean)
  .find((d) => existsSync(join(d, "node_api.h")));
if (!nodeInclude) finish(false, { reason: `node_api.h not found under ${join(prefix, "include", "node")}` });

const multiarch = `${process.arch === "arm64" ? "aarch64" : "x86_64"}-linux-gnu`;
const cblas = [`/usr/include/${multiarch}/openblas-pthread`, "/usr/include/openblas", "/usr/include"].find((d) =>
  existsSync(join(d, "cblas.h")),
);
if (!cblas) finish(false, { reason: "cblas.h not found (apt-get install libopenblas-dev)" });
const libDir = `/usr/lib/${multiarch}/openblas-pthread`;
const cc = process.env.CC ?? "cc";
const tmp = `${out}.tmp-${process.pid}`;
const flags = [
  "-O3",
  "-fPIC",
  "-shared",
  "-std=c11",
  "-Wall",
  "-ffp-contract=off", // no fused multiply-add: each float32 operation rounds once, as tfjs's kernels do
  "-fno-math-errno", // sqrtf as one instruction (same correctly rounded result), so loops using it vectorise
  "-fno-trapping-math", // loops with comparisons (clamps, NaN checks) become branch-free vector code; results unchanged
  "-DNODE_GYP_MODULE_NAME=tavt_native",
  `-I${nodeInclude}`,
  `-I${cblas}`,
  join(root, "native", "tavt_native.c"),
  "-o",
  tmp,
  `-L${libDir}`,
  ...(isStatic ? ["-Wl,-Bstatic", "-lopenblas", "-Wl,-Bdynamic", "-lpthread", "-lm"] : ["-lopenblas", "-lm"]),
];
try {
  mkdirSync(dirname(out), { recursive: true });
  execFileSync(cc, flags, { stdio: ["ignore", "inherit", "pipe"] });
  renameSync(tmp, out); // never a half-written addon
} catch (e) {
  const msg = String(e.stderr ?? e.message ?? e)
    .split("\n")
    .filter(Boolean)
    .slice(-3)
    .join(" | ");
  finish(false, { reason: `${cc} failed: ${msg}` });
}
finish(true, { output: out, static: isStatic, compiler: cc, nodeInclude, cblas });
